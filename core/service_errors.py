"""The one way a page reports what a service refused.

Services raise Django's ValidationError with plain messages (a dict when the
message belongs to a field). A form page shows them beside the fields
(`add_service_errors`); an action page (a button that posts and redirects)
shows them as messages (`run_service`). PermissionDenied is not caught: it
answers 403. The API's counterpart is core.api.service_errors.call_service.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from .constraints import plain_violations, violation
from .stale import StaleRecord, refuse_if_changed_since_form

# What run_service returns when the service refused: never a service's result.
REFUSED: Any = object()


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError beside the fields it names (or on top).
    A record changed since the form was drawn (core.stale): the form's next
    save is on the version now stored."""
    if isinstance(exc, StaleRecord) and hasattr(form, "saw"):
        form.saw(exc.now)
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_service(form, service: Callable[..., Any], /, **kwargs) -> Any:
    """Call a service for a form page: its result, or REFUSED once its
    refusal is shown beside the fields (`add_service_errors`)."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return REFUSED


def save_form(form, *args, **kwargs):
    """A ModelForm page that saves without a service: `form.save()`, or None
    once a rule the database still refused (a unique name taken by someone
    else meanwhile) is shown on the form in its words. A StaleCheck form's
    record is locked and refused if it changed since the form was drawn."""
    new = form.instance._state.adding
    try:
        with plain_violations():
            refuse_if_changed_since_form(form)
            return form.save(*args, **kwargs)
    except ValidationError as exc:
        if new:  # rolled back: the form is still for a new record
            form.instance.pk, form.instance._state.adding = None, True
        add_service_errors(form, exc)
        return None


def show_form_errors(request, form) -> None:
    """An action page's form that did not validate: its errors as messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def show_service_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def run_service(
    request, service: Callable[..., Any], /, *, success: str | Callable[[Any], str] = "", **kwargs
) -> Any:
    """Call a service for an action page: its result (and the `success`
    message, a text or a function of the result), or REFUSED once the
    refusal is shown as messages."""
    try:
        result = service(**kwargs)
    except ValidationError as exc:
        show_service_errors(request, exc)
        return REFUSED
    except IntegrityError as exc:  # a rule of the database's, should one still be reached
        error = violation(exc)
        if error is None:
            raise
        show_service_errors(request, error)
        return REFUSED
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return result
