import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.constraints import PlainConstraints

from .counties import CALIFORNIA_COUNTIES


def normalise_county(state: str, county: str) -> str:
    """A California program names one of the 58 counties (any case); elsewhere, free text."""
    county = (county or "").strip()
    if (state or "").upper() != "CA":
        return county
    match = {c.lower(): c for c in CALIFORNIA_COUNTIES}.get(county.lower())
    if match is None:
        raise ValidationError({"county": gettext("Choose one of California's 58 counties.")})
    return match


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            gettext("%(value)s is not a known time zone.") % {"value": repr(value)}
        )


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProgramQuerySet":
        """Admins see every program; everyone else only their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin:
            return self.all()
        return self.filter(pk=user.program_id)


class Program(PlainConstraints, models.Model):
    name = models.CharField(max_length=120, unique=True)
    state = models.CharField(
        max_length=2,
        default="CA",
        help_text=_("Two-letter US state code. California programs pick one of its 58 counties."),
    )
    county = models.CharField(max_length=80)
    time_zone = models.CharField(
        max_length=64, default="America/Los_Angeles", validators=[validate_time_zone]
    )
    default_checkin_cadence_days = models.PositiveSmallIntegerField(
        _("default check-in cadence (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    overdue_grace_days = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(30)],
        help_text=_("Days past due before a check-in counts as overdue for coordinators."),
    )
    coordinators_may_cover = models.BooleanField(
        _("coordinators of other programs may cover in an emergency"),
        default=False,
        help_text=_(
            "Coordinators of other programs may open one of this program's mentee records in "
            "an emergency (break-glass): with a reason, for an hour, recorded and announced."
        ),
    )
    min_months_in_recovery = models.PositiveSmallIntegerField(
        _("minimum months in recovery for new mentees"),
        default=6,
        validators=[MaxValueValidator(120)],
        help_text=_("A mentor takes new mentees only after this long in recovery (0: no minimum)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_checkin_cadence_days__gte=1)
                & Q(default_checkin_cadence_days__lte=90),
                name="program_cadence_1_to_90_days",
                violation_error_message=_("The check-in cadence is between 1 and 90 days."),
            ),
            models.CheckConstraint(
                condition=Q(overdue_grace_days__gte=0) & Q(overdue_grace_days__lte=30),
                name="program_grace_at_most_30_days",
                violation_error_message=_("Grace days are from 0 to 30."),
            ),
            models.CheckConstraint(
                condition=~Q(county=""),
                name="program_county_required",
                violation_error_message=_("Choose the program's county."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.state = (self.state or "").upper()
        self.county = normalise_county(self.state, self.county)


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    COORDINATOR = "coordinator", _("Coordinator")
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


ALL_ROLES = frozenset(Role)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("full_name", email.split("@")[0])
        return self.create_user(email, password, **fields)

    def coordinators_of(self, program):
        """The program's active coordinators: who is told about its mentees."""
        return self.get_queryset().filter(program=program, role=Role.COORDINATOR, is_active=True)

    def visible_to(self, user):
        """Admins see everyone; coordinators their program; others themselves."""
        qs = self.get_queryset()
        if not user.is_authenticated:
            return qs.none()
        if user.is_admin:
            return qs.all()
        if user.is_coordinator:
            return qs.filter(program_id=user.program_id)
        return qs.filter(pk=user.pk)


class User(PlainConstraints, AbstractBaseUser):
    """A person who signs in. Email is the login; the role decides what they see.

    Admins belong to no program; everyone else belongs to exactly one (database
    constraint). Django admin access follows the role, not a separate flag.
    """

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=16, choices=Role.choices)
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    constraint_fields = {"user_program_required_unless_admin": "program"}

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.ADMIN) & Q(program__isnull=True))
                | (~Q(role=Role.ADMIN) & Q(program__isnull=False)),
                name="user_program_required_unless_admin",
                violation_error_message=_(
                    "Admins belong to no program; everyone else belongs to one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="user_role_valid",
                violation_error_message=_("Choose admin, coordinator, mentor or mentee."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message=_("Someone already signs in with this email address."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if self.role == Role.ADMIN and self.program_id:
            raise ValidationError({"program": gettext("Admins belong to no program.")})
        if self.role and self.role != Role.ADMIN and not self.program_id:
            raise ValidationError(
                {"program": gettext("Choose the program this person belongs to.")}
            )

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR

    @property
    def is_mentee(self) -> bool:
        return self.role == Role.MENTEE

    # Django admin: open to active admins only, with every permission.
    @property
    def is_staff(self) -> bool:
        return self.is_active and self.is_admin

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm, obj=None) -> bool:
        return self.is_staff

    def has_perms(self, perm_list, obj=None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label) -> bool:
        return self.is_staff


def hash_invitation_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InvitationQuerySet":
        """Admins see every invitation; coordinators their program's; others none."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_coordinator:
            return self.filter(program_id=user.program_id)
        return self.none()

    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(PlainConstraints, models.Model):
    """A one-time link that lets a person create their login.

    Only the SHA-256 of the token is stored: a database leak does not leak
    working links.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitation",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    constraint_fields = {
        "invitation_program_required_unless_admin": "program",
        "invitation_one_open_per_email": "email",
    }

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.ADMIN) & Q(program__isnull=True))
                | (~Q(role=Role.ADMIN) & Q(program__isnull=False)),
                name="invitation_program_required_unless_admin",
                violation_error_message=_("Choose the program to invite this person into."),
            ),
            # One open invitation per address: inviting again revokes the old link.
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
                violation_error_message=_("This address already has an open invitation."),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
                violation_error_message=_("An invitation expires after it is made."),
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} ({self.get_role_display()})"

    @classmethod
    def new_token(cls) -> str:
        return secrets.token_urlsafe(32)

    @classmethod
    def default_expiry(cls):
        return timezone.now() + timedelta(days=settings.PEERPATH_INVITATION_DAYS)

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)


class ApiTokenLabelQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApiTokenLabelQuerySet":
        """Admins see every token; everyone else their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin:
            return self.all()
        return self.filter(token__user=user)

    def live(self) -> "ApiTokenLabelQuerySet":
        return self.filter(Q(token__expiry__isnull=True) | Q(token__expiry__gt=timezone.now()))


class ApiTokenLabel(models.Model):
    """What a personal API token (knox's AuthToken, a digest) lacks: the name
    its owner gave it and when it was last used. Revoking deletes the token,
    and this row with it."""

    token = models.OneToOneField("knox.AuthToken", on_delete=models.CASCADE, related_name="label")
    name = models.CharField(max_length=80)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenLabelQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class UserSession(models.Model):
    """A session a user signed in with, so that all of them can be ended at
    once (sign-out, deactivation, a new password)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"session of user {self.user_id}"
