"""The remote-services consent form preselects nothing (an untouched form
must not withdraw consent, nor record one) and, once saved, says exactly what
was recorded, a withdrawal included."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.dateformat import format as date_format

from mentorship.services import mentee_record_remote_consent
from tests.accounts.factories import program_day

pytestmark = pytest.mark.django_db


def day(value) -> str:
    return date_format(value, "M j, Y")


@pytest.fixture
def rosa(mentee_profile):
    mentee_profile.preferred_name = "Rosa"
    mentee_profile.save(update_fields=["preferred_name"])
    return mentee_profile


def url(mentee):
    return reverse("mentorship:mentee_consent", args=[mentee.pk])


def consent_fieldset(page: str) -> str:
    return re.search(r'id="id_consent_group".*?</fieldset>', page, re.S).group(0)


@pytest.mark.parametrize("recorded", ["", "audio_only", "video"])
def test_the_form_preselects_no_answer(mentor_client, rosa, mentor, recorded):
    if recorded:
        mentee_record_remote_consent(mentee=rosa, recorded_by=mentor, consent=recorded)
    response = mentor_client.get(url(rosa))
    assert response.context["form"]["consent"].value() is None
    assert "checked" not in consent_fieldset(response.content.decode())


def test_the_page_says_what_is_recorded_now(mentor_client, rosa, mentor):
    assert (
        "No consent to remote services is recorded" in mentor_client.get(url(rosa)).content.decode()
    )
    mentee_record_remote_consent(mentee=rosa, recorded_by=mentor, consent="video")
    page = mentor_client.get(url(rosa)).content.decode()
    assert "audio and video (telehealth and telephone)" in page


def test_saving_nothing_chosen_is_refused_in_words(mentor_client, rosa, mentor):
    mentee_record_remote_consent(mentee=rosa, recorded_by=mentor, consent="video")
    response = mentor_client.post(url(rosa), {"on": program_day().isoformat()})
    assert response.status_code == 200
    assert response.context["form"].errors["consent"] == [
        "Choose what Rosa consents to, or that there is no consent."
    ]
    rosa.refresh_from_db()
    assert rosa.remote_consent == "video"  # not withdrawn by an untouched form


@pytest.mark.parametrize(
    ("consent", "words"),
    [
        ("audio_only", "audio only (telephone)"),
        ("video", "audio and video (telehealth and telephone)"),
    ],
)
def test_a_consent_says_what_and_since_when(mentor_client, rosa, consent, words):
    given = program_day() - timedelta(days=3)
    response = mentor_client.post(
        url(rosa), {"consent": consent, "on": given.isoformat()}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"Recorded: Rosa consented to remote services, {words}, on {day(given)}."
    ]
    rosa.refresh_from_db()
    assert (rosa.remote_consent, rosa.remote_consent_on) == (consent, given)


def test_a_withdrawal_says_so_with_the_day(mentor_client, rosa, mentor):
    mentee_record_remote_consent(mentee=rosa, recorded_by=mentor, consent="video")
    response = mentor_client.post(
        url(rosa), {"consent": "none", "on": program_day().isoformat()}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"Recorded: Rosa withdrew consent to remote services on {day(program_day())}."
    ]
    rosa.refresh_from_db()
    assert (rosa.remote_consent, rosa.remote_consent_on) == ("", None)


def test_a_withdrawal_is_recorded_today_whatever_the_date_field_says(mentor_client, rosa, mentor):
    """The record keeps no withdrawal date, so the message names the day it
    was recorded, not a date typed in the form."""
    mentee_record_remote_consent(mentee=rosa, recorded_by=mentor, consent="audio_only")
    response = mentor_client.post(
        url(rosa),
        {"consent": "none", "on": (program_day() - timedelta(days=10)).isoformat()},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"Recorded: Rosa withdrew consent to remote services on {day(program_day())}."
    ]


def test_a_withdrawal_needs_no_date(mentor_client, rosa, mentor):
    mentee_record_remote_consent(mentee=rosa, recorded_by=mentor, consent="video")
    response = mentor_client.post(url(rosa), {"consent": "none", "on": ""})
    assert response.status_code == 302
    rosa.refresh_from_db()
    assert rosa.remote_consent == ""


def test_no_consent_when_there_was_none_says_so(mentor_client, rosa):
    response = mentor_client.post(url(rosa), {"consent": "none", "on": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Recorded: Rosa has not consented to remote services."
    ]


def test_a_consent_needs_its_date(mentor_client, rosa):
    response = mentor_client.post(url(rosa), {"consent": "video", "on": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["on"] == ["Give the day Rosa consented."]
    rosa.refresh_from_db()
    assert rosa.remote_consent == ""


@pytest.mark.parametrize(("days_ahead", "refused"), [(-1, False), (0, False), (1, True)])
def test_a_consent_dated_in_the_future_is_refused_in_words(
    mentor_client, rosa, days_ahead, refused
):
    on = program_day() + timedelta(days=days_ahead)
    response = mentor_client.post(url(rosa), {"consent": "video", "on": on.isoformat()})
    assert (response.status_code == 200) is refused
    if refused:
        assert response.context["form"].errors["on"] == ["Consent cannot be dated in the future."]
    rosa.refresh_from_db()
    assert (rosa.remote_consent_on == on) is not refused


def test_after_saving_it_goes_back_to_the_checkin_form(mentor_client, rosa):
    back = reverse("checkins:log", args=[rosa.pk])
    response = mentor_client.post(
        f"{url(rosa)}?next={back}", {"consent": "audio_only", "on": program_day().isoformat()}
    )
    assert response.url == back
