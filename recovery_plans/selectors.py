"""Reads of recovery plans, scoped to the viewer, with everything a page shows
in a fixed number of queries."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet

from accounts.models import User
from mentorship.models import MenteeProfile

from .models import (
    ActionStep,
    Goal,
    PlanTemplate,
    RecoveryPlan,
    SafetyPlan,
    SupportContact,
    TemplateGoal,
    TemplateStep,
    Trigger,
)
from .progress import Progress


def plan_list(*, user: User) -> QuerySet[RecoveryPlan]:
    """Plans the viewer may see, with their progress counted in the database."""
    return (
        RecoveryPlan.objects.visible_to(user)
        .select_related("mentee")
        .annotate(
            goal_count=Count("goals", distinct=True),
            step_count=Count("goals__steps", distinct=True),
            steps_done=Count(
                "goals__steps", filter=Q(goals__steps__done_at__isnull=False), distinct=True
            ),
        )
        .order_by("mentee__preferred_name", "-version")
    )


def plan_with_everything(plan: RecoveryPlan) -> RecoveryPlan:
    """The plan with goals, steps, triggers, coping strategies, supports and the
    safety plan loaded: five queries for any size. Progress is set on each goal
    and on the plan."""
    plan = (
        RecoveryPlan.objects.filter(pk=plan.pk)
        .select_related("mentee", "safety_plan", "created_by")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.prefetch_related(
                    Prefetch("steps", queryset=ActionStep.objects.select_related("done_by"))
                ),
            ),
            Prefetch("triggers", queryset=Trigger.objects.prefetch_related("coping_strategies")),
            "supports",
        )
        .get()
    )
    done = total = 0
    for goal in plan.goals.all():
        steps = goal.steps.all()
        goal.progress = Progress(sum(1 for s in steps if s.done_at), len(steps))
        done, total = done + goal.progress.done, total + goal.progress.total
    plan.progress = Progress(done, total)
    return plan


@dataclass(frozen=True)
class GoalRow:
    """A goal as the plan page lists it, with what was done about it elsewhere
    (the check-ins that discussed it, from goal_activity's providers)."""

    goal: Goal
    discussed_in: Sequence = ()


def goal_rows(plan: RecoveryPlan, activity: Mapping[int, Sequence] | None = None) -> list[GoalRow]:
    """The goals of a plan from plan_with_everything(), each with its activity."""
    activity = activity or {}
    return [GoalRow(goal, activity.get(goal.pk, ())) for goal in plan.goals.all()]


def version_list(*, user: User, mentee: MenteeProfile) -> QuerySet[RecoveryPlan]:
    return RecoveryPlan.objects.visible_to(user).filter(mentee=mentee).order_by("-version")


def active_plan_of(*, mentee: MenteeProfile) -> RecoveryPlan | None:
    return mentee.recovery_plans.filter(status=RecoveryPlan.Status.ACTIVE).first()


def template_list(*, user: User) -> QuerySet[PlanTemplate]:
    return (
        PlanTemplate.objects.visible_to(user)
        .annotate(goal_count=Count("goals"))
        .order_by("name", "pk")
    )


def template_with_goals(*, user: User) -> QuerySet[PlanTemplate]:
    """The templates the user reaches, each with its goals and their steps
    (the template page's, and the API's detail)."""
    return template_list(user=user).prefetch_related(
        Prefetch(
            "goals",
            queryset=TemplateGoal.objects.prefetch_related(
                Prefetch("steps", queryset=TemplateStep.objects.all())
            ),
        )
    )


# The parts of the plans a user reaches, as the plan page shows them (a
# mentee: those of their active and earlier plans, never a draft), each with
# the mentee whose plan it is.


def trigger_list(*, user: User) -> QuerySet[Trigger]:
    """Triggers with their ways to cope (two queries for any number)."""
    return (
        Trigger.objects.filter(plan__in=RecoveryPlan.objects.visible_to(user))
        .annotate(mentee_id=F("plan__mentee_id"))
        .prefetch_related("coping_strategies")
        .order_by("plan_id", "order", "pk")
    )


def support_list(*, user: User) -> QuerySet[SupportContact]:
    return (
        SupportContact.objects.filter(plan__in=RecoveryPlan.objects.visible_to(user))
        .annotate(mentee_id=F("plan__mentee_id"))
        .order_by("plan_id", "order", "pk")
    )


def safety_plan_list(*, user: User) -> QuerySet[SafetyPlan]:
    return (
        SafetyPlan.objects.filter(plan__in=RecoveryPlan.objects.visible_to(user))
        .annotate(mentee_id=F("plan__mentee_id"))
        .order_by("plan_id")
    )


def goals_of_active_plan(mentee: MenteeProfile) -> QuerySet[Goal]:
    """The goals a check-in with this mentee may have discussed."""
    return Goal.objects.filter(plan__mentee=mentee, plan__status=RecoveryPlan.Status.ACTIVE)


def goal_with_progress(*, goal_id: int) -> Goal:
    """One goal with its step counts (one query), for the counter that follows
    a ticked step. The caller has already checked the step is in reach."""
    goal = Goal.objects.annotate(
        steps_done=Count("steps", filter=Q(steps__done_at__isnull=False)),
        steps_total=Count("steps"),
    ).get(pk=goal_id)
    goal.progress = Progress(goal.steps_done, goal.steps_total)
    return goal
