"""The mentee page and the API tell the whole truth about matching: the
mismatches beside the matches, the score's scale, and the mentors left out
with every reason; never a mentor of another program."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from tests.accounts.test_api import api_client_for
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor, program_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosa(program):
    return MenteeProfileFactory(
        program=program,
        preferred_name="Rosa",
        preferred_language="es",
        recovery_pathway="",
        substances_of_concern=[],
        mentor_gender_preference="woman",
        preferred_delivery_method="telehealth",
        county="Sacramento",
    )


@pytest.fixture
def mentors(program, other_program):
    make_mentor(
        program,
        full_name="Lena Okafor",
        languages=["es"],
        gender="woman",
        delivery_methods=["telehealth"],
        county="Sacramento",
        caseload_capacity=8,
    )
    make_mentor(
        program,
        full_name="Tom Hadley",
        languages=["en"],
        gender="man",
        delivery_methods=["in_person"],
        county="Sacramento",
        caseload_capacity=8,
    )
    full = make_mentor(program, full_name="Full Fiona", caseload_capacity=1)
    assign(MenteeProfileFactory(program=program), full)
    make_mentor(program, full_name="Closed Carl", accepting_new_mentees=False)
    make_mentor(program, full_name="Uncertified Una", certified=False)
    make_mentor(
        program, full_name="Recent Rae", recovery_start_date=program_day() - timedelta(days=100)
    )
    make_mentor(other_program, full_name="Elsewhere Open", languages=["es"])
    make_mentor(other_program, full_name="Elsewhere Closed", accepting_new_mentees=False)


LEFT_OUT = {
    "Closed Carl": ["not accepting new mentees"],
    "Full Fiona": ["caseload full (1 of 1)"],
    "Recent Rae": ["3 months in recovery, the program asks for 6"],
    "Uncertified Una": ["no active or in-progress certification"],
}


def test_the_mentee_page_shows_matches_mismatches_the_scale_and_who_was_left_out(
    coordinator_client, rosa, mentors
):
    page = coordinator_client.get(
        reverse("mentorship:mentee_detail", args=[rosa.pk])
    ).content.decode()
    # The scale, with what each point is for.
    assert "Scores are out of 100" in page
    for points, what in [
        (30, "a shared language"),
        (25, "the same recovery pathway"),
        (15, "shared lived experience"),
        (10, "the preferred gender"),
        (10, "the preferred way to meet"),
        (5, "the same county"),
        (5, "free places, in proportion"),
    ]:
        assert f"{points} for {what}" in page
    assert "Not recorded for Rosa, so no mentor scores on them" in page
    # Each suggestion: its score on the scale, its matches and its mismatches.
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "match score 60 of 100" in text and "match score 10 of 100" in text
    for mismatch in [
        "does not speak Spanish",
        "is a man, not a woman as preferred",
        "does not offer telehealth, which is preferred",
    ]:
        assert mismatch in page
    for match in ["speaks Spanish", "is a woman, as preferred", "offers telehealth as preferred"]:
        assert match in page
    # Who was left out, and why.
    assert "Left out" in page
    for name, reasons in LEFT_OUT.items():
        assert name in page
        for reason in reasons:
            assert reason in page
    assert "Elsewhere" not in page


def test_the_api_carries_the_same(coordinator, rosa, mentors):
    body = (
        api_client_for(coordinator)
        .get(reverse("api:mentee-match-suggestions", args=[rosa.pk]))
        .json()
    )
    assert body["max_score"] == 100
    assert body["scale"][0] == {
        "criterion": "language",
        "label": "a shared language",
        "points": 30,
    }
    assert sum(step["points"] for step in body["scale"]) == 100
    assert body["not_recorded"] == ["the same recovery pathway", "shared lived experience"]
    lena, tom = body["suggestions"]
    assert (lena["full_name"], lena["score"], lena["max_score"]) == ("Lena Okafor", 60, 100)
    assert lena["mismatches"] == []
    assert tom["full_name"] == "Tom Hadley" and tom["score"] == 10
    assert tom["mismatches"] == [
        "does not speak Spanish",
        "is a man, not a woman as preferred",
        "does not offer telehealth, which is preferred",
    ]
    assert tom["points"][0] == {
        "criterion": "language",
        "points": 0,
        "out_of": 30,
        "matched": False,
        "reason": "does not speak Spanish",
    }
    assert sum(part["points"] for part in tom["points"]) == tom["score"]
    assert {left["full_name"]: left["reasons"] for left in body["left_out"]} == LEFT_OUT
    assert set(body["left_out"][0]) == {"mentor_profile", "mentor", "full_name", "reasons"}


def test_the_current_mentor_is_left_out_on_the_page_and_in_the_api(
    coordinator, coordinator_client, program, rosa
):
    current = make_mentor(program, full_name="Current Cora")
    assign(rosa, current)
    page = coordinator_client.get(
        reverse("mentorship:mentee_detail", args=[rosa.pk])
    ).content.decode()
    assert "already this mentee&#x27;s mentor" in page
    body = (
        api_client_for(coordinator)
        .get(reverse("api:mentee-match-suggestions", args=[rosa.pk]))
        .json()
    )
    assert body["suggestions"] == []
    assert [(left["full_name"], left["reasons"]) for left in body["left_out"]] == [
        ("Current Cora", ["already this mentee's mentor"])
    ]


def test_another_programs_coordinator_sees_neither_suggestions_nor_left_out(
    outsider, outsider_client, rosa, mentors
):
    url = reverse("api:mentee-match-suggestions", args=[rosa.pk])
    assert api_client_for(outsider).get(url).status_code == 404
    page = reverse("mentorship:mentee_detail", args=[rosa.pk])
    assert outsider_client.get(page).status_code == 404
