"""Supervision: who supervises whom, supervision sessions, their action items
and the crisis debriefs a crisis check-in opens.

Supervision is about the mentor's practice. Mentees discussed are links to
records the reader must reach on their own (no names are written here), and
a session's notes are for its supervisor, its mentors and admins only.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Program
from core.constraints import PlainConstraints
from mentorship.models import MenteeProfile

from .choices import (
    ApprovalAction,
    ApprovalStatus,
    Qualification,
    SessionFormat,
    SessionKind,
)

# The defaults of a program that has not set its own.
DEFAULT_MONTHLY_MINIMUM_MINUTES = 120
DEFAULT_DEBRIEF_DUE_DAYS = 3
DEFAULT_TRAINING_DEADLINE_MONTHS = 6


class SupervisionSettings(PlainConstraints, models.Model):
    """A program's supervision rules (a program without a row has the defaults)."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="supervision_settings"
    )
    monthly_minimum_minutes = models.PositiveSmallIntegerField(
        _("minimum supervision a month (minutes)"), default=DEFAULT_MONTHLY_MINIMUM_MINUTES
    )
    debrief_due_days = models.PositiveSmallIntegerField(
        _("crisis debrief due within (days)"), default=DEFAULT_DEBRIEF_DUE_DAYS
    )
    training_deadline_months = models.PositiveSmallIntegerField(
        _("supervisor training due within (months of designation)"),
        default=DEFAULT_TRAINING_DEADLINE_MONTHS,
    )
    approvals_required = models.BooleanField(
        _("activating a plan, discharging and graduating need approval"),
        default=False,
        help_text=_(
            "The mentor's supervisor or a coordinator approves, with a comment, "
            "before the change takes effect."
        ),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_minimum_minutes__lte=2400),
                name="supervision_minimum_at_most_40_hours",
                violation_error_message=_(
                    "The monthly minimum is at most 40 hours (2400 minutes)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(debrief_due_days__gte=1, debrief_due_days__lte=30),
                name="supervision_debrief_due_1_to_30_days",
                violation_error_message=_("A crisis debrief is due within 1 to 30 days."),
            ),
            models.CheckConstraint(
                condition=Q(training_deadline_months__gte=1, training_deadline_months__lte=24),
                name="supervision_training_due_1_to_24_months",
                violation_error_message=_("Supervisor training is due within 1 to 24 months."),
            ),
        ]

    def __str__(self) -> str:
        return f"supervision settings of {self.program_id}"


def settings_of(program) -> SupervisionSettings:
    """The program's settings, or the defaults (unsaved) when it has none."""
    found = SupervisionSettings.objects.filter(program=program).first()
    return found or SupervisionSettings(program=program)


class SupervisorQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SupervisorQuerySet":
        """Staff records: admins every program's, the program's staff theirs."""
        if not user.is_authenticated or user.is_mentee:
            return self.none()
        if user.is_admin:
            return self.all()
        return self.filter(program_id=user.program_id)

    def current(self) -> "SupervisorQuerySet":
        return self.filter(ended_on__isnull=True)


class Supervisor(PlainConstraints, models.Model):
    """A coordinator, or a mentor the coordinator designated, who supervises."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisor"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="supervisors")
    qualification = models.CharField(
        _("qualification"), max_length=16, choices=Qualification.choices
    )
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True
    )
    license_number = models.CharField(
        _("license or registration number"), max_length=60, blank=True
    )
    designated_on = models.DateField(_("designated on"))
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    training_due_on = models.DateField(_("supervisor training due on"))
    training_completed_on = models.DateField(
        _("supervisor training completed on"), null=True, blank=True
    )
    ended_on = models.DateField(_("no longer supervises from"), null=True, blank=True)

    objects = SupervisorQuerySet.as_manager()

    constraint_fields = {
        "supervisor_peer_states_experience": "years_of_experience",
        "supervisor_professional_states_license": "license_number",
    }

    class Meta:
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(qualification="certified_peer") | Q(years_of_experience__isnull=False),
                name="supervisor_peer_states_experience",
                violation_error_message=_(
                    "A certified peer specialist supervisor states their years of experience."
                ),
            ),
            models.CheckConstraint(
                condition=Q(qualification="certified_peer") | ~Q(license_number=""),
                name="supervisor_professional_states_license",
                violation_error_message=_(
                    "A licensed or registered supervisor gives their license or registration number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(training_due_on__gte=F("designated_on")),
                name="supervisor_training_due_after_designation",
                violation_error_message=_("Training is due after the designation."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def training_overdue_on(self, today: date) -> bool:
        """Missed: not completed and the due date has passed (due today is not late)."""
        return self.training_completed_on is None and today > self.training_due_on


class SupervisorAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SupervisorAssignmentQuerySet":
        if not user.is_authenticated or user.is_mentee:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_coordinator:
            return self.filter(mentor__program_id=user.program_id)
        return self.filter(Q(mentor=user) | Q(supervisor__user=user))

    def current(self) -> "SupervisorAssignmentQuerySet":
        return self.filter(ended_on__isnull=True)


class SupervisorAssignment(PlainConstraints, models.Model):
    """A mentor supervised by a supervisor from `started_on` until `ended_on`."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisor_assignments"
    )
    supervisor = models.ForeignKey(Supervisor, on_delete=models.PROTECT, related_name="assignments")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = SupervisorAssignmentQuerySet.as_manager()

    constraint_fields = {"supervisor_assignment_one_current_per_mentor": "mentor"}

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor"],
                condition=Q(ended_on__isnull=True),
                name="supervisor_assignment_one_current_per_mentor",
                violation_error_message=_("This mentor already has a current supervisor."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="supervisor_assignment_ends_after_it_starts",
                violation_error_message=_("A supervision assignment ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"supervisor assignment {self.pk}"


class SupervisionSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SupervisionSessionQuerySet":
        """Admins every session; coordinators their program's (the notes only
        if they supervised it); a mentor the sessions they supervised or
        attended; mentees none."""
        if not user.is_authenticated or user.is_mentee:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_coordinator:
            return self.filter(program_id=user.program_id)
        # Their own, and their current supervisees' (the notes stay hidden).
        supervisees = SupervisorAssignment.objects.filter(
            supervisor__user=user, ended_on__isnull=True
        ).values("mentor_id")
        attended = SessionMentor.objects.filter(Q(mentor=user) | Q(mentor__in=supervisees)).values(
            "session_id"
        )
        return self.filter(Q(supervisor=user) | Q(pk__in=attended))


class SupervisionSession(PlainConstraints, models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_given"
    )
    kind = models.CharField(_("individual or group"), max_length=12, choices=SessionKind.choices)
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    format = models.CharField(_("format"), max_length=12, choices=SessionFormat.choices)
    topics = models.JSONField(_("topics"), default=list)
    notes = models.TextField(_("notes"), blank=True)
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="SessionMentor", related_name="supervision_received"
    )
    mentees_discussed = models.ManyToManyField(MenteeProfile, blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupervisionSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="supervision_session_5_to_480_minutes",
                violation_error_message=_("A session lasts 5 to 480 minutes."),
            ),
            models.CheckConstraint(
                condition=~Q(topics=[]),
                name="supervision_session_has_a_topic",
                violation_error_message=_("Choose at least one topic."),
            ),
        ]
        indexes = [models.Index(fields=["program", "held_on"])]

    def __str__(self) -> str:
        return f"supervision session {self.pk}"

    def notes_visible_to(self, user, mentor_ids=None) -> bool:
        """The supervisor, the session's mentors and admins; never anyone else."""
        if user.is_admin or user.pk == self.supervisor_id:
            return True
        if mentor_ids is None:
            mentor_ids = {m.mentor_id for m in self.attendance.all()}
        return user.pk in mentor_ids

    def get_topics_display(self) -> list[str]:
        from .choices import Topic

        labels = dict(Topic.choices)
        return [str(labels.get(code, code)) for code in self.topics]


class SessionMentor(PlainConstraints, models.Model):
    """A mentor supervised in a session, and their acknowledgement of it."""

    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="attendance"
    )
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "mentor"],
                name="supervision_mentor_once_per_session",
                violation_error_message=_("This mentor is already in the session."),
            ),
        ]
        indexes = [models.Index(fields=["mentor", "session"])]

    def __str__(self) -> str:
        return f"session mentor {self.pk}"


class ActionItem(PlainConstraints, models.Model):
    """Something a mentor agreed to do in a session; the mentor ticks it off."""

    session = models.ForeignKey(
        SupervisionSession, on_delete=models.CASCADE, related_name="action_items"
    )
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("action item"), max_length=300)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description=""),
                name="supervision_action_item_says_what",
                violation_error_message=_("Say what is to be done."),
            ),
        ]

    def __str__(self) -> str:
        return f"action item {self.pk}"


class CrisisDebriefQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CrisisDebriefQuerySet":
        if not user.is_authenticated or user.is_mentee:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_coordinator:
            return self.filter(program_id=user.program_id)
        supervised = SupervisorAssignment.objects.current().filter(supervisor__user=user)
        return self.filter(Q(mentor=user) | Q(mentor__in=supervised.values("mentor_id")))

    def open(self) -> "CrisisDebriefQuerySet":
        """Not closed, and its check-in not voided (a crisis logged by
        mistake needs no debrief)."""
        return self.filter(closed_at__isnull=True, checkin__voided_at__isnull=True)


class CrisisDebrief(PlainConstraints, models.Model):
    """Opened by a crisis-flagged check-in; closed by a supervision session
    with the crisis debrief topic."""

    checkin = models.OneToOneField(
        "checkins.CheckIn", on_delete=models.PROTECT, related_name="crisis_debrief"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField()
    due_on = models.DateField()
    session = models.ForeignKey(
        SupervisionSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="debriefs",
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CrisisDebriefQuerySet.as_manager()

    constraint_fields = {"crisis_debrief_closed_by_a_session": "session"}

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, session__isnull=True)
                | Q(closed_at__isnull=False, session__isnull=False),
                name="crisis_debrief_closed_by_a_session",
                violation_error_message=_("A crisis debrief is closed by a supervision session."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opened_on")),
                name="crisis_debrief_due_after_opening",
                violation_error_message=_("A crisis debrief is due after it opens."),
            ),
        ]
        indexes = [models.Index(fields=["program", "closed_at", "due_on"])]

    def __str__(self) -> str:
        return f"crisis debrief {self.pk}"

    def overdue_on(self, today: date) -> bool:
        """Late the day after it is due (due today is still on time)."""
        return self.closed_at is None and today > self.due_on


class FollowUpRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FollowUpRequestQuerySet":
        """Coordinators their program's; a mentor the requests asked of them
        and those they asked (as a supervisor); admins only those about
        mentees they reach (a break-glass grant); mentees none."""
        from mentorship.models import mentee_scope

        if not user.is_authenticated or user.is_mentee:
            return self.none()
        if user.is_admin:
            scope = mentee_scope(user, "mentee__")
            return self.none() if scope is None else self.filter(scope)
        if user.is_coordinator:
            return self.filter(program_id=user.program_id)
        return self.filter(Q(mentor=user) | Q(requested_by=user))

    def open(self) -> "FollowUpRequestQuerySet":
        return self.filter(resolved_at__isnull=True)

    def resolved(self) -> "FollowUpRequestQuerySet":
        return self.filter(resolved_at__isnull=False)


class FollowUpRequest(PlainConstraints, models.Model):
    """A supervisor of the mentor, or a coordinator of the program, asks the
    mentee's current mentor to follow something up on a check-in or a
    recovery plan; the mentor answers with a note that resolves it."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    mentee = models.ForeignKey(MenteeProfile, on_delete=models.CASCADE, related_name="+")
    checkin = models.ForeignKey(
        "checkins.CheckIn",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_up_requests",
    )
    plan = models.ForeignKey(
        "recovery_plans.RecoveryPlan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_up_requests",
    )
    # The mentee's current mentor when it was asked: the one who answers.
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(_("what to follow up"), max_length=500)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpRequestQuerySet.as_manager()

    constraint_fields = {
        "follow_up_request_on_a_checkin_or_a_plan": "checkin",
        "follow_up_request_says_what": "text",
        "follow_up_request_resolved_with_an_answer": "answer",
    }

    class Meta:
        ordering = ["resolved_at", "due_on", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checkin__isnull=False, plan__isnull=True)
                | Q(checkin__isnull=True, plan__isnull=False),
                name="follow_up_request_on_a_checkin_or_a_plan",
                violation_error_message=_("A follow-up request is about one check-in or one plan."),
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="follow_up_request_says_what",
                violation_error_message=_("Say what to follow up."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, answer="")
                | (Q(resolved_at__isnull=False) & ~Q(answer="")),
                name="follow_up_request_resolved_with_an_answer",
                violation_error_message=_("A follow-up request is resolved with an answer."),
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "resolved_at"]),
            models.Index(fields=["program", "resolved_at"]),
            models.Index(fields=["requested_by", "resolved_at"]),
        ]

    def __str__(self) -> str:
        return f"follow-up request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def overdue_on(self, today: date) -> bool:
        return self.resolved_at is None and self.due_on is not None and today > self.due_on


class ApprovalRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApprovalRequestQuerySet":
        """Admins every request; coordinators their program's; a mentor the
        requests they made, those about their own mentees and, as a
        supervisor, their current supervisees'; mentees none."""
        if not user.is_authenticated or user.is_mentee:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_coordinator:
            return self.filter(program_id=user.program_id)
        supervisees = SupervisorAssignment.objects.filter(
            supervisor__user=user, ended_on__isnull=True
        ).values("mentor_id")
        return self.filter(
            Q(requested_by=user) | Q(mentor=user) | Q(mentor__in=supervisees),
            program_id=user.program_id,
        )

    def open(self) -> "ApprovalRequestQuerySet":
        return self.filter(status=ApprovalStatus.REQUESTED)


class ApprovalRequest(PlainConstraints, models.Model):
    """An action asked for where the program requires approval: it takes
    effect only when the mentor's supervisor or a coordinator approves it.

    `details` keeps what the asking service needs to act later (the status
    and the discharge reason, or the mark of the plan's content that was
    read); `mentor` is the mentee's mentor when it was asked, whose
    supervisor may decide."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=ApprovalAction.choices)
    mentee = models.ForeignKey(MenteeProfile, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(
        "recovery_plans.RecoveryPlan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)

    objects = ApprovalRequestQuerySet.as_manager()

    constraint_fields = {
        "approval_one_open_per_subject": "action",
        "approval_decision_has_comment": "comment",
        "approval_decided_by_someone_else": "decided_by",
    }

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "mentee", "plan"],
                condition=Q(status="requested"),
                nulls_distinct=False,
                name="approval_one_open_per_subject",
                violation_error_message=_("This is already waiting for approval."),
            ),
            models.CheckConstraint(
                condition=Q(action="plan_activation", plan__isnull=False)
                | (~Q(action="plan_activation") & Q(plan__isnull=True)),
                name="approval_plan_only_for_activation",
                violation_error_message=_("Only a plan's activation names a plan."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "approved", "rejected", "withdrawn"]),
                name="approval_status_valid",
                violation_error_message=_("A request is waiting, approved, rejected or withdrawn."),
            ),
            models.CheckConstraint(
                condition=Q(
                    status="requested",
                    decided_by__isnull=True,
                    decided_at__isnull=True,
                    comment="",
                )
                | (~Q(status="requested") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="approval_decided_when_closed",
                violation_error_message=_(
                    "A decided request says who decided and when; a waiting one does not."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"]) | ~Q(comment=""),
                name="approval_decision_has_comment",
                violation_error_message=_("Write a comment with the decision."),
            ),
            models.CheckConstraint(
                condition=Q(status="requested")
                | (Q(status="withdrawn") & Q(decided_by=F("requested_by")))
                | (Q(status__in=["approved", "rejected"]) & ~Q(decided_by=F("requested_by"))),
                name="approval_decided_by_someone_else",
                violation_error_message=_(
                    "A request is approved or rejected by someone other than the person "
                    "who asked, and withdrawn only by them."
                ),
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"approval request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == ApprovalStatus.REQUESTED
