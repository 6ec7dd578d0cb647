"""Forms read well: select boxes name their blank choice in words, fields
refuse in the words of the model's rules (`RuleWords`), and long forms come
in sections.

Django labels the empty choice of a select "---------" (a ModelChoiceField's
empty_label, a model field's choices with blank=True, a choice field with no
default). `NamedBlankChoices` puts words in its place: "Choose…" where an
answer is required, "none" where it may stay empty, or the form's own words
in `blank_labels` (field name to label).

`FormSections` groups a long form's fields into `Section`s, each drawn as a
fieldset with a legend and its help by partials/_form_fields.html, the one
partial every form template draws its fields with.
"""

from dataclasses import dataclass
from typing import ClassVar, cast

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from . import stale
from .constraints import speak_rules
from .stale import STALE_FIELD

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


class RuleWords:
    """A form mixin: a value a field refuses before the model sees it (a
    number out of range, a choice not offered, a required text left blank)
    is refused in the words of the model's constraint on that field, the
    words the model and the API use too (core.constraints). A ModelForm
    speaks for its model; another form names one in `rule_model`."""

    rule_model: type | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        speak_rules(self.fields, self.rule_model or self._meta.model)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Section:
    """Related fields of a long form, drawn as a fieldset with a legend.

    `help` says what the part is for, under its legend; `shown_for` is a
    data-shown-for rule (static/js/peerpath.js) when the whole part applies to
    some answers only."""

    legend: str
    fields: tuple[str, ...]
    help: str = ""
    shown_for: str = ""


@dataclass(frozen=True)
class BoundSection:
    """A section as one form draws it: the fields it has (a form may drop a
    field for a user or a record), each with its own data-shown-for rule."""

    legend: str
    help: str
    help_id: str
    shown_for: str
    items: list[tuple[forms.BoundField, str]]


class FormSections:
    """A form mixin: `sections` groups the visible fields, and
    partials/_form_fields.html draws each group as a fieldset with a legend
    (a form without sections, one field after another).

    - `drawn_apart`: fields the page draws itself, in no section (the
      intake's "this is a different person", beside the possible matches).
    - `shown_for`: field name → data-shown-for rule, for a field that applies
      to some answers only (a check-in's minutes: not for an attempt).

    Every visible field is in exactly one section or drawn apart
    (tests/core/test_form_sections.py); hidden ones go after the sections.
    """

    in_sections: ClassVar[bool] = True  # what the partial asks
    sections: ClassVar[tuple[Section, ...]] = ()
    drawn_apart: ClassVar[tuple[str, ...]] = ()
    shown_for: ClassVar[dict[str, str]] = {}

    def fieldsets(self) -> list[BoundSection]:
        form = cast(forms.BaseForm, self)
        drawn = []
        for section in self.sections:
            items = [
                (form[name], "" if section.shown_for else self.shown_for.get(name, ""))
                for name in section.fields
                if name in form.fields
            ]
            if items:
                drawn.append(
                    BoundSection(
                        legend=section.legend,
                        help=section.help,
                        help_id=f"{items[0][0].auto_id}_section_help",
                        shown_for=section.shown_for,
                        items=items,
                    )
                )
        return drawn

    def fields_outside_sections(self) -> list[forms.BoundField]:
        """The fields no section has and the page does not draw apart: the
        hidden ones (a one-time token), or every field of a form without sections."""
        form = cast(forms.BaseForm, self)
        placed = {name for section in self.sections for name in section.fields}
        placed |= set(self.drawn_apart)
        return [field for field in form if field.name not in placed]

    def field_rules(self) -> list[tuple[forms.BoundField, str]]:
        """Each field outside the sections with its data-shown-for rule."""
        return [
            (field, self.shown_for.get(field.name, "")) for field in self.fields_outside_sections()
        ]


class StaleCheck:
    """A ModelForm mixin for editing a record two people may have open at once
    (core.stale).

    The form carries, signed, what the record held when it was drawn. Saved
    after someone else changed one of its fields, it is refused in words that
    name those fields and what they hold now; nothing is saved, the person's
    own answers stay in the form, and saving it again (now on the version
    stored) goes through. Its cleaned data has what was seen under `seen`
    (core.stale.SEEN) for the service, which checks again with the row
    locked. As the API's If-Match.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        form = cast(forms.ModelForm, self)
        form.fields[STALE_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if form.instance.pk is not None:
            form.initial[STALE_FIELD] = stale.sign(stale.snapshot(form.instance, form.fields))

    def saw(self, now: dict[str, str]) -> None:
        """The next save is on the version `now` stored."""
        form = cast(forms.ModelForm, self)
        form.data = form.data.copy()
        form.data[form.add_prefix(STALE_FIELD)] = stale.sign(now)

    def clean(self):
        cleaned = super().clean()  # type: ignore[misc]
        cleaned.pop(STALE_FIELD, None)  # the form's, not the record's
        form = cast(forms.ModelForm, self)
        if form.instance.pk is None:
            return cleaned
        seen = stale.unsign(form.data.get(form.add_prefix(STALE_FIELD)) or "")
        # The record as the page read it, before the form writes into it.
        changed, now = stale.changed_fields(form.instance, seen)
        if changed:
            self.saw(now)
            labels = {name: form.fields[name].label for name in form.fields}
            raise stale.refusal(form.instance, changed, now, labels)
        cleaned[stale.SEEN] = seen
        return cleaned
