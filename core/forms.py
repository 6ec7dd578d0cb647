"""Select boxes name their blank choice in words.

Django labels the empty choice of a select "---------" (a ModelChoiceField's
empty_label, a model field's choices with blank=True, a choice field with no
default). `NamedBlankChoices` puts words in its place: "Choose…" where an
answer is required, "none" where it may stay empty, or the form's own words
in `blank_labels` (field name to label).
"""

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

DASHES = BLANK_CHOICE_DASH[0][1]
REQUIRED_BLANK = _("Choose…")
OPTIONAL_BLANK = _("none")


def blank_label(field: forms.Field, label: str | None = None) -> str:
    return label or (REQUIRED_BLANK if field.required else OPTIONAL_BLANK)


def name_blank_choices(form: forms.BaseForm, labels: dict[str, str] | None = None) -> None:
    """Replace every "---------" blank choice of the form's fields with words."""
    labels = labels or {}
    for name, field in form.fields.items():
        words = blank_label(field, labels.get(name))
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASHES:
                field.empty_label = words
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if any(value == "" and label == DASHES for value, label in choices):
                field.choices = [
                    (value, words if value == "" and label == DASHES else label)
                    for value, label in choices
                ]


class NamedBlankChoices:
    """A form mixin: no select of the form shows "---------"."""

    blank_labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_blank_choices(self, self.blank_labels)  # type: ignore[arg-type]
