"""A database rule in people's words, beside the field it is about.

Every CheckConstraint and UniqueConstraint of ours has a plain
`violation_error_message`. This module makes that message the one people
read, however the rule is broken, and never the constraint's name:

- `PlainConstraints`, a model mixin: `Model.full_clean` (run by a ModelForm,
  and by every service before it saves) answers a broken constraint with its
  message under the field it is about (the one field it names, or the
  model's `constraint_fields`), so that a page shows it beside the field and
  in the error summary with a link to it, and the API under that field.
- `speak_rules`: a form or serializer field that refuses a value before the
  model sees it (a number out of range, a required field left blank) says so
  in the words of the constraint on that field.
- `violation` and `plain_violations`: a constraint that still reaches the
  database (two requests racing for one unique value) becomes the same
  ValidationError, never a 500.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, ClassVar, cast

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import F, Q
from django.db.models.constraints import BaseConstraint
from django.utils.functional import lazy

# The apps whose constraints are ours to put into words.
OUR_APPS = (
    "core", "audit", "accounts", "notifications", "certification", "mentorship",
    "recovery_plans", "checkins", "referrals", "supervision", "reports", "operations",
)  # fmt: skip

RANGE_LOOKUPS = {"gt", "gte", "lt", "lte"}


def constrained_fields(constraint: BaseConstraint) -> set[str]:
    """The names of the fields a constraint is about."""
    names: set[str] = set()
    condition = getattr(constraint, "condition", None)
    if condition is not None:
        names |= condition.referenced_base_fields
    names |= set(getattr(constraint, "fields", ()) or ())
    for expression in getattr(constraint, "expressions", ()) or ():
        names |= {ref.name for ref in _refs(expression)}
    return names


def _refs(expression) -> Iterator[Any]:
    if isinstance(expression, F):
        yield expression
    for source in getattr(expression, "get_source_expressions", list)():
        yield from _refs(source)


def field_of(model: type[models.Model], constraint: BaseConstraint) -> str | None:
    """The field a constraint's message stands beside: the model says which
    (`constraint_fields`), else the one field the constraint names; None
    puts it at the top of the form."""
    named = getattr(model, "constraint_fields", {}).get(constraint.name)
    if named:
        return named
    fields = constrained_fields(constraint)
    return next(iter(fields)) if len(fields) == 1 else None


def message_of(constraint: BaseConstraint) -> str:
    return str(constraint.get_violation_error_message())


def _message_in_reader_language(constraint: BaseConstraint) -> str:
    return str(constraint.get_violation_error_message())


# The words a field keeps (error messages set once, when its form class is
# made) are put into the reader's language each time they are shown.
lazy_message_of = cast(Any, lazy(_message_in_reader_language, str))


class PlainConstraints:
    """A model mixin: a broken constraint answers with its message under the
    field it is about, not at the top of the form with no way to it.

    `constraint_fields` maps a constraint that names several fields to the
    one its message belongs to. Validation skips a constraint on a field the
    form does not have (Django's own rule), so the field is always there."""

    constraint_fields: ClassVar[dict[str, str]] = {}

    def clean_fields(self, exclude=None):
        """A field's own checks (the column's range, its choices, blank)
        refuse some values before the constraint is asked: in its words."""
        try:
            super().clean_fields(exclude=exclude)  # type: ignore[misc]
        except ValidationError as exc:
            model: Any = type(self)
            raise ValidationError(
                {field: in_words(model, field, errors) for field, errors in exc.error_dict.items()}
            ) from exc

    def validate_constraints(self, exclude=None):
        model: Any = type(self)
        using = router.db_for_write(model, instance=self)
        errors: dict[str, list] = {}
        for model_class, constraints in self.get_constraints():  # type: ignore[attr-defined]
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    field = field_of(model_class, constraint)
                    errors.setdefault(field or NON_FIELD_ERRORS, []).extend(exc.error_list)
        if errors:
            raise ValidationError(errors)


# --- Forms and serializers ---------------------------------------------------------


def _leaves(condition: Q) -> Iterator[tuple[str, Any, bool]]:
    """(lookup, value, negated) of every comparison in a condition."""
    for child in condition.children:
        if isinstance(child, Q):
            for lookup, value, negated in _leaves(child):
                yield lookup, value, negated != condition.negated
        else:
            lookup, value = cast(tuple, child)
            yield lookup, value, condition.negated


def _sides(constraint: BaseConstraint) -> tuple[bool, bool]:
    """Whether a one-field CheckConstraint bounds its field from below, from
    above (a range: between 1 and 600, at most 30): (False, False) for
    anything else (a choice, a rule over several fields)."""
    condition = getattr(constraint, "condition", None)
    if not isinstance(constraint, models.CheckConstraint) or condition is None:
        return False, False
    leaves = list(_leaves(condition))
    lookups = {lookup.partition("__")[2] for lookup, _, _ in leaves}
    if any(negated for _, _, negated in leaves) or not lookups <= RANGE_LOOKUPS | {"isnull"}:
        return False, False
    return bool(lookups & {"gt", "gte"}), bool(lookups & {"lt", "lte"})


def _not_blank(constraint: BaseConstraint) -> bool:
    """Whether a one-field CheckConstraint asks for its text to be filled in
    (or its list, of choices ticked, to hold one)."""
    condition = getattr(constraint, "condition", None)
    return (
        isinstance(constraint, models.CheckConstraint)
        and condition is not None
        and [(value, negated) for _, value, negated in _leaves(condition)]
        in ([("", True)], [([], True)])
        and all("__" not in lookup for lookup, _, _ in _leaves(condition))
    )


# How a field (model, form or serializer) names each refusal of a value a
# one-field constraint refuses too: out of range below, above, or left blank.
LOWER_CODES = ("min_value", "invalid_choice")
UPPER_CODES = ("max_value", "max_digits", "max_whole_digits", "invalid_choice")
BLANK_CODES = ("required", "blank", "null")


@cache
def rule_words(model: type[models.Model], field: str) -> dict[str, str]:
    """The words of the constraint on `field` alone, for each error code a
    field uses to refuse a value that constraint refuses too."""
    words: dict[str, str] = {}
    for constraint in model._meta.constraints:
        if constrained_fields(constraint) != {field}:
            continue
        lower, upper = _sides(constraint)
        codes = (LOWER_CODES if lower else ()) + (UPPER_CODES if upper else ())
        if _not_blank(constraint):
            codes += BLANK_CODES
        words |= dict.fromkeys(codes, lazy_message_of(constraint))
    return words


def unique_words(model: type[models.Model], fields) -> str | None:
    """The words of the model's unique constraint on exactly these fields
    (a formset tells two rows apart with them)."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and set(constraint.fields) == set(
            fields
        ):
            return lazy_message_of(constraint)
    return None


def in_words(model: type[models.Model], field: str, errors: list[ValidationError]) -> list:
    """The errors a field's own checks raised, in the constraint's words where it has some."""
    words = rule_words(model, field)
    return [
        ValidationError(words[error.code], code=error.code) if error.code in words else error
        for error in errors
    ]


def speak_rules(fields, model: type[models.Model]) -> None:
    """Give the fields (a form's or a serializer's, by name) the words of the
    model's constraints on the same fields."""
    for name, field in fields.items():
        words = rule_words(model, name)
        if words:
            field.error_messages = {**field.error_messages, **words}
            # A serializer field made its range validators with its own words.
            field.validators = [_reworded(validator, words) for validator in field.validators]


def _reworded(validator, words: dict[str, str]):
    code = getattr(validator, "code", None)
    if code not in words or not hasattr(validator, "message"):
        return validator
    validator = copy.copy(validator)
    validator.message = words[code]
    return validator


# --- The database's refusal ------------------------------------------------------


@cache
def _ours() -> dict[str, tuple[type[models.Model], BaseConstraint]]:
    return {
        constraint.name: (model, constraint)
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for constraint in model._meta.constraints
    }


@cache
def _unique_columns() -> dict[str, models.Field]:
    """The constraint PostgreSQL names after a unique column (table_column_key)."""
    return {
        f"{model._meta.db_table}_{field.column}_key": field
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.concrete_fields
        if field.unique and not field.primary_key
    }


def constraint_name(exc: IntegrityError) -> str:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


def violation(exc: IntegrityError) -> ValidationError | None:
    """The plain refusal for a constraint of ours the database enforced;
    None for anything else (a bug: let it be a 500)."""
    name = constraint_name(exc)
    if name in _ours():
        model, constraint = _ours()[name]
        field = field_of(model, constraint)
        message = message_of(constraint)
        return ValidationError({field: message} if field else message)
    column = _unique_columns().get(name)
    if column is not None:
        message = column.error_messages["unique"] % {
            "model_name": str(column.model._meta.verbose_name).capitalize(),
            "field_label": str(column.verbose_name).capitalize(),
        }
        return ValidationError({column.name: message})
    return None


@contextmanager
def plain_violations() -> Iterator[None]:
    """Within: a constraint of ours the database refuses is raised as its
    ValidationError (in a savepoint, so the caller's transaction goes on)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        error = violation(exc)
        if error is None:
            raise
        raise error from exc
