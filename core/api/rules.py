"""Serializers keep the model's rules, in the model's words.

A ModelSerializer that saves without a service (`ModelRules`) checks what it
is given with the model's own checks (Model.clean_fields, clean and its
constraints), as a ModelForm does, so that the API refuses with the page's
message and a 400 instead of the database's error; and a constraint still
refused by the database (a race) is a 400 too. Any serializer (`RuleWords`)
refuses a value out of range or left blank in the words of the model's
constraint on that field (core.constraints.speak_rules).
"""

import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from core.constraints import plain_violations, speak_rules

from .service_errors import api_detail


class RuleWords:
    """A serializer mixin: its fields speak the words of `rule_model`'s
    constraints (a ModelSerializer's own model unless said otherwise)."""

    rule_model = None

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        speak_rules(fields, self.rule_model or self.Meta.model)  # type: ignore[attr-defined]
        return fields


class ModelRules(RuleWords):
    """A ModelSerializer mixin for writes that go straight to the model."""

    def validate(self, attrs):
        attrs = super().validate(attrs)  # type: ignore[misc]
        model = self.Meta.model  # type: ignore[attr-defined]
        instance = self.instance  # type: ignore[attr-defined]
        candidate = copy.copy(instance) if instance is not None else model()
        fields = {field.name: field for field in model._meta.concrete_fields}
        given = fields.keys() & attrs.keys()
        for name in given:
            setattr(candidate, name, attrs[name])
        before = {name: getattr(candidate, field.attname) for name, field in fields.items()}
        errors: dict = {}
        try:
            candidate.clean_fields(exclude=fields.keys() - given)
        except DjangoValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            candidate.clean()
        except DjangoValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            # Against the whole row: a rule may join a stored value and a new one.
            candidate.validate_constraints(exclude=set(errors) - {NON_FIELD_ERRORS})
        except DjangoValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise serializers.ValidationError(api_detail(DjangoValidationError(errors)))
        # What the model's clean() put right (a county's spelling) is what is saved.
        changed = {
            name
            for name, field in fields.items()
            if getattr(candidate, field.attname) != before[name]
        }
        return {**attrs, **{name: getattr(candidate, name) for name in given | changed}}

    def save(self, **kwargs):
        try:
            with plain_violations():
                return super().save(**kwargs)  # type: ignore[misc]
        except DjangoValidationError as exc:
            raise serializers.ValidationError(api_detail(exc)) from exc
