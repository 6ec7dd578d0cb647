from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentorship.permissions import get_mentee_for_user

from . import selectors, services
from .forms import (
    CopingForm,
    GoalAddForm,
    GoalForm,
    NewPlanForm,
    ReviewDateForm,
    SafetyPlanForm,
    StepForm,
    SupportForm,
    TemplateForm,
    TemplateGoalForm,
    TriggerForm,
)
from .permissions import (
    can_edit_plan,
    can_manage_templates,
    can_tick_step,
    get_goal_for_user,
    get_plan_for_user,
    get_step_for_user,
    get_template_for_user,
    get_trigger_for_user,
)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _goals_or_back(request, plan):
    """htmx swaps the goals section in place; without JavaScript, back to the plan."""
    if _is_htmx(request):
        return render(
            request,
            "recovery_plans/partials/_goals.html",
            {
                "plan": selectors.plan_with_everything(plan),
                "can_edit": True,
                "goal_form": GoalAddForm(),
            },
        )
    return redirect("recovery_plans:detail", pk=plan.pk)


def _require_edit(request, plan) -> None:
    """Refuse before reading the form: a mentee sees their plan but never edits it."""
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied


def _run(request, function, **kwargs):
    """Call a service; a broken rule becomes a message on the page."""
    try:
        return function(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None


@login_required
def plan_list(request):
    if request.user.is_mentee:
        mentee = getattr(request.user, "mentee_profile", None)
        plan = selectors.active_plan_of(mentee=mentee) if mentee else None
        if plan:
            return redirect("recovery_plans:detail", pk=plan.pk)
        return render(request, "recovery_plans/plan_none.html")
    return render(
        request, "recovery_plans/plan_list.html", {"plans": selectors.plan_list(user=request.user)}
    )


@login_required
def plan_start(request, mentee_id: int):
    mentee = get_mentee_for_user(request.user, mentee_id)
    if request.user.is_mentee:
        raise PermissionDenied
    form = NewPlanForm(
        request.POST if request.method == "POST" else None,
        templates=selectors.template_list(user=request.user).filter(program=mentee.program),
    )
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(
            mentee=mentee, created_by=request.user, template=form.cleaned_data["template"]
        )
        messages.success(request, f"Draft version {plan.version} started.")
        return redirect("recovery_plans:detail", pk=plan.pk)
    return render(
        request,
        "recovery_plans/plan_start.html",
        {
            "form": form,
            "mentee": mentee,
            "versions": selectors.version_list(user=request.user, mentee=mentee),
        },
    )


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_with_everything(get_plan_for_user(request.user, pk))
    if request.user.is_mentee:
        return render(
            request,
            "recovery_plans/plan_mentee.html",
            {"plan": plan, "can_tick": can_tick_step(request.user, plan)},
        )
    discussed = selectors.goals_with_checkins(plan)
    for goal in plan.goals.all():
        goal.discussed_in = discussed.get(goal.pk, [])
    return render(
        request,
        "recovery_plans/plan_detail.html",
        {
            "plan": plan,
            "can_edit": can_edit_plan(request.user, plan),
            "goal_form": GoalAddForm(),
            "step_form": StepForm(),
            "trigger_form": TriggerForm(),
            "support_form": SupportForm(),
            "review_form": ReviewDateForm(initial={"review_on": plan.review_on}),
        },
    )


@login_required
def plan_print(request, pk: int):
    plan = selectors.plan_with_everything(get_plan_for_user(request.user, pk))
    return render(request, "recovery_plans/plan_mentee.html", {"plan": plan, "printing": True})


@login_required
def plan_history(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    if request.user.is_mentee:
        raise PermissionDenied
    return render(
        request,
        "recovery_plans/plan_history.html",
        {
            "plan": plan,
            "changes": plan.changes.select_related("changed_by"),
            "versions": selectors.version_list(user=request.user, mentee=plan.mentee),
        },
    )


@login_required
@require_POST
def plan_activate(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    _require_edit(request, plan)
    if _run(request, services.plan_activate, plan=plan, activated_by=request.user):
        messages.success(request, f"Version {plan.version} is now the active plan.")
    return redirect("recovery_plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_new_version(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    draft = _run(request, services.plan_new_version, plan=plan, created_by=request.user)
    if draft is None:
        return redirect("recovery_plans:detail", pk=plan.pk)
    messages.success(request, f"Draft version {draft.version} made from version {plan.version}.")
    return redirect("recovery_plans:detail", pk=draft.pk)


@login_required
@require_POST
def plan_acknowledge(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    if _run(request, services.plan_acknowledge, plan=plan, user=request.user):
        messages.success(
            request, "Thank you. Your mentor will see that you read and agree with your plan."
        )
    return redirect("recovery_plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_review_date(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    _require_edit(request, plan)
    form = ReviewDateForm(request.POST)
    if form.is_valid():
        _run(
            request,
            services.plan_set_review_date,
            plan=plan,
            by=request.user,
            review_on=form.cleaned_data["review_on"],
        )
    return redirect("recovery_plans:detail", pk=plan.pk)


@login_required
@require_POST
def goal_add(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    _require_edit(request, plan)
    form = GoalAddForm(request.POST)
    if form.is_valid():
        _run(request, services.goal_add, plan=plan, by=request.user, **form.cleaned_data)
    else:
        messages.error(request, "A goal needs a domain and a description.")
    return _goals_or_back(request, plan)


@login_required
def goal_edit(request, goal_id: int):
    goal = get_goal_for_user(request.user, goal_id)
    if not can_edit_plan(request.user, goal.plan):
        raise PermissionDenied
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        # The form has written its values into `goal`; the service logs the
        # difference from the stored goal. A version archived meanwhile is a message.
        _run(
            request,
            services.goal_update,
            goal=get_goal_for_user(request.user, goal_id),
            by=request.user,
            **form.cleaned_data,
        )
        return redirect("recovery_plans:detail", pk=goal.plan_id)
    return render(request, "recovery_plans/goal_form.html", {"form": form, "goal": goal})


@login_required
@require_POST
def goal_move(request, goal_id: int):
    goal = get_goal_for_user(request.user, goal_id)
    _require_edit(request, goal.plan)
    _run(
        request,
        services.goal_move,
        goal=goal,
        by=request.user,
        direction=request.POST.get("direction", "up"),
    )
    return _goals_or_back(request, goal.plan)


@login_required
@require_POST
def goal_remove(request, goal_id: int):
    goal = get_goal_for_user(request.user, goal_id)
    _require_edit(request, goal.plan)
    plan = goal.plan
    _run(request, services.goal_remove, goal=goal, by=request.user)
    return _goals_or_back(request, plan)


@login_required
@require_POST
def step_add(request, goal_id: int):
    goal = get_goal_for_user(request.user, goal_id)
    _require_edit(request, goal.plan)
    form = StepForm(request.POST)
    if form.is_valid():
        _run(request, services.step_add, goal=goal, by=request.user, **form.cleaned_data)
    return _goals_or_back(request, goal.plan)


@login_required
@require_POST
def step_toggle(request, step_id: int):
    step = get_step_for_user(request.user, step_id)
    _run(
        request,
        services.step_set_done,
        step=step,
        by=request.user,
        done=request.POST.get("done") == "1",
    )
    if _is_htmx(request):
        return render(
            request,
            "recovery_plans/partials/_step.html",
            {"step": step, "can_tick": True, "plan": step.goal.plan},
        )
    return redirect("recovery_plans:detail", pk=step.goal.plan_id)


@login_required
@require_POST
def step_move(request, step_id: int):
    step = get_step_for_user(request.user, step_id)
    _require_edit(request, step.goal.plan)
    _run(
        request,
        services.step_move,
        step=step,
        by=request.user,
        direction=request.POST.get("direction", "up"),
    )
    return _goals_or_back(request, step.goal.plan)


@login_required
@require_POST
def step_remove(request, step_id: int):
    step = get_step_for_user(request.user, step_id)
    _require_edit(request, step.goal.plan)
    plan = step.goal.plan
    _run(request, services.step_remove, step=step, by=request.user)
    return _goals_or_back(request, plan)


@login_required
@require_POST
def trigger_add(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    _require_edit(request, plan)
    form = TriggerForm(request.POST)
    if form.is_valid():
        _run(request, services.trigger_add, plan=plan, by=request.user,
             description=form.cleaned_data["description"], coping=form.coping_lines())  # fmt: skip
    return redirect("recovery_plans:detail", pk=plan.pk)


@login_required
@require_POST
def coping_add(request, trigger_id: int):
    trigger = get_trigger_for_user(request.user, trigger_id)
    _require_edit(request, trigger.plan)
    form = CopingForm(request.POST)
    if form.is_valid():
        _run(request, services.coping_add, trigger=trigger, by=request.user, **form.cleaned_data)
    return redirect("recovery_plans:detail", pk=trigger.plan_id)


@login_required
@require_POST
def support_add(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    _require_edit(request, plan)
    form = SupportForm(request.POST)
    if form.is_valid():
        _run(request, services.support_add, plan=plan, by=request.user, **form.cleaned_data)
    else:
        messages.error(request, "A support needs a name.")
    return redirect("recovery_plans:detail", pk=plan.pk)


@login_required
def safety_edit(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied
    safety = getattr(plan, "safety_plan", None)
    form = SafetyPlanForm(request.POST or None, instance=safety)
    if request.method == "POST" and form.is_valid():
        if _run(
            request, services.safety_plan_save, plan=plan, by=request.user, **form.cleaned_data
        ):
            messages.success(request, "Safety plan saved.")
        return redirect("recovery_plans:detail", pk=plan.pk)
    return render(request, "recovery_plans/safety_form.html", {"form": form, "plan": plan})


@login_required
def template_list(request):
    user = request.user
    if not (user.is_coordinator or user.is_admin or user.is_mentor):
        raise PermissionDenied
    form = TemplateForm(request.POST or None)
    if request.method == "POST":
        if not user.is_coordinator:
            raise PermissionDenied
        if form.is_valid():
            template = _run(
                request,
                services.template_create,
                program=user.program,
                by=user,
                name=form.cleaned_data["name"],
            )
            if template:
                return redirect("recovery_plans:template_detail", pk=template.pk)
    return render(
        request,
        "recovery_plans/template_list.html",
        {
            "templates": selectors.template_list(user=user),
            "form": form,
            "can_create": user.is_coordinator,
        },
    )


@login_required
def template_detail(request, pk: int):
    template = get_template_for_user(request.user, pk)
    can_manage = can_manage_templates(request.user, template.program)
    form = TemplateGoalForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            services.template_goal_add(
                template=template, by=request.user, domain=form.cleaned_data["domain"],
                description=form.cleaned_data["description"], steps=form.step_lines(),
            )  # fmt: skip
            return redirect("recovery_plans:template_detail", pk=template.pk)
    return render(
        request,
        "recovery_plans/template_detail.html",
        {
            "template": template,
            "goals": template.goals.prefetch_related("steps"),
            "form": form,
            "can_manage": can_manage,
        },
    )
