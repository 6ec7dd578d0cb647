"""Matching: a score and human reasons; only eligible mentors; weights in one place."""

import pytest

from mentorship.matching import WEIGHTS, match_suggestions
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentee(program):
    return MenteeProfileFactory(
        program=program,
        preferred_language="es",
        recovery_pathway="smart",
        substances_of_concern=["opioids", "alcohol"],
        mentor_gender_preference="woman",
        preferred_delivery_method="telehealth",
        county="Sacramento",
    )


def test_a_perfect_match_scores_every_weight_with_its_reason(program, mentee):
    make_mentor(
        program,
        full_name="Lena Okafor",
        languages=["en", "es"],
        recovery_pathways=["smart"],
        lived_experience_areas=["opioids"],
        gender="woman",
        delivery_methods=["telehealth"],
        county="Sacramento",
        caseload_capacity=8,
    )
    (suggestion,) = match_suggestions(mentee)
    assert suggestion.score == sum(WEIGHTS.values())
    assert suggestion.reasons == [
        "speaks Spanish",
        "shares the SMART Recovery pathway",
        "lived experience with opioids",
        "is a woman, as preferred",
        "offers telehealth as preferred",
        "same county",
        "8 of 8 places free",
    ]


def test_weights_rank_language_above_pathway_above_county():
    assert WEIGHTS["language"] > WEIGHTS["pathway"] > WEIGHTS["lived_experience"]
    assert WEIGHTS["lived_experience"] > WEIGHTS["county"]
    assert sum(WEIGHTS.values()) == 100


def test_free_capacity_is_reported_and_scored_by_share(program, mentee):
    mentor = make_mentor(program, caseload_capacity=8)
    for _ in range(5):
        assign(MenteeProfileFactory(program=program), mentor)
    (suggestion,) = match_suggestions(mentee)
    assert suggestion.reasons == ["same county", "3 of 8 places free"]
    assert suggestion.score == WEIGHTS["county"] + round(WEIGHTS["free_capacity"] * 3 / 8)


def test_best_match_comes_first(program, mentee):
    make_mentor(program, full_name="Plain Match", county="Fresno")
    make_mentor(program, full_name="Spanish Speaker", languages=["es"], county="Fresno")
    names = [s.mentor.full_name for s in match_suggestions(mentee)]
    assert names == ["Spanish Speaker", "Plain Match"]


def test_full_or_not_accepting_mentors_are_never_suggested(program, mentee):
    full = make_mentor(program, full_name="Full", languages=["es"], caseload_capacity=1)
    assign(MenteeProfileFactory(program=program), full)
    make_mentor(program, full_name="Closed", languages=["es"], accepting_new_mentees=False)
    make_mentor(program, full_name="Open")
    assert [s.mentor.full_name for s in match_suggestions(mentee)] == ["Open"]


def test_mentors_of_other_programs_are_never_suggested(program, other_program, mentee):
    make_mentor(other_program, full_name="Elsewhere", languages=["es"])
    assert match_suggestions(mentee) == []


def test_the_current_mentor_is_not_suggested_again(program, mentee):
    current = make_mentor(program, full_name="Current")
    make_mentor(program, full_name="Another")
    assign(mentee, current)
    assert [s.mentor.full_name for s in match_suggestions(mentee)] == ["Another"]
