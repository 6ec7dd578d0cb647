from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Program
from core.constraints import PlainConstraints
from mentorship.models import MenteeProfile, mentee_scope

if TYPE_CHECKING:
    from .progress import Progress

# Stored as written here (a new plan's default); shown in the reader's language
# while nobody has changed it (SafetyPlan.crisis_lines).
DEFAULT_CRISIS_LINES = gettext_noop("988 Suicide & Crisis Lifeline: call or text 988, any time.")


class Domain(models.TextChoices):
    """SAMHSA's four dimensions of recovery, and room for anything else."""

    HEALTH = "health", _("Health")
    HOME = "home", _("Home")
    PURPOSE = "purpose", _("Purpose")
    COMMUNITY = "community", _("Community")
    OTHER = "other", _("Other")


class Ordered(models.Model):
    """A part of a plan or template that the people writing it put in order."""

    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return str(getattr(self, "description", ""))[:60]


class ScopedQuerySet(models.QuerySet):
    """Plans and their parts follow mentorship's rule for the mentee they are
    about; a mentee never sees drafts, only plans made active for them."""

    scope_prefix = ""  # the way from the queried model to its RecoveryPlan

    def visible_to(self, user):
        scope = mentee_scope(user, f"{self.scope_prefix}mentee__")
        if scope is None:
            return self.none()
        if user.is_mentee:
            scope &= ~Q(**{f"{self.scope_prefix}status": "draft"})
        return self.filter(scope)


class RecoveryPlanQuerySet(ScopedQuerySet):
    scope_prefix = ""


class RecoveryPlan(PlainConstraints, models.Model):
    """One version of a mentee's recovery plan. Drafts and archived versions
    are kept; the database allows one active plan per mentee."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan status", "draft")
        ACTIVE = "active", pgettext_lazy("plan status", "active")
        ARCHIVED = "archived", pgettext_lazy("plan status", "archived")

    mentee = models.ForeignKey(
        MenteeProfile, on_delete=models.CASCADE, related_name="recovery_plans"
    )
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # When what the mentee agrees to last changed in the active plan: set with
    # the history line of every change but progress (a step ticked, a goal's
    # status), in the change's transaction.
    last_changed_at = models.DateTimeField(null=True, blank=True)

    objects = RecoveryPlanQuerySet.as_manager()

    progress: "Progress"  # set by selectors.plan_with_everything()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status="active"),
                name="plan_one_active_per_mentee",
                violation_error_message=_("This mentee already has an active plan."),
            ),
            models.UniqueConstraint(
                fields=["mentee", "version"],
                name="plan_version_unique_per_mentee",
                violation_error_message=_("This plan version already exists."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "archived"]),
                name="plan_status_valid",
                violation_error_message=_("A plan is a draft, active or archived."),
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | ~Q(status="draft"),
                name="plan_draft_is_not_acknowledged",
                violation_error_message=_("A draft cannot be acknowledged."),
            ),
        ]
        # The review sweep: active plans whose review is a week away or past
        # (recovery_plans.reminders), read from here rather than every plan.
        indexes = [
            models.Index(
                fields=["review_on"], condition=Q(status="active"), name="plan_active_review_on"
            )
        ]

    def __str__(self) -> str:
        return f"Recovery plan v{self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.ARCHIVED

    @property
    def change_mark(self) -> str:
        """Which state of the plan a page showed: the mentee's agreement
        carries it back, so she agrees to the plan she read."""
        return self.last_changed_at.isoformat() if self.last_changed_at else ""

    @property
    def changed_since_acknowledged(self) -> bool:
        """The active plan changed after the mentee agreed to it. A change at
        the same instant as her agreement is not after it: both writes lock
        the plan, so what she agreed to at that instant already held it."""
        return (
            self.status == self.Status.ACTIVE
            and self.acknowledged_at is not None
            and self.last_changed_at is not None
            and self.last_changed_at > self.acknowledged_at
        )


class GoalQuerySet(ScopedQuerySet):
    scope_prefix = "plan__"


class Goal(PlainConstraints, Ordered):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        ACHIEVED = "achieved", _("achieved")
        SET_ASIDE = "set_aside", _("set aside")

    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(max_length=12, choices=Domain.choices)
    description = models.TextField(_("in the mentee's own words"), max_length=1000)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)

    objects = GoalQuerySet.as_manager()

    progress: "Progress"  # set by selectors.plan_with_everything()

    class Meta(Ordered.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(domain__in=Domain.values),
                name="goal_domain_valid",
                violation_error_message=_("Choose health, home, purpose, community or other."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress", "achieved", "set_aside"]),
                name="goal_status_valid",
                violation_error_message=_(
                    "Choose not started, in progress, achieved or set aside."
                ),
            ),
        ]


class ActionStepQuerySet(ScopedQuerySet):
    scope_prefix = "goal__plan__"


class ActionStep(Ordered):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(max_length=300)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ActionStepQuerySet.as_manager()


class Trigger(Ordered):
    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="triggers")
    description = models.CharField(max_length=300)

    @property
    def coping(self) -> list[str]:
        """The ways to cope with it, in order (prefetched by the selectors)."""
        return [strategy.description for strategy in self.coping_strategies.all()]


class CopingStrategy(Ordered):
    trigger = models.ForeignKey(Trigger, on_delete=models.CASCADE, related_name="coping_strategies")
    description = models.CharField(max_length=300)

    class Meta(Ordered.Meta):
        verbose_name_plural = "coping strategies"


class SupportContact(Ordered):
    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        GROUP = "group", _("group")
        SERVICE = "service", _("service")

    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="supports")
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PERSON)

    def __str__(self) -> str:
        return self.name


class SafetyPlan(models.Model):
    """The Stanley–Brown safety plan, kept with the recovery plan."""

    plan = models.OneToOneField(RecoveryPlan, on_delete=models.CASCADE, related_name="safety_plan")
    warning_signs = models.TextField(blank=True)
    coping_steps = models.TextField(_("things I can do on my own"), blank=True)
    distractions = models.TextField(_("people and places that take my mind off things"), blank=True)
    people_to_call = models.TextField(_("people I can ask for help"), blank=True)
    professionals = models.TextField(
        _("professionals and crisis lines"), blank=True, default=DEFAULT_CRISIS_LINES
    )
    environment = models.TextField(_("making my surroundings safer"), blank=True)

    def __str__(self) -> str:
        return f"Safety plan of plan {self.plan_id}"

    @property
    def crisis_lines(self) -> str:
        """The professionals and crisis lines to show: the default (988), in
        the reader's language, while it is empty or as the plan started."""
        if self.professionals.strip() in ("", DEFAULT_CRISIS_LINES):
            return gettext(DEFAULT_CRISIS_LINES)
        return self.professionals


# The parts of the safety plan that people write (a form, a save, a copy).
SAFETY_FIELDS = (
    "warning_signs",
    "coping_steps",
    "distractions",
    "people_to_call",
    "professionals",
    "environment",
)


class PlanChange(models.Model):
    """Who changed what in an active plan, and when."""

    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(max_length=500)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return self.summary


class PlanTemplateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A program's templates: its coordinators and mentors; admins all."""
        if not user.is_authenticated or user.is_mentee:
            return self.none()
        return self.all() if user.is_admin else self.filter(program_id=user.program_id)


class PlanTemplate(PlainConstraints, models.Model):
    """Goals and steps (without dates) a program starts plans from."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="plan_templates")
    name = models.CharField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanTemplateQuerySet.as_manager()

    constraint_fields = {"plan_template_name_unique": "name"}

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"],
                name="plan_template_name_unique",
                violation_error_message=_(
                    "A template with this name already exists in the program."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class TemplateGoal(Ordered):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(max_length=12, choices=Domain.choices)
    description = models.TextField(max_length=1000)


class TemplateStep(Ordered):
    goal = models.ForeignKey(TemplateGoal, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(max_length=300)
