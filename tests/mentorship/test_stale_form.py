"""Two coordinators editing the same mentee (issue #14, item 5): the one who
saves second, on the version they opened, is told what changed in between
and nothing of theirs is saved over it; saving again goes through."""

import pytest
from django.urls import reverse

from tests.page_forms import error_summary, page_form

pytestmark = pytest.mark.django_db


def test_a_stale_edit_form_says_what_changed(client_for, coordinator, mentee_profile):
    url = reverse("mentorship:mentee_edit", args=[mentee_profile.pk])
    first, second = client_for(coordinator), client_for(coordinator)
    first_form = page_form(first.get(url).content.decode(), "phone")
    second_form = page_form(second.get(url).content.decode(), "phone")

    first_form["county"] = "Yolo"
    assert first.post(url, first_form).status_code == 302

    second_form["phone"] = "(916) 555-0199"
    response = second.post(url, second_form)
    assert response.status_code == 200
    messages = " ".join(item.text for item in error_summary(response.content.decode()))
    assert "Someone else changed this record" in messages and "county" in messages
    mentee_profile.refresh_from_db()
    assert mentee_profile.county == "Yolo" and mentee_profile.phone != "(916) 555-0199"

    # The form now carries the new version: saving again keeps both changes
    # only if the person keeps the county (their own answers are shown).
    again = page_form(response.content.decode(), "phone")
    again["county"] = "Yolo"
    assert second.post(url, again).status_code == 302
    mentee_profile.refresh_from_db()
    assert (mentee_profile.county, mentee_profile.phone) == ("Yolo", "(916) 555-0199")


def test_an_unchanged_record_saves_as_before(client_for, coordinator, mentee_profile):
    url = reverse("mentorship:mentee_edit", args=[mentee_profile.pk])
    client = client_for(coordinator)
    form = page_form(client.get(url).content.decode(), "phone")
    form["phone"] = "(916) 555-0100"
    assert client.post(url, form).status_code == 302
