"""What the plan pages share: the one shape of a view that changes a plan
(check → form → service → response), the service call whose broken rules
become messages, and the answers htmx and plain forms get."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import selectors
from ..forms import GoalAddForm
from ..models import RecoveryPlan
from ..permissions import can_edit_plan


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def to_plan(plan_id: int) -> HttpResponse:
    return redirect("recovery_plans:detail", pk=plan_id)


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
                "goal_form": GoalAddForm(),
            },
        )
    return to_plan(plan.pk)


def require_edit(request: HttpRequest, plan: RecoveryPlan) -> None:
    """Refuse before reading the form: a mentee sees their plan but never edits it."""
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied


def run(request: HttpRequest, function: Callable, **kwargs) -> Any:
    """Call a service; a broken rule becomes a message on the page (and None)."""
    try:
        return function(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None


def _cleaned(form) -> dict:
    return form.cleaned_data


def change_plan(
    request: HttpRequest,
    service: Callable,
    *,
    respond: Callable[[], HttpResponse],
    editing: RecoveryPlan | None = None,
    form: Callable | None = None,
    values: Callable[[Any], dict] = _cleaned,
    page: tuple[str, dict] | None = None,
    invalid: str = "",
    success: str = "",
    **arguments,
) -> HttpResponse:
    """The shape of every view that changes a plan or one of its parts.

    - `editing`: the plan changed; refused unless the user may edit it (None
      where the service itself decides, e.g. a mentee ticking a step).
    - `form(data)`: the form to read, if any; `values(form)` are its values
      for the service (the cleaned data unless said otherwise).
    - `service(**arguments, **values)` is called on a POST with a valid form;
      a broken rule is a message, `success` the message when it went through.
    - `page`: (template, context) shown with the form on a GET and when the
      form has errors; without one, `invalid` is the message for the errors.
    - `respond()`: the answer after the POST.
    """
    if editing is not None:
        require_edit(request, editing)
    # A page's form posted empty is shown again, unbound, as on a GET.
    data = (request.POST or None) if page is not None else request.POST
    bound = form(data) if form is not None else None
    if request.method == "POST" and (bound is None or bound.is_valid()):
        if bound is not None:
            arguments.update(values(bound))
        if run(request, service, **arguments) is not None and success:
            messages.success(request, success)
        return respond()
    if page is not None:
        template, context = page
        return render(request, template, {"form": bound, **context})
    if invalid:
        messages.error(request, invalid)
    return respond()
