"""Calling a service from an API view: its Django errors become DRF's."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.settings import api_settings

from core.constraints import violation


def api_detail(exc: DjangoValidationError) -> dict | list:
    """A Django ValidationError as DRF answers one: a message for the whole
    request under "non_field_errors", as a serializer's own would be."""
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return {
        api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: messages
        for field, messages in exc.message_dict.items()
    }


def call_service(function, **kwargs):
    """Run a service; a refusal answers 403, a broken rule 400 with its
    messages (a database constraint's too, should one still be reached)."""
    try:
        return function(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except DjangoValidationError as exc:
        raise ValidationError(api_detail(exc)) from exc
    except IntegrityError as exc:
        error = violation(exc)
        if error is None:
            raise
        raise ValidationError(api_detail(error)) from exc
