"""Pages and actions on the parts of a plan: goals and steps (answered with
the goals section for htmx), triggers and coping, supports, the safety plan.
Each is one change_view(): which part, which service, which form, what answer."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy

from core import drafts
from core.htmx import is_htmx

from .. import selectors, services
from ..forms import (
    CopingForm,
    GoalAddForm,
    GoalForm,
    SafetyPlanForm,
    StepForm,
    SupportForm,
    TriggerForm,
)
from ._common import (
    GOAL,
    PLAN,
    STEP,
    TRIGGER,
    back_to_goals,
    change_view,
    direction,
    form_draft,
    to_plan,
)


def _step_or_back(request, step, plan):
    """htmx swaps the ticked step in place; without JavaScript, back to the plan."""
    if is_htmx(request):
        goal = selectors.goal_with_progress(goal_id=step.goal_id)
        context = {"step": step, "can_tick": True, "plan": plan, "goal": goal, "oob": True}
        return render(request, "recovery_plans/partials/_step_ticked.html", context)
    return to_plan(plan.pk)


def _trigger_values(request, form) -> dict:
    return {"description": form.cleaned_data["description"], "coping": form.coping_lines()}


# --- Goals and steps ------------------------------------------------------------

goal_add = change_view(
    PLAN,
    services.goal_add,
    form=GoalAddForm,
    invalid=gettext_lazy("A goal needs a domain and a description."),
    respond=back_to_goals,
    draft="recovery_plans:goal_add_draft",
)
goal_add_draft = drafts.draft_view(
    form_draft(PLAN, "recovery_plans:goal_add", shown_on="recovery_plans:detail"), GoalAddForm
)
goal_edit = change_view(
    GOAL,
    services.goal_update,
    form=GoalForm,
    instance=lambda goal: goal,
    page="recovery_plans/goal_form.html",
    draft="recovery_plans:goal_draft",
)
goal_draft = drafts.draft_view(form_draft(GOAL, "recovery_plans:goal_edit"), GoalForm)
goal_move = change_view(GOAL, services.goal_move, arguments=direction, respond=back_to_goals)
goal_remove = change_view(GOAL, services.goal_remove, respond=back_to_goals)
step_add = change_view(GOAL, services.step_add, form=StepForm, respond=back_to_goals)
# The mentee ticks steps too: the service decides who may.
step_toggle = change_view(
    STEP,
    services.step_set_done,
    arguments=lambda request, form: {"done": request.POST.get("done") == "1"},
    respond=_step_or_back,
    editors_only=False,
)
step_move = change_view(STEP, services.step_move, arguments=direction, respond=back_to_goals)
step_remove = change_view(STEP, services.step_remove, respond=back_to_goals)

# --- Triggers, supports, safety plan ----------------------------------------------

trigger_add = change_view(PLAN, services.trigger_add, form=TriggerForm, arguments=_trigger_values)
coping_add = change_view(TRIGGER, services.coping_add, form=CopingForm)
support_add = change_view(
    PLAN, services.support_add, form=SupportForm, invalid=gettext_lazy("A support needs a name.")
)
safety_edit = change_view(
    PLAN,
    services.safety_plan_save,
    form=SafetyPlanForm,
    instance=lambda plan: getattr(plan, "safety_plan", None),
    page="recovery_plans/safety_form.html",
    success=gettext_lazy("Safety plan saved."),
    draft="recovery_plans:safety_draft",
)
safety_draft = drafts.draft_view(form_draft(PLAN, "recovery_plans:safety_edit"), SafetyPlanForm)
