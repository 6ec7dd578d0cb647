"""One error body for every API refusal, and the schema that says so.

Every 4xx and 5xx answers as drf-standardized-errors formats it::

    {"type": "validation_error" | "client_error" | "server_error",
     "errors": [{"code": "...", "detail": "a plain sentence", "attr": "field" | null}]}

`attr` names the field (or query parameter, or header) a validation error is
about, "non_field_errors" for the request as a whole, null otherwise.

`core.api.schema.AutoSchema` documents, per operation, each status it can answer with that
body: drf-standardized-errors' choice, widened where our views can refuse
more than it sees (a service's rule is a 400 and its refusal a 403 on any
write, whatever the serializer; a stale If-Match is a 412 on PATCH and PUT).
Validation errors are documented as one schema (`attr` any field), since a
service's rule may name a field that is not in the request.
"""

from django.http import JsonResponse
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ValidationErrorEnum
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A short, stable word for the refusal.")
    detail = serializers.CharField(help_text="The refusal in a plain sentence.")
    attr = serializers.CharField(
        allow_null=True,
        help_text="The field, query parameter or header refused; null when none is.",
    )


class ErrorResponse400Serializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=[ValidationErrorEnum.VALIDATION_ERROR, ClientErrorEnum.CLIENT_ERROR]
    )
    errors = ErrorSerializer(many=True)  # type: ignore[assignment]  # the body's "errors", not Serializer.errors


class PreconditionFailedErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[("precondition_failed", "precondition_failed")])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse412Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = PreconditionFailedErrorSerializer(many=True)  # type: ignore[assignment]


def error_response(detail: str, *, code: str, status: int) -> JsonResponse:
    """A refusal answered before DRF runs (a middleware's), in the same body."""
    body = {"type": "client_error", "errors": [{"code": code, "detail": detail, "attr": None}]}
    return JsonResponse(body, status=status)
