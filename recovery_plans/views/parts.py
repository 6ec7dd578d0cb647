"""Pages and actions on the parts of a plan: goals and steps (answered with
the goals section for htmx), triggers and coping, supports, the safety plan.
Each is one change_plan() call: what it reads, which service, what it answers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

from .. import services
from ..forms import (
    CopingForm,
    GoalAddForm,
    GoalForm,
    SafetyPlanForm,
    StepForm,
    SupportForm,
    TriggerForm,
)
from ..permissions import (
    get_goal_for_user,
    get_plan_for_user,
    get_step_for_user,
    get_trigger_for_user,
)
from ._common import change_plan, goals_or_back, is_htmx, to_plan

# --- Goals and steps ------------------------------------------------------------


@login_required
@require_POST
def goal_add(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    return change_plan(
        request,
        services.goal_add,
        editing=plan,
        form=GoalAddForm,
        invalid="A goal needs a domain and a description.",
        plan=plan,
        by=request.user,
        respond=lambda: goals_or_back(request, plan),
    )


@login_required
def goal_edit(request, goal_id: int):
    goal = get_goal_for_user(request.user, goal_id)
    return change_plan(
        request,
        services.goal_update,
        editing=goal.plan,
        form=lambda data: GoalForm(data, instance=goal),
        # The form has written its values into `goal`; the service logs the
        # difference from the stored goal. A version archived meanwhile is a message.
        values=lambda form: {"goal": get_goal_for_user(request.user, goal_id), **form.cleaned_data},
        page=("recovery_plans/goal_form.html", {"goal": goal}),
        by=request.user,
        respond=lambda: to_plan(goal.plan_id),
    )


@login_required
@require_POST
def goal_move(request, goal_id: int):
    goal = get_goal_for_user(request.user, goal_id)
    return change_plan(
        request,
        services.goal_move,
        editing=goal.plan,
        goal=goal,
        by=request.user,
        direction=request.POST.get("direction", "up"),
        respond=lambda: goals_or_back(request, goal.plan),
    )


@login_required
@require_POST
def goal_remove(request, goal_id: int):
    goal = get_goal_for_user(request.user, goal_id)
    plan = goal.plan
    return change_plan(
        request,
        services.goal_remove,
        editing=plan,
        goal=goal,
        by=request.user,
        respond=lambda: goals_or_back(request, plan),
    )


@login_required
@require_POST
def step_add(request, goal_id: int):
    goal = get_goal_for_user(request.user, goal_id)
    return change_plan(
        request,
        services.step_add,
        editing=goal.plan,
        form=StepForm,
        goal=goal,
        by=request.user,
        respond=lambda: goals_or_back(request, goal.plan),
    )


@login_required
@require_POST
def step_toggle(request, step_id: int):
    """The mentee ticks steps too: the service decides who may."""
    step = get_step_for_user(request.user, step_id)

    def respond():
        if is_htmx(request):
            return render(
                request,
                "recovery_plans/partials/_step.html",
                {"step": step, "can_tick": True, "plan": step.goal.plan},
            )
        return to_plan(step.goal.plan_id)

    return change_plan(
        request,
        services.step_set_done,
        step=step,
        by=request.user,
        done=request.POST.get("done") == "1",
        respond=respond,
    )


@login_required
@require_POST
def step_move(request, step_id: int):
    step = get_step_for_user(request.user, step_id)
    return change_plan(
        request,
        services.step_move,
        editing=step.goal.plan,
        step=step,
        by=request.user,
        direction=request.POST.get("direction", "up"),
        respond=lambda: goals_or_back(request, step.goal.plan),
    )


@login_required
@require_POST
def step_remove(request, step_id: int):
    step = get_step_for_user(request.user, step_id)
    plan = step.goal.plan
    return change_plan(
        request,
        services.step_remove,
        editing=plan,
        step=step,
        by=request.user,
        respond=lambda: goals_or_back(request, plan),
    )


# --- Triggers, supports, safety plan ----------------------------------------------


@login_required
@require_POST
def trigger_add(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    return change_plan(
        request,
        services.trigger_add,
        editing=plan,
        form=TriggerForm,
        values=lambda form: {
            "description": form.cleaned_data["description"],
            "coping": form.coping_lines(),
        },
        plan=plan,
        by=request.user,
        respond=lambda: to_plan(plan.pk),
    )


@login_required
@require_POST
def coping_add(request, trigger_id: int):
    trigger = get_trigger_for_user(request.user, trigger_id)
    return change_plan(
        request,
        services.coping_add,
        editing=trigger.plan,
        form=CopingForm,
        trigger=trigger,
        by=request.user,
        respond=lambda: to_plan(trigger.plan_id),
    )


@login_required
@require_POST
def support_add(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    return change_plan(
        request,
        services.support_add,
        editing=plan,
        form=SupportForm,
        invalid="A support needs a name.",
        plan=plan,
        by=request.user,
        respond=lambda: to_plan(plan.pk),
    )


@login_required
def safety_edit(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    return change_plan(
        request,
        services.safety_plan_save,
        editing=plan,
        form=lambda data: SafetyPlanForm(data, instance=getattr(plan, "safety_plan", None)),
        page=("recovery_plans/safety_form.html", {"plan": plan}),
        success="Safety plan saved.",
        plan=plan,
        by=request.user,
        respond=lambda: to_plan(plan.pk),
    )
