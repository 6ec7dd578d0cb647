"""Recovery-plan URLs that show a mentee's plan, for the audit middleware
(audit.registry)."""

from audit.models import Action
from audit.registry import api_result_ids, api_result_mentees, register

from .models import ActionStep, Goal, RecoveryPlan, SafetyPlan, SupportContact, Trigger


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


def trigger_mentees(object_id: str) -> list[int]:
    return list(Trigger.objects.filter(pk=int(object_id)).values_list("plan__mentee_id", flat=True))


def support_mentees(object_id: str) -> list[int]:
    return list(
        SupportContact.objects.filter(pk=int(object_id)).values_list("plan__mentee_id", flat=True)
    )


def safety_plan_mentees(object_id: str) -> list[int]:
    return list(
        SafetyPlan.objects.filter(pk=int(object_id)).values_list("plan__mentee_id", flat=True)
    )


def listed_plan_mentees(request, response) -> list[int]:
    ids = api_result_ids(response)
    return list(
        RecoveryPlan.objects.filter(pk__in=ids).values_list("mentee_id", flat=True).distinct()
    )


def listed_goal_mentees(request, response) -> list[int]:
    ids = api_result_ids(response)
    return list(
        Goal.objects.filter(pk__in=ids).values_list("plan__mentee_id", flat=True).distinct()
    )


def listed_step_mentees(request, response) -> list[int]:
    ids = api_result_ids(response)
    return list(
        ActionStep.objects.filter(pk__in=ids)
        .values_list("goal__plan__mentee_id", flat=True)
        .distinct()
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
    # The edit forms show the stored goal and safety plan before any change.
    register(
        "recovery_plans:goal_edit",
        action="read",
        object_type="goal",
        kwarg="goal_id",
        mentees=goal_mentees,
    )
    register(
        "recovery_plans:safety_edit",
        action="read",
        object_type="plan",
        kwarg="pk",
        mentees=plan_mentees,
    )
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
    register_writes()


def register_writes() -> None:
    """Every write to a plan, page and API: who changed whose plan; the trigger
    keeps what changed."""
    change = {"action": Action.CHANGE, "methods": ["POST"]}
    for name in [
        "recovery_plans:activate",
        "recovery_plans:new_version",
        "recovery_plans:acknowledge",
        "recovery_plans:review_date",
        "recovery_plans:goal_add",
        "recovery_plans:trigger_add",
        "recovery_plans:support_add",
        "recovery_plans:safety_edit",
        "api:plan-activate",
        "api:plan-new-version",
        "api:plan-acknowledge",
    ]:
        register(name, object_type="plan", kwarg="pk", mentees=plan_mentees, **change)
    for name in [
        "recovery_plans:goal_edit",
        "recovery_plans:goal_move",
        "recovery_plans:goal_remove",
        "recovery_plans:step_add",
    ]:
        register(name, object_type="goal", kwarg="goal_id", mentees=goal_mentees, **change)
    for name in [
        "recovery_plans:step_toggle",
        "recovery_plans:step_move",
        "recovery_plans:step_remove",
    ]:
        register(name, object_type="action_step", kwarg="step_id", mentees=step_mentees, **change)
    # A goal or a safety plan being written (core.drafts: autosave, discard).
    for name in ["recovery_plans:goal_add_draft", "recovery_plans:safety_draft"]:
        register(name, object_type="plan_draft", kwarg="pk", mentees=plan_mentees, **change)
    register(
        "recovery_plans:goal_draft",
        object_type="goal_draft",
        kwarg="goal_id",
        mentees=goal_mentees,
        **change,
    )
    register(
        "recovery_plans:coping_add",
        object_type="trigger",
        kwarg="trigger_id",
        mentees=trigger_mentees,
        **change,
    )
    register(
        "recovery_plans:start",
        action=Action.CREATE,
        object_type="mentee",
        kwarg="mentee_id",
        mentees=the_mentee,
        methods=["POST"],
    )
    for name, object_type, mentees in [
        ("api:plan-detail", "plan", plan_mentees),
        ("api:goal-detail", "goal", goal_mentees),
        ("api:action-step-detail", "action_step", step_mentees),
    ]:
        for action, methods in [(Action.CHANGE, ["PATCH", "PUT"]), (Action.DELETE, ["DELETE"])]:
            register(
                name,
                action=action,
                object_type=object_type,
                kwarg="pk",
                mentees=mentees,
                methods=methods,
            )
    for name, object_type, listed in [
        ("api:plan-list", "plan", listed_plan_mentees),
        ("api:goal-list", "goal", listed_goal_mentees),
        ("api:action-step-list", "action_step", listed_step_mentees),
    ]:
        register(name, action=Action.LIST, object_type=object_type, listed=listed)
        register(
            name, action=Action.CREATE, object_type=object_type, listed=listed, methods=["POST"]
        )

    register_parts()


def register_parts() -> None:
    """Triggers, supports and safety plans through the API: their rows name
    the mentee whose plan they are part of."""
    for name, object_type, mentees in [
        ("api:trigger-detail", "trigger", trigger_mentees),
        ("api:support-detail", "support", support_mentees),
        ("api:safety-plan-detail", "safety_plan", safety_plan_mentees),
    ]:
        register(name, action=Action.READ, object_type=object_type, kwarg="pk", mentees=mentees)
    for name, object_type in [
        ("api:trigger-list", "trigger"),
        ("api:support-list", "support"),
        ("api:safety-plan-list", "safety_plan"),
    ]:
        register(name, action=Action.LIST, object_type=object_type, listed=api_result_mentees)
    for name, object_type in [("api:trigger-list", "trigger"), ("api:support-list", "support")]:
        register(
            name,
            action=Action.CREATE,
            object_type=object_type,
            listed=api_result_mentees,
            methods=["POST"],
        )
    register(
        "api:trigger-coping",
        action=Action.CHANGE,
        object_type="trigger",
        kwarg="pk",
        mentees=trigger_mentees,
        methods=["POST"],
    )
    register(
        "api:safety-plan-detail",
        action=Action.CHANGE,
        object_type="safety_plan",
        kwarg="pk",
        mentees=safety_plan_mentees,
        methods=["PATCH", "PUT"],
    )
