"""Lean list serializers: the fields of a list, each rendered as DRF renders
it, read straight off the row.

DRF's `to_representation` walks every field of every row through
`get_attribute`, the SkipField and PKOnlyObject checks and the field's own
`to_representation`; on a page of fifty rows that costs more than the
query. A `LeanListSerializer` works out once, per serializer, how each field
is read (the model attribute, the foreign key's id) and whether its value
needs converting (dates, times, decimals, UUIDs: DRF's own
`to_representation`), then builds each row as one dict.

Only plain fields qualify: a column of the row, a foreign key as its id, an
annotation. A method field, a nested serializer, a dotted source or a
many-to-many is refused when the serializer is first used: a list that needs
them is not lean, and belongs in the detail serializer.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers

# Fields whose DRF representation of a non-empty value is the value itself.
_AS_IS = (
    serializers.IntegerField,
    serializers.CharField,
    serializers.BooleanField,
    serializers.ChoiceField,
    serializers.ReadOnlyField,
)
# Fields rendered by their own to_representation (dates, times, decimals...).
_CONVERTED = (
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.FloatField,
    serializers.UUIDField,
    serializers.TimeField,
    serializers.DurationField,
)

Plan = list[tuple[str, str, Callable[[Any], Any] | None]]


def _as_is_list(field: serializers.Field) -> bool:
    return isinstance(field, serializers.ListField) and isinstance(field.child, _AS_IS)


def _read_plan(serializer: serializers.Serializer) -> Plan:
    plan: Plan = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        source = field.source
        if field.source_attrs != [source] or source == "*" or "." in source:
            raise ImproperlyConfigured(f"{type(serializer).__name__}.{name}: not a plain field.")
        if isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None:
            model = getattr(serializer, "Meta").model  # noqa: B009  (a ModelSerializer's)
            model_field = model._meta.get_field(source)
            plan.append((name, model_field.attname, None))
        elif isinstance(field, serializers.JSONField) and not field.binary:
            plan.append((name, source, None))
        elif isinstance(field, serializers.MultipleChoiceField):
            raise ImproperlyConfigured(f"{type(serializer).__name__}.{name}: not a plain field.")
        elif isinstance(field, _AS_IS) or _as_is_list(field):
            plan.append((name, source, None))
        elif isinstance(field, _CONVERTED):
            plan.append((name, source, field.to_representation))
        else:
            raise ImproperlyConfigured(
                f"{type(serializer).__name__}.{name}: {type(field).__name__} is not lean."
            )
    return plan


class LeanListSerializer(serializers.ModelSerializer):
    """A ModelSerializer for lists, read-only, rendered a row at a time
    without DRF's per-field walk (see the module's docstring)."""

    _plan: Plan | None = None

    def to_representation(self, instance) -> dict:
        plan = self._plan
        if plan is None:
            plan = self._plan = _read_plan(self)
        row = {}
        for name, attribute, convert in plan:
            value = getattr(instance, attribute)
            row[name] = value if convert is None or value is None else convert(value)
        return row
