"""The OpenAPI schema as the API answers: drf-spectacular's AutoSchema with
drf-standardized-errors' error responses (core/api/errors.py), told two
things it cannot see.

- What a write can refuse: a service's rule is a 400 and its refusal a 403 on
  any write, whatever the serializer; a stale If-Match is a 412 on PATCH and
  PUT.
- What every caller gets: a serializer whose fields some roles see only in
  part (a mentee reads less of a check-in) names the fields every role gets
  in `always_answered`; only those are required in its response schema.
- What a read-only field can hold: DRF drops `allow_blank`/`allow_null` from
  read-only model fields, so a choice or URL left blank ("") or a nullable
  column would be documented as never blank or null. The model field says.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardizedAutoSchema
from rest_framework import serializers

from .conditional import CHECKED, ConditionalMixin
from .errors import ErrorResponse400Serializer, ErrorResponse412Serializer

WRITES = ("POST", "PUT", "PATCH", "DELETE")

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "The ETag of the record as you last read it (GET on its detail). If the record "
        "changed since, the change is refused with 412 and nothing is saved."
    ),
)


def _model_field(field):
    """The model field a ModelSerializer's field reads, if any."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or "." in source or source == "*":
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None


class AutoSchema(StandardizedAutoSchema):
    def _conditional(self) -> bool:
        return isinstance(self.view, ConditionalMixin) and self.method in CHECKED

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        return [*parameters, IF_MATCH] if self._conditional() else parameters

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code in responses:
            return False
        if status_code == "412":
            return self._conditional()
        if status_code == "403" or (self.method in WRITES and status_code == "400"):
            # The second factor, per-object rules and services refuse signed-in
            # callers; a service's rule refuses a write whatever its body.
            return True
        return super()._should_add_error_response(responses, status_code)

    def _get_error_response_serializer(self, status_code: str):
        if status_code == "400":
            return ErrorResponse400Serializer
        if status_code == "412":
            return ErrorResponse412Serializer
        return super()._get_error_response_serializer(status_code)

    def _get_error_response_examples(self):
        # Its examples are the stock English of each status; ours vary per field.
        return []

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        always = getattr(serializer, "always_answered", None)
        if always is not None and direction == "response" and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name in always]
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        model_field = _model_field(field) if field.read_only else None
        if model_field is not None:
            if isinstance(field, serializers.ChoiceField):
                field.allow_blank = field.allow_blank or model_field.blank
            if model_field.null and not field.allow_null:
                field.allow_null = True
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            model_field is not None
            and isinstance(field, serializers.URLField)
            and model_field.blank
            and schema.get("format") == "uri"
        ):
            schema = {
                "anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}],
                **{k: v for k, v in schema.items() if k not in ("type", "format")},
            }
        return schema
