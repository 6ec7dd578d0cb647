"""Recovery-plan URLs that show a mentee's plan, for the audit middleware
(audit.registry)."""

from audit.models import Action
from audit.registry import api_result_ids, register

from .models import ActionStep, Goal, RecoveryPlan


def plan_mentees(object_id: str) -> list[int]:
    return list(RecoveryPlan.objects.filter(pk=int(object_id)).values_list("mentee_id", flat=True))


def the_mentee(object_id: str) -> list[int]:
    return [int(object_id)]


def goal_mentees(object_id: str) -> list[int]:
    return list(Goal.objects.filter(pk=int(object_id)).values_list("plan__mentee_id", flat=True))


def step_mentees(object_id: str) -> list[int]:
    return list(
        ActionStep.objects.filter(pk=int(object_id)).values_list("goal__plan__mentee_id", flat=True)
    )


def listed_plan_mentees(request, response) -> list[int]:
    ids = api_result_ids(response)
    return list(
        RecoveryPlan.objects.filter(pk__in=ids).values_list("mentee_id", flat=True).distinct()
    )


def register_routes() -> None:
    for name, action in [
        ("recovery_plans:detail", "read"),
        ("recovery_plans:history", "read"),
        ("recovery_plans:print", "print"),
        ("api:plan-detail", "read"),
    ]:
        register(name, action=action, object_type="plan", kwarg="pk", mentees=plan_mentees)
    register("api:goal-detail", action="read", object_type="goal", kwarg="pk", mentees=goal_mentees)
    register(
        "api:action-step-detail",
        action="read",
        object_type="action_step",
        kwarg="pk",
        mentees=step_mentees,
    )
    register(
        "recovery_plans:start",
        action="read",
        object_type="mentee",
        kwarg="mentee_id",
        mentees=the_mentee,
    )
    register("recovery_plans:list", action=Action.LIST, object_type="plan")
    register("api:plan-list", action=Action.LIST, object_type="plan", listed=listed_plan_mentees)
