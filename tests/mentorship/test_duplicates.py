"""Duplicate people at intake: the same date of birth with a similar name, or
the same phone or email, shows "this may be the same person" with a link
before saving; the coordinator may still record a different person."""

import datetime as dt

import pytest
from django.urls import reverse

from mentorship.duplicates import possible_duplicates
from mentorship.models import MenteeProfile
from tests.mentorship.factories import MenteeProfileFactory
from tests.mentorship.test_intake_and_logins import INTAKE

pytestmark = pytest.mark.django_db

URL = "mentorship:mentee_create"


@pytest.fixture
def rosa(program):
    return MenteeProfileFactory(
        program=program,
        preferred_name="Rosa",
        legal_name="Rosa María Delgado",
        date_of_birth="1990-04-02",
        phone="916-555-0101",
        email="Rosa@Example.org",
    )


def intake(**changes):
    # Nothing in common with Rosa unless a test says so.
    return {
        **INTAKE,
        "preferred_name": "Kim",
        "legal_name": "Kim Lee",
        "date_of_birth": "1985-01-01",
        "phone": "(530) 555-0000",
        "email": "kim@example.org",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "warned"),
    [
        ({"date_of_birth": "1990-04-02", "preferred_name": "Rosa"}, True),
        ({"date_of_birth": "1990-04-02", "preferred_name": "ROSA", "legal_name": ""}, True),
        ({"date_of_birth": "1990-04-02", "legal_name": "Maria Delgado-Ruiz"}, True),
        ({"date_of_birth": "1990-04-02", "preferred_name": "Ros"}, True),  # begins "Rosa"
        ({"date_of_birth": "1990-04-02", "legal_name": "Rosa Maria Delgado"}, True),  # no accents
        ({"date_of_birth": "1990-04-02"}, False),  # same birthday, another name
        ({"date_of_birth": "1990-04-03", "preferred_name": "Rosa"}, False),  # a day apart
        ({"phone": "+1 (916) 555 0101"}, True),  # the same ten digits
        ({"phone": "916-555-0102"}, False),  # one digit apart
        ({"phone": "555-0101"}, False),  # seven digits: too few to say
        ({"email": "rosa@example.org"}, True),  # case does not matter
        ({"email": "rosa2@example.org"}, False),
    ],
)
def test_the_rule(rosa, program, changes, warned):
    data = intake(**changes)
    found = possible_duplicates(
        program=program,
        preferred_name=data["preferred_name"],
        legal_name=data["legal_name"],
        date_of_birth=dt.date.fromisoformat(data["date_of_birth"]),
        phone=data["phone"],
        email=data["email"],
    )
    assert (found == [rosa]) is warned


def test_the_intake_page_asks_before_saving_and_links_the_record(coordinator_client, rosa):
    response = coordinator_client.post(reverse(URL), intake(email="rosa@example.org"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This may be the same person" in page
    assert reverse("mentorship:mentee_detail", args=[rosa.pk]) in page
    assert MenteeProfile.objects.count() == 1


def test_saying_it_is_a_different_person_records_the_intake(coordinator_client, rosa):
    data = intake(email="rosa@example.org", different_person="on")
    response = coordinator_client.post(reverse(URL), data)
    assert response.status_code == 302
    assert MenteeProfile.objects.count() == 2


def test_no_match_saves_at_once(coordinator_client, rosa):
    assert coordinator_client.post(reverse(URL), intake()).status_code == 302
    assert MenteeProfile.objects.count() == 2


def test_another_programs_people_are_never_compared(outsider_client, rosa):
    """Part 2: the answer must not tell that someone is another program's mentee."""
    response = outsider_client.post(reverse(URL), intake(email="rosa@example.org"))
    assert response.status_code == 302
    assert "same person" not in response.content.decode()


def test_the_shown_matches_are_in_the_audit_trail(coordinator_client, rosa):
    from audit.models import AccessEvent

    coordinator_client.post(reverse(URL), intake(email="rosa@example.org"))
    assert AccessEvent.objects.get().mentee_ids == [rosa.pk]


def test_the_edit_form_does_not_ask(coordinator_client, rosa):
    page = coordinator_client.get(reverse("mentorship:mentee_edit", args=[rosa.pk]))
    assert "different_person" not in page.content.decode()
