"""The resource directory, Part 2 consents, referrals and disclosures.

A consent and a disclosure are records of what happened: a consent is never
edited after signing (a change is a new consent; only its revocation is
written onto it, once), and a disclosure is never changed or removed.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Program
from certification.storage import private_storage, validate_upload
from core.constraints import PlainConstraints
from core.dates import add_months
from mentorship.models import MenteeProfile, mentee_scope

from .choices import (
    EVERY_CATEGORY,
    HEALTH_CARE_CATEGORIES,
    DisclosureKind,
    InformationCategory,
    Purpose,
    RecipientKind,
    ReferralMode,
    ReferralStatus,
    ServiceCategory,
    SignedVia,
)

# A directory entry not verified for this many months is flagged.
VERIFY_EVERY_MONTHS = 12


def signed_form_path(instance, filename: str) -> str:
    """A random name: the uploaded file's own name may say who it is about."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"consent-forms/{instance.mentee_id}/{uuid.uuid4().hex}.{extension}"


class RecordIsFinal(Exception):
    """A consent or disclosure was about to be changed or removed."""


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ResourceQuerySet":
        """A program's directory: its staff and mentees; admins every program's
        (a directory holds no mentee data)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin:
            return self.all()
        return self.filter(program_id=user.program_id)

    def in_category(self, category: str) -> "ResourceQuerySet":
        # The JSON text holds each code in quotes: '"food"' cannot match
        # inside another code. Works on PostgreSQL and SQLite alike.
        return self.filter(categories__icontains=f'"{category}"')

    def speaking(self, language: str) -> "ResourceQuerySet":
        return self.filter(languages__icontains=f'"{language}"')

    def unverified_on(self, today: date) -> "ResourceQuerySet":
        return self.filter(
            Q(last_verified_on__isnull=True)
            | Q(last_verified_on__lte=add_months(today, -VERIFY_EVERY_MONTHS))
        )


class Resource(PlainConstraints, models.Model):
    """An entry of a program's resource directory."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="resources")
    organisation = models.CharField(_("organisation"), max_length=200)
    categories = models.JSONField(_("service categories"), default=list)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(blank=True)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    languages = models.JSONField(default=list, blank=True)
    accepts_medi_cal = models.BooleanField(_("accepts Medi-Cal"), default=False)
    accepting_new_clients = models.BooleanField(_("accepting new clients"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceQuerySet.as_manager()

    constraint_fields = {"resource_organisation_unique_in_program": "organisation"}

    class Meta:
        ordering = ["organisation", "pk"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("organisation"),
                "program",
                name="resource_organisation_unique_in_program",
                violation_error_message=_("The directory already has this organisation."),
            ),
        ]

    def __str__(self) -> str:
        return self.organisation

    def needs_verification(self, today: date) -> bool:
        """Not verified in the last 12 months (or never): flagged."""
        return self.last_verified_on is None or self.last_verified_on <= add_months(
            today, -VERIFY_EVERY_MONTHS
        )

    def is_health_care(self) -> bool:
        return bool(HEALTH_CARE_CATEGORIES & set(self.categories))

    def get_categories_display(self) -> list[str]:
        labels = dict(ServiceCategory.choices)
        return [str(labels.get(code, code)) for code in self.categories]


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConsentQuerySet":
        scope = mentee_scope(user, "mentee__")
        return self.none() if scope is None else self.filter(scope)

    def update(self, **kwargs):
        # Only the revocation service writes to a consent, with one guarded
        # UPDATE (referrals.services.consent_revoke) through _revoke().
        raise RecordIsFinal("A consent is never edited: changes are a new consent.")

    def delete(self):
        raise RecordIsFinal("A consent is never deleted; it can be revoked.")

    def _revoke(self, **kwargs) -> int:
        return super().update(**kwargs)


class Consent(PlainConstraints, models.Model):
    """A mentee's written consent to disclose Part 2 information (42 CFR 2.31):
    who may disclose (the program), what, to whom, why, until when; the right
    to revoke is stated on the form and the page."""

    mentee = models.ForeignKey(MenteeProfile, on_delete=models.PROTECT, related_name="consents")
    categories = models.JSONField(_("what information"), default=list)
    recipient_kind = models.CharField(
        max_length=8, choices=RecipientKind.choices, default=RecipientKind.NAMED
    )
    recipient_name = models.CharField(_("recipient"), max_length=200, blank=True)
    recipient_resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, null=True, blank=True, related_name="consents"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    purpose_detail = models.CharField(_("purpose in words"), max_length=300, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    expiry_event = models.CharField(_("or expires when"), max_length=300, blank=True)
    signed_via = models.CharField(max_length=8, choices=SignedVia.choices)
    signed_name = models.CharField(_("signature (typed full name)"), max_length=200)
    signed_at = models.DateTimeField()
    signed_ip = models.CharField(max_length=45, blank=True)
    # Staff recording a paper consent upload the signed form (private storage).
    signed_form = models.FileField(
        upload_to=signed_form_path,
        storage=private_storage,
        blank=True,
        validators=[validate_upload],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_note = models.CharField(max_length=300, blank=True)

    objects = ConsentQuerySet.as_manager()

    constraint_fields = {
        "consent_has_an_expiry": "expires_on",
        "consent_names_its_recipient": "recipient_name",
        "consent_revocation_says_who_and_when": "revoked_at",
        "consent_other_purpose_in_words": "purpose_detail",
    }

    class Meta:
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=False) | ~Q(expiry_event=""),
                name="consent_has_an_expiry",
                violation_error_message=_("A consent states when it expires: a date or an event."),
            ),
            models.CheckConstraint(
                condition=Q(recipient_kind=RecipientKind.GENERAL, purpose=Purpose.TREATMENT)
                | (Q(recipient_kind=RecipientKind.NAMED) & ~Q(recipient_name="")),
                name="consent_names_its_recipient",
                violation_error_message=_(
                    "Name the recipient; a general designation is only for treatment, "
                    "payment and health care operations."
                ),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="consent_revocation_says_who_and_when",
                violation_error_message=_("A revocation says who revoked and when."),
            ),
            models.CheckConstraint(
                condition=~Q(categories=[]),
                name="consent_covers_something",
                violation_error_message=_("Choose what information the consent covers."),
            ),
            models.CheckConstraint(
                condition=~Q(purpose=Purpose.OTHER) | ~Q(purpose_detail=""),
                name="consent_other_purpose_in_words",
                violation_error_message=_("Say what the other purpose is."),
            ),
        ]

    def __str__(self) -> str:
        return f"consent {self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RecordIsFinal("A consent is never edited: changes are a new consent.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordIsFinal("A consent is never deleted; it can be revoked.")

    def covered_categories(self) -> frozenset[str]:
        if InformationCategory.ALL in self.categories:
            return EVERY_CATEGORY
        return frozenset(self.categories) & EVERY_CATEGORY

    def get_categories_display(self) -> list[str]:
        labels = dict(InformationCategory.choices)
        return [str(labels.get(code, code)) for code in self.categories]

    def recipient_display(self) -> str:
        if self.recipient_kind == RecipientKind.GENERAL:
            return str(RecipientKind.GENERAL.label)
        return self.recipient_name

    def expired_on(self, day: date) -> bool:
        """The expiry date is the last day the consent covers."""
        return self.expires_on is not None and day > self.expires_on

    def state_on(self, day: date) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expired_on(day):
            return "expired"
        return "active"


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReferralQuerySet":
        scope = mentee_scope(user, "mentee__")
        return self.none() if scope is None else self.filter(scope)


class Referral(PlainConstraints, models.Model):
    """Linking a mentee to a service: from the directory or a free-text
    organisation; a warm handoff shares information under a consent."""

    mentee = models.ForeignKey(MenteeProfile, on_delete=models.CASCADE, related_name="referrals")
    category = models.CharField(max_length=16, choices=ServiceCategory.choices)
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    organisation = models.CharField(max_length=200, blank=True)
    reason = models.TextField(_("why"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(max_length=16, choices=ReferralMode.choices)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    shared_categories = models.JSONField(_("information shared"), default=list, blank=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices, blank=True)
    status = models.CharField(
        max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    proposed_on = models.DateField()
    sent_on = models.DateField(null=True, blank=True)
    answered_on = models.DateField(_("accepted or declined on"), null=True, blank=True)
    outcome_on = models.DateField(_("connected or not on"), null=True, blank=True)
    not_connected_reason = models.CharField(max_length=300, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    constraint_fields = {
        "referral_names_a_service": "organisation",
        "referral_shares_only_under_consent": "mode",
        "referral_not_connected_says_why": "not_connected_reason",
    }

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resource__isnull=False) | ~Q(organisation=""),
                name="referral_names_a_service",
                violation_error_message=_("Choose a resource or name the organisation."),
            ),
            models.CheckConstraint(
                condition=Q(
                    mode=ReferralMode.INFORMATION_ONLY, shared_categories=[], consent__isnull=True
                )
                | (
                    Q(mode=ReferralMode.WARM_HANDOFF, consent__isnull=False)
                    & ~Q(shared_categories=[])
                    & ~Q(purpose="")
                ),
                name="referral_shares_only_under_consent",
                violation_error_message=_(
                    "Without a consent the referral can only be information given to the mentee."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.NOT_CONNECTED) | ~Q(not_connected_reason=""),
                name="referral_not_connected_says_why",
                violation_error_message=_("Say why the mentee was not connected."),
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"

    def recipient_name(self) -> str:
        return self.resource.organisation if self.resource is not None else self.organisation


class DisclosureQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DisclosureQuerySet":
        scope = mentee_scope(user, "mentee__")
        return self.none() if scope is None else self.filter(scope)

    def update(self, **kwargs):
        raise RecordIsFinal("A disclosure is never changed.")

    def delete(self):
        raise RecordIsFinal("A disclosure is never deleted.")


class Disclosure(models.Model):
    """Information that left the program: what, to whom, under which consent,
    by whom, when (the accounting of disclosures)."""

    mentee = models.ForeignKey(MenteeProfile, on_delete=models.PROTECT, related_name="disclosures")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="disclosures")
    kind = models.CharField(max_length=16, choices=DisclosureKind.choices)
    recipient_name = models.CharField(max_length=200)
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    categories = models.JSONField(default=list)
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    checkin = models.ForeignKey(
        "checkins.CheckIn", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    disclosed_at = models.DateTimeField()

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-disclosed_at", "-pk"]
        indexes = [models.Index(fields=["mentee", "disclosed_at"])]

    def __str__(self) -> str:
        return f"disclosure {self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RecordIsFinal("A disclosure is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordIsFinal("A disclosure is never deleted.")

    def get_categories_display(self) -> list[str]:
        labels = dict(InformationCategory.choices)
        return [str(labels.get(code, code)) for code in self.categories]
