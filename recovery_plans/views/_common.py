"""What the plan pages share: the one shape of a view that changes a plan
(check → form → service → response), the service call whose broken rules
become messages, and the answers htmx and plain forms get."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import drafts
from core.htmx import is_htmx
from core.once import OnceTokenForm
from core.service_errors import REFUSED, form_service, run_service

from .. import selectors
from ..forms import GoalAddForm
from ..models import RecoveryPlan
from ..permissions import (
    can_edit_plan,
    get_goal_for_user,
    get_plan_for_user,
    get_step_for_user,
    get_trigger_for_user,
)


def to_plan(plan_id: int) -> HttpResponse:
    return redirect("recovery_plans:detail", pk=plan_id)


def goal_add_form(request: HttpRequest, plan: RecoveryPlan) -> dict:
    """The plan page's "Add a goal" with the draft the user left in it."""
    of = drafts.DraftOf(
        form=reverse("recovery_plans:goal_add", args=[plan.pk]),
        shown_on=reverse("recovery_plans:detail", args=[plan.pk]),
    )
    url = reverse("recovery_plans:goal_add_draft", args=[plan.pk])
    draft = drafts.offer(request, of, url=url, shown_again=False)
    return {"goal_form": GoalAddForm(initial=draft.initial()), "goal_draft": draft}


def goals_or_back(request: HttpRequest, plan: RecoveryPlan) -> HttpResponse:
    """htmx swaps the goals section in place; without JavaScript, back to the plan."""
    if is_htmx(request):
        plan = selectors.plan_with_everything(plan)
        return render(
            request,
            "recovery_plans/partials/_goals.html",
            {
                "plan": plan,
                "goal_rows": selectors.goal_rows(plan),
                "can_edit": True,
                **goal_add_form(request, plan),
            },
        )
    return to_plan(plan.pk)


def require_edit(request: HttpRequest, plan: RecoveryPlan) -> None:
    """Refuse before reading the form: a mentee sees their plan but never edits it."""
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied


@dataclass(frozen=True)
class Part:
    """What the id in a URL names: how the user gets it, what the service
    calls it, and the plan it belongs to."""

    name: str
    get: Callable[[Any, int], Any]
    plan_of: Callable[[Any], RecoveryPlan]


PLAN = Part("plan", get_plan_for_user, lambda plan: plan)
GOAL = Part("goal", get_goal_for_user, lambda goal: goal.plan)
STEP = Part("step", get_step_for_user, lambda step: step.goal.plan)
TRIGGER = Part("trigger", get_trigger_for_user, lambda trigger: trigger.plan)


def form_draft(part: Part, form_name: str, shown_on: str = "") -> Callable[..., drafts.DraftOf]:
    """Who may keep a draft of a plan's form (core.drafts): whoever may edit
    the plan; the draft is of the form at `form_name`, shown on its own page
    or on `shown_on` (the plan's)."""

    def access(request: HttpRequest, **url) -> drafts.DraftOf:
        (pk,) = url.values()
        item = part.get(request.user, pk)
        plan = part.plan_of(item)
        require_edit(request, plan)
        form = reverse(form_name, args=[pk])
        page = reverse(shown_on, args=[plan.pk]) if shown_on else form
        return drafts.DraftOf(form=form, shown_on=page)

    return access


def back_to_plan(request: HttpRequest, part, plan: RecoveryPlan) -> HttpResponse:
    return to_plan(plan.pk)


def back_to_goals(request: HttpRequest, part, plan: RecoveryPlan) -> HttpResponse:
    return goals_or_back(request, plan)


def form_values(request: HttpRequest, form) -> dict:
    return form.cleaned_data if form is not None else {}


def direction(request: HttpRequest, form) -> dict:
    return {"direction": request.POST.get("direction", "up")}


def change_view(
    part: Part,
    service: Callable,
    *,
    form: type[BaseForm] | None = None,
    instance: Callable[[Any], Any] | None = None,
    arguments: Callable[[HttpRequest, Any], dict] = form_values,
    page: str = "",
    invalid: str = "",
    success: str | Callable[[Any], str] = "",
    respond: Callable[[HttpRequest, Any, RecoveryPlan], HttpResponse] = back_to_plan,
    user_as: str = "by",
    editors_only: bool = True,
    draft: str = "",
):
    """The one shape of every view that changes a plan or a part of it:
    get the part named in the URL → check → form → service → response.

    - `editors_only`: refused before the form is read unless the user may
      edit the plan (off where the service decides, e.g. a mentee's tick).
    - `form`, with its `instance(part)` for a model form; `arguments(request,
      form)` are what the service gets besides the part and the user
      (`user_as`): the form's cleaned data unless said otherwise.
    - The service runs on a POST with a valid form; a broken rule is a
      message, `success` (or success(part)) the message when it went through.
    - `page`: the template that shows the form on a GET and when it has
      errors (with the part under its name); a view without one takes POST
      only, and `invalid` is then its message for a form with errors.
    - `respond(request, part, plan)`: the answer after the POST.
    - `draft`: the URL name of the form's draft (core.drafts): a page offers
      the draft back, and a save that went through finishes it.
    """

    def view(request: HttpRequest, **url) -> HttpResponse:
        (pk,) = url.values()
        item = part.get(request.user, pk)
        plan = part.plan_of(item)
        if editors_only:
            require_edit(request, plan)
        bound = None
        kept = None
        if draft and page:
            of = drafts.DraftOf(form=request.path, shown_on=request.path)
            kept = drafts.offer(request, of, url=reverse(draft, args=[pk]))
        if form is not None:
            # A page's form posted empty is shown again, unbound, as on a GET.
            data = (request.POST or None) if page else request.POST
            extra: dict = {"initial": kept.initial()} if kept else {}
            if instance:
                extra["instance"] = instance(item)
            bound = form(data, **extra)
        if request.method == "POST" and (bound is None or bound.is_valid()):
            target = item
            if getattr(bound, "instance", None) is item:
                # The form has written its values into `item`; the service
                # compares them with the part as stored.
                target = part.get(request.user, pk)
            # A create form's one-time token goes to the service (core.once).
            once = bound.once_for(request.user) if isinstance(bound, OnceTokenForm) else None
            values = arguments(request, bound)
            if once is not None:
                values["once"] = once
            arguments_ = {part.name: target, user_as: request.user, **values}
            if page and hasattr(bound, "saw"):
                # An edit page (core.stale): a refusal is shown on the form,
                # which then carries the version now stored.
                done = form_service(bound, service, **arguments_)
                if done is REFUSED:
                    return render(request, page, {"form": bound, part.name: item, "draft": kept})
            else:
                done = run_service(request, service, **arguments_)
            if done is not REFUSED and draft:
                drafts.finish(request, request.path)
            if done is not REFUSED and success:
                messages.success(request, success(item) if callable(success) else success)
            return respond(request, item, plan)
        if page:
            return render(request, page, {"form": bound, part.name: item, "draft": kept})
        if invalid:
            messages.error(request, invalid)
        return respond(request, item, plan)

    # Named for tracebacks and logs, which would otherwise all say "view".
    view.__name__ = view.__qualname__ = f"change_view_{part.name}_{service.__name__}"
    return login_required(view if page else require_POST(view))
