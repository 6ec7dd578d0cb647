"""One sentence for a value that is not one of a field's choices, on the page
and in the API: the forms' ("Select a valid choice. visit is not one of the
available choices."), in the reader's language. It is Django's own message,
marked again here so that our catalogue holds it: our Spanish (tú) reads
before Django's (usted), for the forms too.

DRF words it otherwise ('"visit" is not a valid choice.'). Its choice fields
take the forms' sentence here, once for every serializer (CoreConfig.ready):
a serializer's fields are made again for each serializer instance, so every
one, declared or generated from a model, reads it.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

INVALID_CHOICE = "invalid_choice"


class FormsWords:
    """A form's message as DRF uses one: DRF fills a message in with
    str.format(input=...), Django's forms with % {"value": ...}."""

    def __init__(self, message) -> None:
        self.message = message

    def format(self, *, input, **_params) -> str:  # noqa: A002 (DRF's keyword)
        return str(self.message) % {"value": input}

    def __str__(self) -> str:
        return str(self.message)


# Word for word django.forms.ChoiceField's (tests/core/test_choice_words.py).
NOT_A_CHOICE = FormsWords(
    _("Select a valid choice. %(value)s is not one of the available choices.")
)


def speak_as_forms() -> None:
    """DRF's choice fields refuse a value in the forms' words."""
    for field in (serializers.ChoiceField, serializers.MultipleChoiceField):
        field.default_error_messages = {
            **field.default_error_messages,
            INVALID_CHOICE: NOT_A_CHOICE,
        }
