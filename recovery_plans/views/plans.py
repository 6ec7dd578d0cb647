"""Pages of a plan as a whole: the list, a new draft, the plan page (the
mentee's and the team's), print, history, and the changes of its state."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

import audit
from core import approvals
from core.dates import show_times_in
from core.service_errors import REFUSED, run_service
from mentorship.permissions import get_mentee_for_user

from .. import selectors, services
from ..forms import NewPlanForm, ReviewDateForm, StepForm, SupportForm, TriggerForm
from ..goal_activity import goal_activity
from ..models import RecoveryPlan
from ..permissions import can_edit_plan, can_tick_step, get_plan_for_user
from ._common import PLAN, change_view, goal_add_form, to_plan


@login_required
def plan_list(request):
    if request.user.is_mentee:
        mentee = getattr(request.user, "mentee_profile", None)
        plan = selectors.active_plan_of(mentee=mentee) if mentee else None
        if plan:
            return to_plan(plan.pk)
        return render(request, "recovery_plans/plan_none.html")
    plans = selectors.plan_list(user=request.user)
    audit.shown(request, (plan.mentee_id for plan in plans))
    return render(request, "recovery_plans/plan_list.html", {"plans": plans})


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
        plan = run_service(
            request,
            services.plan_create,
            success=lambda plan: (
                gettext("Draft version %(version)s started.") % {"version": plan.version}
            ),
            once=form.once_for(request.user),
            mentee=mentee,
            created_by=request.user,
            template=form.cleaned_data["template"],
        )
        if plan is not REFUSED:
            return to_plan(plan.pk)
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
    show_times_in(request.user, plan.mentee)
    if request.user.is_mentee:
        return render(
            request,
            "recovery_plans/plan_mentee.html",
            {"plan": plan, "can_tick": can_tick_step(request.user, plan)},
        )
    can_edit = can_edit_plan(request.user, plan)
    return render(
        request,
        "recovery_plans/plan_detail.html",
        {
            "plan": plan,
            "goal_rows": selectors.goal_rows(plan, goal_activity(plan)),
            "can_edit": can_edit,
            **(goal_add_form(request, plan) if can_edit else {}),
            "step_form": StepForm(),
            "trigger_form": TriggerForm(),
            "support_form": SupportForm(),
            "review_form": ReviewDateForm(initial={"review_on": plan.review_on}),
            # A draft whose activation waits for approval says so (core.approvals).
            "waiting_approval": approvals.open_requests(mentee=plan.mentee, plan=plan)
            if plan.status == RecoveryPlan.Status.DRAFT
            else [],
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
    show_times_in(request.user, plan.mentee)
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
def plan_new_version(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    draft = run_service(request, services.plan_new_version, plan=plan, created_by=request.user)
    if draft is REFUSED:
        return to_plan(plan.pk)
    messages.success(
        request,
        gettext("Draft version %(version)s made from version %(earlier)s.")
        % {"version": draft.version, "earlier": plan.version},
    )
    return to_plan(draft.pk)


plan_activate = change_view(
    PLAN,
    services.plan_activate,
    user_as="activated_by",
    success=lambda plan: (
        (
            gettext(
                "Sent for approval: version %(version)s becomes the active plan once the "
                "mentor's supervisor or a coordinator approves."
            )
            if approvals.approval_request_of(plan)
            else gettext("Version %(version)s is now the active plan.")
        )
        % {"version": plan.version}
    ),
)
# The mentee acknowledges their own active plan: the service decides who may.


def as_read(request, form) -> dict:
    """The state of the plan her page showed, when the page sent it."""
    return {"as_read": request.POST["as_read"]} if "as_read" in request.POST else {}


plan_acknowledge = change_view(
    PLAN,
    services.plan_acknowledge,
    arguments=as_read,
    user_as="user",
    editors_only=False,
    success=_("Thank you. Your mentor will see that you read and agree with your plan."),
)
plan_review_date = change_view(PLAN, services.plan_set_review_date, form=ReviewDateForm)
