from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Program, Role
from core.constraints import PlainConstraints
from core.dates import program_today

from .choices import (
    CONSENT_NEEDED,
    AssignmentEndReason,
    DeliveryMethod,
    DischargeReason,
    Gender,
    GenderPreference,
    MenteeStatus,
    RecoveryPathway,
    ReferralSource,
    RemoteConsent,
)


def months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months - 1 if end.day < start.day else months


class MentorProfileQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MentorProfileQuerySet":
        """Admins: all. Coordinators: their program's. Mentors: themselves.
        Mentees: the mentor they are assigned to now (public fields only)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_coordinator:
            return self.filter(user__program_id=user.program_id)
        if user.is_mentor:
            return self.filter(user=user)
        if user.is_mentee:
            return self.filter(
                user__mentor_assignments__mentee__user=user,
                user__mentor_assignments__ended_at__isnull=True,
            )
        return self.none()

    def with_active_caseload(self) -> "MentorProfileQuerySet":
        return self.annotate(
            active_caseload=Count(
                "user__mentor_assignments",
                filter=Q(user__mentor_assignments__ended_at__isnull=True),
            )
        )


class MentorProfile(PlainConstraints, models.Model):
    """A peer recovery mentor's profile: what matching compares and mentees read."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    lived_experience_areas = models.JSONField(default=list, blank=True)
    lived_experience_other = models.CharField(max_length=200, blank=True)
    recovery_pathways = models.JSONField(default=list, blank=True)
    recovery_pathways_other = models.CharField(max_length=200, blank=True)
    languages = models.JSONField(default=list, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    county = models.CharField(max_length=80, blank=True)
    delivery_methods = models.JSONField(default=list, blank=True)
    specializations = models.JSONField(default=list, blank=True)
    # Private: only the mentor, coordinators and admins see it.
    recovery_start_date = models.DateField(null=True, blank=True)
    caseload_capacity = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    accepting_new_mentees = models.BooleanField(default=True)
    bio = models.TextField(_("short bio for mentees"), max_length=1500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorProfileQuerySet.as_manager()

    # Set by with_active_caseload() and eligibility.program_mentors_with_eligibility().
    active_caseload: int
    certified: bool
    ineligible_because: list[str]
    free_places: int

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(caseload_capacity__gte=1) & Q(caseload_capacity__lte=50),
                name="mentor_capacity_1_to_50",
                violation_error_message=_("A caseload holds between 1 and 50 mentees."),
            ),
        ]

    def __str__(self) -> str:
        return f"Mentor profile of {self.user}"

    def months_in_recovery(self, on: date) -> int | None:
        """Whole months in recovery on `on` (the program's day)."""
        if self.recovery_start_date is None:
            return None
        return months_between(self.recovery_start_date, on)


def mentee_scope(user, path: str = "") -> Q | None:
    """Which mentees a user reaches, as a filter on `path` (the way from the
    queried model to its MenteeProfile, e.g. "mentee__"), or None for nobody.

    The one rule for every mentee record, here and in the apps above:
    admins only the mentees they hold an unexpired break-glass grant for
    (minimum necessary: their everyday work is programs, people and reports);
    coordinators their program's; mentors the mentees with an active
    assignment to them (reassigned away: gone at once); mentees themselves.
    """
    if not user.is_authenticated:
        return None
    if user.is_admin:
        return _granted(user, path)
    if user.is_coordinator:
        # Their program's; and, covering another program that allows it, the
        # one mentee of each unexpired break-glass grant.
        return Q(**{f"{path}program_id": user.program_id}) | _granted(user, path)
    if user.is_mentor:
        # One filter() call: both conditions hold for the same assignment, and
        # a mentee has at most one active assignment, so no row repeats.
        return Q(
            **{f"{path}assignments__mentor": user, f"{path}assignments__ended_at__isnull": True}
        )
    if user.is_mentee:
        return Q(**{f"{path}user": user})
    return None


def named_mentees(queryset, path: str, user, ids) -> dict[int, tuple[int, str]]:
    """{row id: (mentee id, preferred name)} for the rows of `queryset` among
    `ids` whose mentee (reached through `path`, "" for MenteeProfile itself)
    the user reaches: one query. Notifications name mentees with it."""
    scope = mentee_scope(user, f"{path}__" if path else "")
    if scope is None:
        return {}
    mentee = f"{path}__" if path else ""
    rows = (
        queryset.filter(scope, pk__in=list(ids))
        .values_list("pk", f"{mentee}pk", f"{mentee}preferred_name")
        .distinct()
    )
    return {pk: (mentee_id, name) for pk, mentee_id, name in rows}


def _granted(user, path: str) -> Q:
    # A subquery, not a join: several grants for one mentee repeat no row.
    granted = BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now())
    return Q(**{f"{path}pk__in": granted.values("mentee_id")})


class MenteeProfileQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MenteeProfileQuerySet":
        """The mentees the user reaches (mentee_scope)."""
        scope = mentee_scope(user)
        return self.none() if scope is None else self.filter(scope)

    def open(self) -> "MenteeProfileQuerySet":
        return self.filter(
            status__in=[MenteeStatus.REFERRED, MenteeStatus.ACTIVE, MenteeStatus.ON_HOLD]
        )


class MenteeProfile(PlainConstraints, models.Model):
    """A person in recovery, from intake on; a login may be linked later."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="mentees")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentee_profile",
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    preferred_name = models.CharField(max_length=100)
    legal_name = models.CharField(max_length=150, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    county = models.CharField(max_length=80, blank=True)
    referral_source = models.CharField(max_length=16, choices=ReferralSource.choices, blank=True)
    substances_of_concern = models.JSONField(default=list, blank=True)
    recovery_pathway = models.CharField(max_length=20, choices=RecoveryPathway.choices, blank=True)
    preferred_language = models.CharField(max_length=8, default="en")
    mentor_gender_preference = models.CharField(
        max_length=16, choices=GenderPreference.choices, blank=True
    )
    preferred_delivery_method = models.CharField(
        max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_relationship = models.CharField(max_length=80, blank=True)
    emergency_contact_phone = models.CharField(max_length=32, blank=True)
    intake_date = models.DateField(default=timezone.localdate)
    status = models.CharField(
        max_length=16, choices=MenteeStatus.choices, default=MenteeStatus.REFERRED
    )
    status_changed_on = models.DateField(default=timezone.localdate)
    discharge_reason = models.CharField(max_length=16, choices=DischargeReason.choices, blank=True)
    remote_consent = models.CharField(
        _("consent to remote services"), max_length=16, choices=RemoteConsent.choices, blank=True
    )
    remote_consent_on = models.DateField(null=True, blank=True)
    remote_consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When a check-in last reached the mentee (the latest contact that is not
    # voided), kept by the check-in services that log, correct and void one
    # (checkins.services.contact_dates_refresh). Dashboards, the mentee list
    # and the contact-gap sweep read this column instead of a MAX over the
    # check-ins of every row.
    last_contact_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MenteeProfileQuerySet.as_manager()

    constraint_fields = {
        "mentee_discharge_reason_only_when_discharged": "discharge_reason",
        "mentee_discharged_needs_reason": "discharge_reason",
        "mentee_remote_consent_has_a_date": "remote_consent_on",
    }

    class Meta:
        ordering = ["preferred_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MenteeStatus.values),
                name="mentee_status_valid",
                violation_error_message=_(
                    "Choose referred, active, on hold, discharged or graduated."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=MenteeStatus.DISCHARGED) | Q(discharge_reason=""),
                name="mentee_discharge_reason_only_when_discharged",
                violation_error_message=_("Only a discharged mentee has a discharge reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status=MenteeStatus.DISCHARGED) | ~Q(discharge_reason=""),
                name="mentee_discharged_needs_reason",
                violation_error_message=_("Say why the mentee is discharged."),
            ),
            models.CheckConstraint(
                condition=(Q(remote_consent="") & Q(remote_consent_on__isnull=True))
                | (~Q(remote_consent="") & Q(remote_consent_on__isnull=False)),
                name="mentee_remote_consent_has_a_date",
                violation_error_message=_(
                    "Consent to remote services needs the date it was given."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["program", "last_contact_at"], name="mentee_program_last_contact"),
            # The contact-gap sweep: active mentees not reached since a line,
            # or never (checkins.reminders._in_a_gap); only the mentees near
            # a gap are read, not every mentee.
            models.Index(
                fields=["last_contact_at"],
                condition=Q(status=MenteeStatus.ACTIVE),
                name="mentee_active_last_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.preferred_name

    def consents_to(self, delivery_method: str) -> bool:
        """Whether the recorded consent covers a check-in by this method."""
        needed = CONSENT_NEEDED.get(delivery_method)
        return needed is None or self.remote_consent in needed


class MenteeStatusChange(models.Model):
    """Every status transition, dated, with who made it and why."""

    mentee = models.ForeignKey(
        MenteeProfile, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=16, choices=MenteeStatus.choices)
    to_status = models.CharField(max_length=16, choices=MenteeStatus.choices)
    changed_on = models.DateField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=16, choices=DischargeReason.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssignmentQuerySet":
        """Admins: those of the mentees they hold a break-glass grant for.
        Coordinators: their program's. Mentors: their active assignments.
        Mentees: their own active assignment."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin:
            scope = mentee_scope(user, "mentee__")
            return self.none() if scope is None else self.filter(scope)
        if user.is_coordinator:
            return self.filter(mentee__program_id=user.program_id)
        if user.is_mentor:
            return self.filter(mentor=user, ended_at__isnull=True)
        if user.is_mentee:
            return self.filter(mentee__user=user, ended_at__isnull=True)
        return self.none()

    def active(self) -> "AssignmentQuerySet":
        return self.filter(ended_at__isnull=True)


class Assignment(PlainConstraints, models.Model):
    """A mentee matched to a mentor, from `started_on` until `ended_at`."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentor_assignments",
        limit_choices_to={"role": Role.MENTOR},
    )
    mentee = models.ForeignKey(MenteeProfile, on_delete=models.CASCADE, related_name="assignments")
    started_on = models.DateField(default=timezone.localdate)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=AssignmentEndReason.choices, blank=True)
    end_note = models.CharField(max_length=500, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the coordinator tells the new mentor on a reassignment; shown first.
    handoff_summary = models.TextField(blank=True)

    objects = AssignmentQuerySet.as_manager()

    constraint_fields = {"assignment_end_needs_reason": "end_reason"}

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_active_per_mentee",
                violation_error_message=_("This mentee already has a mentor."),
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="assignment_ends_after_it_starts",
                violation_error_message=_("An assignment ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | ~Q(end_reason=""),
                name="assignment_end_needs_reason",
                violation_error_message=_("Say why the assignment ends."),
            ),
        ]
        indexes = [models.Index(fields=["mentor", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.mentee} with {self.mentor}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def days_assigned(self, on: date | None = None) -> int:
        """Days since the assignment started, on the program's calendar."""
        return ((on or program_today(self.mentee.program)) - self.started_on).days


class BreakGlassGrant(PlainConstraints, models.Model):
    """An admin's emergency access to one mentee's record, for a while, with a
    reason. Outside a grant an admin reaches no mentee record (mentee_scope)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    mentee = models.ForeignKey(
        MenteeProfile, on_delete=models.CASCADE, related_name="break_glass_grants"
    )
    reason = models.TextField(max_length=1000)
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("granted_at")),
                name="break_glass_expires_after_granted",
                violation_error_message=_("A break-glass grant ends after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="break_glass_reason_not_blank",
                violation_error_message=_("Say why you need to open this record."),
            ),
        ]

    def __str__(self) -> str:
        return f"Break-glass grant {self.pk}"
