from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constraints import PlainConstraints

from .storage import private_storage, validate_upload


class CECategory(models.TextChoices):
    LAW_AND_ETHICS = "law_and_ethics", _("law and ethics")
    CULTURAL_COMPETENCE = "cultural_competence", _("cultural competence")
    CRISIS = "crisis", _("crisis")
    CO_OCCURRING = "co_occurring", _("co-occurring disorders")
    OTHER = "other", _("other")


class Specialization(models.TextChoices):
    """Medi-Cal Peer Support Specialist areas of specialization."""

    FAMILY = "family", _("Parent, Caregiver and Family Member")
    CRISIS = "crisis", _("Crisis Care")
    UNHOUSED = "unhoused", _("Unhoused")
    JUSTICE = "justice", _("Justice-Involved")


class LapseRule(models.TextChoices):
    REFRESHER = "refresher", _("refresher training before renewal")
    NEW_APPLICATION = "new_application", _("a new initial application")


def county_key(name: str | None) -> str:
    """How county names compare, wherever they do: "SACRAMENTO " is Sacramento.
    The renewal sweep says the same in SQL (Lower(Trim(county)))."""
    return (name or "").strip().lower()


class CertificationType(PlainConstraints, models.Model):
    """A credential and its renewal rules (Medi-Cal PSS, IC&RC PR, …)."""

    name = models.CharField(max_length=120, unique=True)
    issuing_body = models.CharField(max_length=120)
    exam_body = models.CharField(_("exam approved by"), max_length=120, blank=True)
    initial_training_hours = models.PositiveSmallIntegerField(default=0)
    cycle_months = models.PositiveSmallIntegerField(_("renewal cycle (months)"), default=24)
    ce_hours_required = models.DecimalField(
        _("continuing-education hours per cycle"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("20"),
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        default=90, help_text=_("How many days before expiry the renewal application may be sent.")
    )
    ethics_signed_at_renewal = models.BooleanField(
        _("Code of Ethics signed again at renewal"), default=False
    )
    background_check_required = models.BooleanField(
        _("background check required by the issuer"), default=False
    )
    background_check_counties = models.JSONField(
        default=list, blank=True, help_text=_("Counties that require a background check.")
    )
    lapse_rule = models.CharField(
        max_length=16, choices=LapseRule.choices, default=LapseRule.REFRESHER
    )
    new_application_after_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("After this long lapsed, a new initial application is needed."),
    )
    ce_records_kept_years = models.PositiveSmallIntegerField(default=2)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cycle_months__gte=1),
                name="cert_type_cycle_positive",
                violation_error_message=_("A renewal cycle is at least one month."),
            ),
            models.CheckConstraint(
                condition=Q(ce_hours_required__gte=0),
                name="cert_type_ce_hours_not_negative",
                violation_error_message=_("Continuing-education hours cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def requires_background_check_in(self, county: str) -> bool:
        counties = {county_key(c) for c in self.background_check_counties}
        return self.background_check_required or county_key(county) in counties


class CECategoryRequirement(PlainConstraints, models.Model):
    """Hours required in one category within the cycle's total (6 of 20 in law and ethics)."""

    certification_type = models.ForeignKey(
        CertificationType, on_delete=models.CASCADE, related_name="category_requirements"
    )
    category = models.CharField(max_length=24, choices=CECategory.choices)
    hours = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )

    constraint_fields = {"ce_requirement_once_per_category": "category"}

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification_type", "category"],
                name="ce_requirement_once_per_category",
                violation_error_message=_("This category already has a requirement."),
            ),
            # As the field's own check: hours count in halves.
            models.CheckConstraint(
                condition=Q(hours__gte=Decimal("0.5")),
                name="ce_requirement_hours_positive",
                violation_error_message=_("Required hours are at least 0.5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h {self.get_category_display()}"


def _holder_scope(user, prefix: str = "") -> Q | None:
    if user.is_admin:
        return Q()
    if user.is_coordinator:
        return Q(**{f"{prefix}holder__program_id": user.program_id})
    if user.is_mentor:
        return Q(**{f"{prefix}holder": user})
    return None


class HolderScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins: all. Coordinators: their program's holders. Mentors: their own."""
        if not user.is_authenticated:
            return self.none()
        scope = _holder_scope(user)
        return self.none() if scope is None else self.filter(scope)


class ManualStatus(models.TextChoices):
    """The only statuses of a certification set by hand."""

    NONE = "", _("none")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")


class Certification(PlainConstraints, models.Model):
    """A holder's credential. Its status is derived from dates and CE (status.py),
    never typed in; only suspension and revocation are set by hand."""

    ManualStatus = ManualStatus

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certifications"
    )
    certification_type = models.ForeignKey(
        CertificationType, on_delete=models.PROTECT, related_name="certifications"
    )
    number = models.CharField(max_length=60, blank=True)
    training_completed_on = models.DateField(null=True, blank=True)
    exam_passed_on = models.DateField(null=True, blank=True)
    ethics_signed_on = models.DateField(_("Code of Ethics signed on"), null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    cycle_started_on = models.DateField(_("current cycle started on"), null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    refresher_completed_on = models.DateField(null=True, blank=True)
    background_check_on = models.DateField(
        _("background check completed on"), null=True, blank=True
    )
    specializations = models.JSONField(default=list, blank=True)
    manual_status = models.CharField(max_length=10, choices=ManualStatus.choices, blank=True)
    manual_status_reason = models.CharField(max_length=300, blank=True)
    manual_status_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HolderScopedQuerySet.as_manager()

    constraint_fields = {
        "certification_once_per_holder_type": "certification_type",
        "certification_manual_status_has_reason_and_date": "manual_status_reason",
        "certification_expires_after_issue": "expires_on",
    }

    class Meta:
        ordering = ["expires_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "certification_type"],
                name="certification_once_per_holder_type",
                violation_error_message=_("This person already holds this certification."),
            ),
            models.CheckConstraint(
                condition=Q(manual_status__in=ManualStatus.values),
                name="certification_manual_status_valid",
                violation_error_message=_("Choose suspended, revoked, or none."),
            ),
            models.CheckConstraint(
                condition=Q(manual_status=ManualStatus.NONE)
                | (~Q(manual_status_reason="") & Q(manual_status_on__isnull=False)),
                name="certification_manual_status_has_reason_and_date",
                violation_error_message=_("A suspension or revocation needs its reason and date."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gt=models.F("issued_on")),
                name="certification_expires_after_issue",
                violation_error_message=_("The expiry date comes after the issue date."),
            ),
        ]
        # The report's own order (expiry, nulls last, then pk): its first page
        # reads 50 rows of this index instead of sorting every certification.
        indexes = [models.Index(fields=["expires_on", "id"], name="certification_expiry_order")]

    def __str__(self) -> str:
        return f"{self.certification_type} of {self.holder}"

    def cycle_bounds(self) -> tuple[date | None, date | None]:
        return (self.cycle_started_on or self.issued_on, self.expires_on)


class CertificationCycle(PlainConstraints, models.Model):
    """A completed renewal cycle, kept when the certification is renewed."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="cycles"
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField()
    ce_hours_approved = models.DecimalField(max_digits=6, decimal_places=1)
    renewed_on = models.DateField()
    renewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-ended_on"]
        constraints = [
            # Two renewals of the same cycle (a double post) write one row.
            models.UniqueConstraint(
                fields=["certification", "ended_on"],
                name="certification_cycle_once_per_end",
                violation_error_message=_("This certification was just renewed."),
            ),
        ]

    def __str__(self) -> str:
        return f"Cycle ending {self.ended_on}"


def evidence_path(instance, filename: str) -> str:
    return f"ce-evidence/{instance.holder_id}/{filename}"


def document_path(instance, filename: str) -> str:
    return f"certification-documents/{instance.certification_id}/{filename}"


class ContinuingEducationQuerySet(HolderScopedQuerySet):
    def counted(self) -> "ContinuingEducationQuerySet":
        """What progress, renewals, alerts and the queue count: everything not voided."""
        return self.filter(voided_at__isnull=True)


class ContinuingEducation(PlainConstraints, models.Model):
    """A course a holder completed. Unapproved hours show but do not count;
    voided ones (entered by mistake) stay in the history and count nowhere."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="continuing_education"
    )
    course_title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    category = models.CharField(max_length=24, choices=CECategory.choices)
    evidence = models.FileField(
        upload_to=evidence_path, storage=private_storage, blank=True, validators=[validate_upload]
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=300, blank=True)
    # Entered by mistake: kept and shown struck through, counted nowhere.
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContinuingEducationQuerySet.as_manager()

    constraint_fields = {
        "ce_void_says_who_when_and_why": "void_reason",
        "ce_rejection_has_who_and_why": "rejection_reason",
    }

    class Meta:
        ordering = ["-completed_on", "-pk"]
        # What the report's CE hours read, per certification, without the table:
        # each holder's counted entries (neither rejected nor voided) by day.
        indexes = [
            models.Index(
                fields=["holder", "completed_on"],
                include=["hours", "category", "approved_at"],
                condition=Q(voided_at__isnull=True, rejected_at__isnull=True),
                name="ce_counted_by_holder",
            )
        ]
        verbose_name_plural = "continuing education"
        constraints = [
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True, voided_by__isnull=True, void_reason="")
                | (Q(voided_at__isnull=False, voided_by__isnull=False) & ~Q(void_reason="")),
                name="ce_void_says_who_when_and_why",
                violation_error_message=_("Voided hours say who voided them, when and why."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=40),
                name="ce_hours_over_0_to_40",
                violation_error_message=_("Hours are more than 0 and at most 40 for one course."),
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(approved_by__isnull=False),
                name="ce_approval_has_approver",
                violation_error_message=_("An approval names who approved it."),
            ),
            models.CheckConstraint(
                condition=Q(rejected_at__isnull=True)
                | (Q(rejected_by__isnull=False) & ~Q(rejection_reason="")),
                name="ce_rejection_has_who_and_why",
                violation_error_message=_("A rejection names who rejected it and why."),
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(rejected_at__isnull=True),
                name="ce_approved_or_rejected_not_both",
                violation_error_message=_("Hours are approved or rejected, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.course_title

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class CertificationDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        scope = _holder_scope(user, prefix="certification__")
        return self.none() if scope is None else self.filter(scope)


class CertificationDocument(models.Model):
    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="documents"
    )
    description = models.CharField(max_length=200, blank=True)
    file = models.FileField(
        upload_to=document_path, storage=private_storage, validators=[validate_upload]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = CertificationDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.description or self.file.name or "document"

    @property
    def file_name(self) -> str:
        """The uploaded file's name, without the folder it is kept in."""
        return (self.file.name or "").rsplit("/", 1)[-1]
