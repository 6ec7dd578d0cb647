"""A value that is not one of a field's choices is refused in one sentence,
the same on the page and in the API, in English and in Spanish
(core/api/choices.py)."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from rest_framework import serializers

from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.checkins.test_api import payload
from tests.checkins.test_pages import form_data

CHOICES = [("contact", "contact"), ("attempt", "attempt")]
SENTENCE = "Select a valid choice. visit is not one of the available choices."


def form_refusal(field: forms.Field, value) -> str:
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(value)
    return refused.value.messages[0]


def api_refusal(field: serializers.Field, value) -> str:
    with pytest.raises(serializers.ValidationError) as refused:
        field.run_validation(value)
    return str(refused.value.detail[0])


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_form_and_a_serializer_refuse_a_choice_in_the_same_words(language):
    with translation.override(language):
        page = form_refusal(forms.ChoiceField(choices=CHOICES), "visit")
        assert api_refusal(serializers.ChoiceField(choices=CHOICES), "visit") == page
        several = form_refusal(forms.MultipleChoiceField(choices=CHOICES), ["visit"])
        assert api_refusal(serializers.MultipleChoiceField(choices=CHOICES), ["visit"]) == several
    spanish = "Elige una opción válida. visit no es una de las opciones disponibles."
    assert page == (SENTENCE if language == "en" else spanish)


def test_the_sentence_is_word_for_word_the_forms():
    from core.api.choices import NOT_A_CHOICE

    with translation.override("en"):
        assert str(NOT_A_CHOICE) == forms.ChoiceField.default_error_messages["invalid_choice"]


@pytest.mark.django_db
def test_the_checkin_page_and_the_api_refuse_the_same_kind_in_the_same_words(
    mentor, mentor_client, mentee_profile
):
    page = mentor_client.post(
        reverse("checkins:log", args=[mentee_profile.pk]), form_data(kind="visit")
    )
    assert page.status_code == 200
    api = api_client_for(mentor).post(
        reverse("api:checkin-list"), payload(mentee_profile, kind="visit"), format="json"
    )
    assert api.status_code == 400
    assert page.context["form"].errors["kind"] == api_errors(api)["kind"] == [SENTENCE]
