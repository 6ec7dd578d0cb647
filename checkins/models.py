import uuid
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.constraints import PlainConstraints, field_of
from mentorship.choices import DeliveryMethod, MenteeStatus
from mentorship.models import Assignment, MenteeProfile, mentee_scope

from .recovery_capital import ITEM_FIELDS, SUSTAINED_REMISSION_THRESHOLD

# A check-in can be corrected by its author for this long; after, it is the record.
CORRECTION_WINDOW = timedelta(days=7)


class SupportType(models.TextChoices):
    EMOTIONAL = "emotional", _("emotional")
    INFORMATIONAL = "informational", _("informational")
    INSTRUMENTAL = "instrumental", _("instrumental")
    AFFILIATIONAL = "affiliational", _("affiliational")


class Mood(models.IntegerChoices):
    VERY_LOW = 1, _("very low")
    LOW = 2, _("low")
    OKAY = 3, _("okay")
    GOOD = 4, _("good")
    VERY_GOOD = 5, _("very good")


class CollateralRole(models.TextChoices):
    FAMILY = "family", _("family member")
    COUNSELOR = "counselor", _("counselor")
    PROBATION = "probation", _("probation or parole officer")
    HOUSING = "housing", _("housing manager")
    EMPLOYER = "employer", _("employer")
    OTHER = "other", _("other")


class CheckInQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CheckInQuerySet":
        """The check-ins of the mentees the user reaches (mentorship's scope):
        admins all, coordinators their program's, mentors their current
        mentees', mentees their own."""
        scope = mentee_scope(user, "mentee__")
        return self.none() if scope is None else self.filter(scope)

    def contacts(self) -> "CheckInQuerySet":
        """Contacts that count: a voided one was entered by mistake."""
        return self.filter(kind__in=CONTACT_KINDS, voided_at__isnull=True)

    def counted(self) -> "CheckInQuerySet":
        """What schedules, outcomes and billing count: everything not voided."""
        return self.filter(voided_at__isnull=True)


class CheckIn(PlainConstraints, models.Model):
    """An accountability check-in: a contact made, an attempt, or the mentee's
    own self check-in."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("check-in")
        ATTEMPT = "attempt", _("attempted contact")
        SELF = "self", _("self check-in")
        # About the mentee with someone else (family, a counselor, probation):
        # engagement, not contact with the mentee; no substance-use data.
        COLLATERAL = "collateral", _("collateral contact")
        # Present at a peer support group (GroupSession): contact that counts
        # for schedules and gaps; the group's notes stay on the group.
        GROUP = "group", _("group session")

    mentee = models.ForeignKey(MenteeProfile, on_delete=models.CASCADE, related_name="checkins")
    # The mentor assigned at the time (kept if the mentee is reassigned later).
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkins_written"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CONTACT)
    occurred_at = models.DateTimeField("when it happened")
    delivery_method = models.CharField(max_length=16, choices=DeliveryMethod.choices, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    support_types = models.JSONField(default=list, blank=True)
    substance_use_days = models.PositiveSmallIntegerField(
        _("days of substance use since the last check-in"), null=True, blank=True
    )
    craving_level = models.PositiveSmallIntegerField(null=True, blank=True)
    mood = models.PositiveSmallIntegerField(choices=Mood.choices, null=True, blank=True)
    notes = models.TextField(blank=True)
    message_to_mentor = models.TextField(blank=True)
    crisis_flag = models.BooleanField(default=False)
    crisis_notes = models.TextField(blank=True)
    crisis_handled_at = models.DateTimeField(null=True, blank=True)
    crisis_handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    crisis_handled_note = models.TextField(blank=True)
    next_checkin_on = models.DateField(_("next check-in"), null=True, blank=True)
    collateral_name = models.CharField(_("who"), max_length=150, blank=True)
    collateral_role = models.CharField(
        _("their role"), max_length=16, choices=CollateralRole.choices, blank=True
    )
    collateral_organisation = models.CharField(_("their organisation"), max_length=200, blank=True)
    goals_discussed = models.ManyToManyField(
        "recovery_plans.Goal", blank=True, related_name="checkins"
    )
    # Set false when the mentor's certification does not allow billing.
    billable = models.BooleanField(default=True)
    # Set exactly on a check-in of kind group: the group it was made by.
    group_session = models.ForeignKey(
        "GroupSession", on_delete=models.PROTECT, null=True, blank=True, related_name="checkins"
    )
    # The form (or the API's Idempotency-Key header) sends one key per check-in:
    # a double click or a network retry finds the first row instead of a second.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Entered by mistake: kept and shown struck through, counted nowhere.
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CheckInQuerySet.as_manager()

    constraint_fields = {
        "checkin_void_says_who_when_and_why": "void_reason",
        "checkin_contact_or_attempt_has_a_method": "delivery_method",
        "checkin_crisis_notes_only_with_flag": "crisis_notes",
        "checkin_collateral_says_with_whom": "collateral_name",
        "checkin_collateral_has_no_substance_use": "substance_use_days",
        "checkin_group_kind_goes_with_its_group": "kind",
    }

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True, voided_by__isnull=True, void_reason="")
                | (Q(voided_at__isnull=False, voided_by__isnull=False) & ~Q(void_reason="")),
                name="checkin_void_says_who_when_and_why",
                violation_error_message=_("A voided check-in says who voided it, when and why."),
            ),
            models.CheckConstraint(
                condition=Q(craving_level__isnull=True)
                | (Q(craving_level__gte=0) & Q(craving_level__lte=10)),
                name="checkin_craving_0_to_10",
                violation_error_message=_("Craving is from 0 (none) to 10 (strongest)."),
            ),
            models.CheckConstraint(
                condition=Q(mood__isnull=True) | (Q(mood__gte=1) & Q(mood__lte=5)),
                name="checkin_mood_1_to_5",
                violation_error_message=_("Mood is from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | (Q(duration_minutes__gte=1) & Q(duration_minutes__lte=600)),
                name="checkin_duration_1_to_600_minutes",
                violation_error_message=_("Minutes are from 1 to 600."),
            ),
            # An attempt records only the method and the time.
            models.CheckConstraint(
                condition=~Q(kind="attempt")
                | (
                    Q(
                        substance_use_days__isnull=True,
                        craving_level__isnull=True,
                        mood__isnull=True,
                    )
                    & Q(crisis_flag=False, duration_minutes__isnull=True)
                ),
                name="checkin_attempt_records_method_and_time_only",
                violation_error_message=_("An attempt records only how and when."),
            ),
            models.CheckConstraint(
                condition=Q(kind="self") | ~Q(delivery_method=""),
                name="checkin_contact_or_attempt_has_a_method",
                violation_error_message=_("Choose how the check-in happened."),
            ),
            models.CheckConstraint(
                condition=Q(crisis_flag=True) | Q(crisis_notes=""),
                name="checkin_crisis_notes_only_with_flag",
                violation_error_message=_("Crisis notes go with a crisis flag."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["contact", "attempt", "self", "collateral", "group"]),
                name="checkin_kind_valid",
                violation_error_message=_(
                    "Choose a check-in, an attempt, a self check-in, a collateral contact or a group session."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="group", group_session__isnull=False)
                | (~Q(kind="group") & Q(group_session__isnull=True)),
                name="checkin_group_kind_goes_with_its_group",
                violation_error_message=_("A group check-in comes from its group session."),
            ),
            models.CheckConstraint(
                condition=Q(kind="collateral", collateral_role__gt="", collateral_name__gt="")
                | (~Q(kind="collateral") & Q(collateral_role="", collateral_name="")),
                name="checkin_collateral_says_with_whom",
                violation_error_message=_("A collateral contact says with whom and their role."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="collateral")
                | Q(
                    substance_use_days__isnull=True,
                    craving_level__isnull=True,
                    mood__isnull=True,
                    crisis_flag=False,
                ),
                name="checkin_collateral_has_no_substance_use",
                violation_error_message=_("A collateral contact carries no substance-use data."),
            ),
        ]
        indexes = [
            models.Index(fields=["mentee", "-occurred_at"]),
            models.Index(fields=["crisis_flag", "crisis_handled_at"]),
            # The open crises, a handful of rows: the caseload's and the mentee
            # list's "crisis" badge is an index probe per mentee.
            models.Index(
                fields=["mentee"],
                condition=Q(
                    crisis_flag=True, crisis_handled_at__isnull=True, voided_at__isnull=True
                ),
                name="checkin_open_crisis",
            ),
            # Contacts that count (CheckInQuerySet.contacts), by mentee and time:
            # the last contact of every mentee, and "none since", are read
            # from this index alone (contact-gap sweep, dashboards).
            models.Index(
                fields=["mentee", "occurred_at"],
                condition=Q(kind__in=["contact", "group"], voided_at__isnull=True),
                name="checkin_contacts_by_mentee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def validate_constraints(self, exclude=None) -> None:
        """The table's constraints decided in Python (CONSTRAINTS_IN_PYTHON),
        each refusal with the constraint's plain message and, when it is about
        one field, beside that field. Django's own check asks the database once
        per constraint, which the busiest write of the app (logging a
        check-in) cannot afford; the constraints stay in the table as the
        backstop. Like Django, a constraint on an excluded field is skipped."""
        exclude = set(exclude or ())
        errors: dict[str, list[ValidationError]] = {}
        for constraint in self._meta.constraints:
            assert isinstance(constraint, models.CheckConstraint)
            assert isinstance(constraint.condition, Q)
            if constraint.condition.referenced_base_fields & exclude:
                continue
            if not CONSTRAINTS_IN_PYTHON[constraint.name](self):
                field = field_of(CheckIn, constraint) or NON_FIELD_ERRORS
                errors.setdefault(field, []).append(
                    ValidationError(
                        constraint.get_violation_error_message(),
                        code=constraint.violation_error_code,
                    )
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open_crisis(self) -> bool:
        return self.crisis_flag and self.crisis_handled_at is None

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    def correctable_until(self):
        return self.created_at + CORRECTION_WINDOW


# CheckIn's constraints as Python predicates: whether the row keeps the rule.
# A NULL passes, as in the database. tests/checkins/test_constraints_in_python.py
# holds each to the database's verdict on every boundary; where a refusal
# stands is the model's `constraint_fields` (core.constraints.field_of).
CONSTRAINTS_IN_PYTHON: dict[str, Callable[[CheckIn], bool]] = {
    "checkin_void_says_who_when_and_why": lambda c: (
        (c.voided_at is None and c.voided_by_id is None and c.void_reason == "")
        or (c.voided_at is not None and c.voided_by_id is not None and c.void_reason != "")
    ),
    "checkin_craving_0_to_10": lambda c: c.craving_level is None or 0 <= c.craving_level <= 10,
    "checkin_mood_1_to_5": lambda c: c.mood is None or 1 <= c.mood <= 5,
    "checkin_duration_1_to_600_minutes": lambda c: (
        c.duration_minutes is None or 1 <= c.duration_minutes <= 600
    ),
    "checkin_attempt_records_method_and_time_only": lambda c: (
        c.kind != "attempt"
        or (
            c.substance_use_days is None
            and c.craving_level is None
            and c.mood is None
            and not c.crisis_flag
            and c.duration_minutes is None
        )
    ),
    "checkin_contact_or_attempt_has_a_method": lambda c: (
        c.kind == "self" or c.delivery_method != ""
    ),
    "checkin_crisis_notes_only_with_flag": lambda c: bool(c.crisis_flag) or c.crisis_notes == "",
    "checkin_kind_valid": lambda c: c.kind in ("contact", "attempt", "self", "collateral", "group"),
    "checkin_group_kind_goes_with_its_group": lambda c: (
        (c.kind == "group" and c.group_session_id is not None)
        or (c.kind != "group" and c.group_session_id is None)
    ),
    "checkin_collateral_says_with_whom": lambda c: (
        (c.kind == "collateral" and c.collateral_role != "" and c.collateral_name != "")
        or (c.kind != "collateral" and c.collateral_role == "" and c.collateral_name == "")
    ),
    "checkin_collateral_has_no_substance_use": lambda c: (
        c.kind != "collateral"
        or (
            c.substance_use_days is None
            and c.craving_level is None
            and c.mood is None
            and not c.crisis_flag
        )
    ),
}


# Kinds that are contact with the mentee: schedules and gaps count them.
CONTACT_KINDS = ("contact", "group")


class GroupSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "GroupSessionQuerySet":
        """Coordinators their program's groups; mentors the groups they
        facilitated or co-facilitated; nobody else (a group names many
        mentees: an admin's break-glass grant is for one)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_coordinator:
            return self.filter(program_id=user.program_id)
        if user.is_mentor:
            return self.filter(Q(facilitator=user) | Q(co_facilitator=user))
        return self.none()


class GroupSession(PlainConstraints, models.Model):
    """A peer support group, logged once for many mentees: each present
    attendee (or one who left early) gets a check-in of kind group. The
    group's notes stay here, never copied into individual records."""

    program = models.ForeignKey(
        "accounts.Program", on_delete=models.PROTECT, related_name="group_sessions"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="groups_facilitated"
    )
    co_facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(_("when it happened"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"))
    delivery_method = models.CharField(
        _("how it was held"), max_length=16, choices=DeliveryMethod.choices
    )
    topic = models.CharField(_("topic"), max_length=200)
    location = models.CharField(_("location"), max_length=200, blank=True)
    notes = models.TextField(_("group notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupSessionQuerySet.as_manager()

    constraint_fields = {
        "group_duration_1_to_600_minutes": "duration_minutes",
        "group_has_a_topic": "topic",
        "group_co_facilitator_is_another_person": "co_facilitator",
    }

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=600),
                name="group_duration_1_to_600_minutes",
                violation_error_message=_("Minutes are from 1 to 600."),
            ),
            models.CheckConstraint(
                condition=~Q(topic=""),
                name="group_has_a_topic",
                violation_error_message=_("Say the group's topic."),
            ),
            models.CheckConstraint(
                condition=Q(delivery_method__in=["in_person", "telephone", "telehealth"]),
                name="group_delivery_method_valid",
                violation_error_message=_("Choose how the group was held."),
            ),
            models.CheckConstraint(
                condition=Q(co_facilitator__isnull=True)
                | ~Q(co_facilitator=models.F("facilitator")),
                name="group_co_facilitator_is_another_person",
                violation_error_message=_(
                    "The co-facilitator is someone other than the facilitator."
                ),
            ),
        ]
        indexes = [models.Index(fields=["program", "-occurred_at"])]

    def __str__(self) -> str:
        return f"Group session #{self.pk}"


class Attendance(models.TextChoices):
    PRESENT = "present", _("present")
    LEFT_EARLY = "left_early", _("left early")
    ABSENT = "absent", _("absent")


# Attended (present, or left early): the attendee gets a check-in.
ATTENDED = (Attendance.PRESENT, Attendance.LEFT_EARLY)


class GroupAttendance(PlainConstraints, models.Model):
    """One mentee's attendance at a group, with a short individual note."""

    group = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    mentee = models.ForeignKey(MenteeProfile, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Attendance.choices)
    note = models.CharField(_("individual note"), max_length=500, blank=True)
    checkin = models.OneToOneField(
        CheckIn, on_delete=models.PROTECT, null=True, blank=True, related_name="group_attendance"
    )

    constraint_fields = {"group_attendance_checkin_when_attended": "status"}

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "mentee"],
                name="group_attendance_once_per_mentee",
                violation_error_message=_("A mentee is listed once in a group."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["present", "left_early", "absent"]),
                name="group_attendance_status_valid",
                violation_error_message=_("Choose present, left early or absent."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["present", "left_early"], checkin__isnull=False)
                | Q(status="absent", checkin__isnull=True),
                name="group_attendance_checkin_when_attended",
                violation_error_message=_(
                    "An attendee who came has a check-in; an absent one has none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Attendance #{self.pk}"


class CheckInScheduleQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CheckInScheduleQuerySet":
        scope = mentee_scope(user, "assignment__mentee__")
        return self.none() if scope is None else self.filter(scope)

    def active(self) -> "CheckInScheduleQuerySet":
        return self.filter(
            assignment__ended_at__isnull=True, assignment__mentee__status=MenteeStatus.ACTIVE
        )


# A crisis is alerted once: one notification per coordinator under this key.
CRISIS_DUE_KEY = "raised"


class CheckInSchedule(PlainConstraints, models.Model):
    """When the next check-in of an active assignment is due."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="schedule")
    cadence_days = models.PositiveSmallIntegerField(default=7)
    next_due_on = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = CheckInScheduleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_days__gte=1) & Q(cadence_days__lte=90),
                name="schedule_cadence_1_to_90_days",
                violation_error_message=_("The check-in cadence is between 1 and 90 days."),
            )
        ]
        indexes = [models.Index(fields=["next_due_on"])]

    def __str__(self) -> str:
        return f"Schedule of assignment {self.assignment_id}"

    def is_overdue(self, today: date) -> bool:
        """`today` is the program's (core.dates.program_today)."""
        return self.next_due_on < today


class RecoveryCapitalAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RecoveryCapitalAssessmentQuerySet":
        scope = mentee_scope(user, "mentee__")
        return self.none() if scope is None else self.filter(scope)


class RecoveryCapitalAssessment(PlainConstraints, models.Model):
    """A BARC-10: ten items scored 1–6, at intake and every 90 days."""

    mentee = models.ForeignKey(
        MenteeProfile, on_delete=models.CASCADE, related_name="recovery_capital_assessments"
    )
    assessed_on = models.DateField(default=timezone.localdate)
    item_1 = models.PositiveSmallIntegerField()
    item_2 = models.PositiveSmallIntegerField()
    item_3 = models.PositiveSmallIntegerField()
    item_4 = models.PositiveSmallIntegerField()
    item_5 = models.PositiveSmallIntegerField()
    item_6 = models.PositiveSmallIntegerField()
    item_7 = models.PositiveSmallIntegerField()
    item_8 = models.PositiveSmallIntegerField()
    item_9 = models.PositiveSmallIntegerField()
    item_10 = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField(editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecoveryCapitalAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["assessed_on", "pk"]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 1}) & Q(**{f"{field}__lte": 6}),
                    name=f"barc10_{field}_1_to_6",
                    violation_error_message=f"Statement {field.removeprefix('item_')} is scored from 1 to 6.",
                )
                for field in ITEM_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(total__gte=10) & Q(total__lte=60),
                name="barc10_total_10_to_60",
                violation_error_message=_("A BARC-10 total is from 10 to 60."),
            ),
        ]

    def __str__(self) -> str:
        return f"BARC-10 of {self.assessed_on}"

    def save(self, *args, **kwargs):
        self.total = sum(getattr(self, field) for field in ITEM_FIELDS)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "total"}
        super().save(*args, **kwargs)

    @property
    def meets_remission_threshold(self) -> bool:
        return self.total >= SUSTAINED_REMISSION_THRESHOLD
