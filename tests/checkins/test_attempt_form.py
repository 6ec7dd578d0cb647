"""The attempt form: "No, I tried" records how and when. Without JavaScript
the contact fields may still arrive filled in; the page ignores them for an
attempt instead of refusing it, and a contact keeps them."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from checkins.forms import CONTACT_ONLY_FIELDS
from checkins.models import CheckIn
from tests.accounts.factories import program_day
from tests.checkins.test_pages import PACIFIC, form_data

pytestmark = pytest.mark.django_db


# Everything a contact records beyond how and when, filled in as a mentor who
# started a contact and then chose "No, I tried" would leave it (no JavaScript
# to clear the fields).
def contact_fields_filled() -> dict:
    # Dated when the test runs (the suite clock), not when the module loads.
    return {
        "duration_minutes": "45",
        "support_types": ["emotional", "informational"],
        "substance_use_days": "0",
        "craving_level": "2",
        "mood": "4",
        "crisis_flag": "on",
        "crisis_notes": "PHI-MARKER said something worrying",
        "next_checkin_on": (program_day() + timedelta(days=7)).isoformat(),
    }


def test_an_attempt_posted_with_contact_fields_is_saved_as_an_attempt_in_one_click(
    mentor_client, mentee_profile
):
    url = reverse("checkins:log", args=[mentee_profile.pk])
    response = mentor_client.post(
        url, form_data(kind="attempt", delivery_method="telephone", **contact_fields_filled())
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response.url == reverse("checkins:timeline", args=[mentee_profile.pk])
    attempt = CheckIn.objects.get()
    assert attempt.kind == "attempt" and attempt.delivery_method == "telephone"
    assert (
        attempt.duration_minutes,
        attempt.support_types,
        attempt.substance_use_days,
        attempt.craving_level,
        attempt.mood,
        attempt.crisis_flag,
        attempt.crisis_notes,
        attempt.next_checkin_on,
    ) == (None, [], None, None, None, False, "", None)
    assert "Attempted contact saved." in mentor_client.get(response.url).content.decode()


def test_an_attempt_keeps_its_note(mentor_client, mentee_profile):
    mentor_client.post(
        reverse("checkins:log", args=[mentee_profile.pk]),
        form_data(kind="attempt", notes="PHI-MARKER left a voicemail", **contact_fields_filled()),
    )
    assert CheckIn.objects.get().notes == "PHI-MARKER left a voicemail"


def test_an_attempt_with_contact_fields_out_of_range_is_still_saved(mentor_client, mentee_profile):
    """The ignored fields are not checked either: a leftover 99999 minutes
    does not stop an attempt."""
    response = mentor_client.post(
        reverse("checkins:log", args=[mentee_profile.pk]),
        form_data(kind="attempt", duration_minutes="99999", substance_use_days="-1"),
    )
    assert response.status_code == 302
    assert CheckIn.objects.get().duration_minutes is None


def test_an_attempt_still_needs_how_and_when(mentor_client, mentee_profile):
    response = mentor_client.post(
        reverse("checkins:log", args=[mentee_profile.pk]),
        form_data(kind="attempt", delivery_method="", occurred_at=""),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"delivery_method", "occurred_at"}
    assert not CheckIn.objects.exists()


def test_a_contact_keeps_its_contact_fields(mentor_client, mentee_profile):
    response = mentor_client.post(
        reverse("checkins:log", args=[mentee_profile.pk]),
        form_data(kind="contact", **contact_fields_filled()),
    )
    assert response.status_code == 302
    contact = CheckIn.objects.get()
    assert (
        contact.kind,
        contact.duration_minutes,
        contact.support_types,
        contact.substance_use_days,
        contact.craving_level,
        contact.mood,
        contact.crisis_flag,
        contact.next_checkin_on,
    ) == (
        "contact",
        45,
        ["emotional", "informational"],
        0,
        2,
        4,
        True,
        program_day() + timedelta(days=7),
    )


def test_a_contact_with_minutes_out_of_range_is_still_refused(mentor_client, mentee_profile):
    response = mentor_client.post(
        reverse("checkins:log", args=[mentee_profile.pk]), form_data(duration_minutes="99999")
    )
    assert response.status_code == 200
    assert "duration_minutes" in response.context["form"].errors


class ShownFor(HTMLParser):
    """Each form field's name with the data-shown-for rules of the elements
    around it (a field's own wrapper, or its whole section)."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"}

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.rules: dict[str, set[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            rules = self.rules.setdefault(attrs["name"], set())
            rules.update(rule for rule in self.open if rule)
        if tag not in self.VOID:
            self.open.append(attrs.get("data-shown-for") or "")

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.open.pop()


def test_the_contact_fields_are_marked_for_the_script_to_hide(mentor_client, mentee_profile):
    """peerpath.js hides what is shown only for a contact when "No, I tried" is chosen."""
    page = mentor_client.get(reverse("checkins:log", args=[mentee_profile.pk])).content.decode()
    parser = ShownFor()
    parser.feed(page)
    # minutes, support, days of use, craving, mood, crisis flag and notes, next check-in
    for name in CONTACT_ONLY_FIELDS:
        if name != "goals_discussed":  # offered only with an active plan
            assert parser.rules[name] == {"kind:contact"}, name
    # how, when and the note are an attempt's too
    for name in ("kind", "occurred_at", "delivery_method", "notes"):
        assert parser.rules[name] == set(), name


def test_correcting_an_attempt_offers_how_when_and_the_note_only(
    mentor_client, mentee_profile, mentor
):
    from tests.checkins.factories import make_checkin

    attempt = make_checkin(
        mentee_profile,
        mentor,
        days_ago=1,
        kind="attempt",
        duration_minutes=None,
        mood=None,
        craving_level=None,
        substance_use_days=None,
    )
    url = reverse("checkins:edit", args=[attempt.pk])
    assert set(mentor_client.get(url).context["form"].fields) == {
        "occurred_at",
        "delivery_method",
        "notes",
    }
    data = form_data(delivery_method="telephone", **contact_fields_filled())
    data["occurred_at"] = timezone.localtime(attempt.occurred_at, PACIFIC).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = mentor_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    attempt.refresh_from_db()
    assert (attempt.kind, attempt.delivery_method, attempt.mood, attempt.crisis_flag) == (
        "attempt",
        "telephone",
        None,
        False,
    )
