"""Matching: a score and human reasons; only eligible mentors; weights in one
place; the mismatches, the scale, and the mentors left out and why."""

from datetime import timedelta

import pytest

from mentorship.matching import WEIGHTS, match_suggestions, matching_for
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor, program_day

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


# --- The whole truth: mismatches, the scale, and who was left out and why ----------


def test_each_unmet_preference_is_shown_as_a_mismatch(program, mentee):
    make_mentor(
        program,
        full_name="Tom Hadley",
        languages=["en"],
        recovery_pathways=["twelve_step"],
        lived_experience_areas=["cannabis"],
        gender="man",
        delivery_methods=["in_person"],
        county="Fresno",
        caseload_capacity=8,
    )
    (suggestion,) = match_suggestions(mentee)
    assert suggestion.mismatches == [
        "does not speak Spanish",
        "does not share the SMART Recovery pathway",
        "no lived experience with opioids, alcohol",
        "is a man, not a woman as preferred",
        "does not offer telehealth, which is preferred",
        "works in Fresno, not Sacramento",
    ]
    assert suggestion.reasons == ["8 of 8 places free"]
    assert suggestion.score == WEIGHTS["free_capacity"]


@pytest.mark.parametrize(
    ("gender", "said"),
    [
        ("", "gender not recorded, a woman preferred"),
        ("undisclosed", "prefers not to say their gender, a woman preferred"),
        ("nonbinary", "is non-binary, not a woman as preferred"),
    ],
)
def test_a_gender_preference_not_known_to_be_met_is_a_mismatch(program, mentee, gender, said):
    make_mentor(program, gender=gender, languages=["es"])
    (suggestion,) = match_suggestions(mentee)
    assert said in suggestion.mismatches


def test_what_the_mentee_did_not_say_is_neither_a_match_nor_a_mismatch(program):
    mentee = MenteeProfileFactory(
        program=program,
        preferred_language="",
        recovery_pathway="",
        substances_of_concern=[],
        mentor_gender_preference="",
        preferred_delivery_method="",
        county="",
    )
    make_mentor(program, languages=["es"], gender="man", delivery_methods=["telephone"])
    matching = matching_for(mentee)
    (suggestion,) = matching.suggestions
    assert suggestion.mismatches == [] and suggestion.reasons == ["8 of 8 places free"]
    assert matching.not_recorded == [
        "a shared language",
        "the same recovery pathway",
        "shared lived experience",
        "the preferred gender",
        "the preferred way to meet",
        "the same county",
    ]


def test_the_score_has_a_scale_and_says_what_each_point_is_for(program, mentee):
    make_mentor(program, full_name="Lena", languages=["es"], county="Fresno", caseload_capacity=8)
    matching = matching_for(mentee)
    assert matching.max_score == sum(WEIGHTS.values()) == 100
    assert [(part.label, part.points) for part in matching.scale] == [
        ("a shared language", 30),
        ("the same recovery pathway", 25),
        ("shared lived experience", 15),
        ("the preferred gender", 10),
        ("the preferred way to meet", 10),
        ("the same county", 5),
        ("free places, in proportion", 5),
    ]
    (suggestion,) = matching.suggestions
    # Every point of the score is accounted for, criterion by criterion.
    assert [(p.criterion, p.points, p.out_of, p.matched) for p in suggestion.points] == [
        ("language", 30, 30, True),
        ("pathway", 0, 25, False),
        ("lived_experience", 0, 15, False),
        ("gender", 0, 10, False),
        ("delivery_method", 0, 10, False),
        ("county", 0, 5, False),
        ("free_capacity", 5, 5, None),
    ]
    assert suggestion.score == sum(p.points for p in suggestion.points) == 35


def test_left_out_mentors_are_listed_with_every_reason(program, mentee):
    full = make_mentor(program, full_name="Full Fiona", caseload_capacity=1)
    assign(MenteeProfileFactory(program=program), full)
    make_mentor(program, full_name="Closed Carl", accepting_new_mentees=False)
    make_mentor(program, full_name="Uncertified Una", certified=False)
    make_mentor(
        program, full_name="Recent Rae", recovery_start_date=program_day() - timedelta(days=100)
    )
    make_mentor(program, full_name="Unknown Uri", recovery_start_date=None)
    make_mentor(program, full_name="Open Olga")
    matching = matching_for(mentee)
    assert [s.mentor.full_name for s in matching.suggestions] == ["Open Olga"]
    assert {left.mentor.full_name: left.reasons for left in matching.left_out} == {
        "Closed Carl": ["not accepting new mentees"],
        "Full Fiona": ["caseload full (1 of 1)"],
        "Recent Rae": ["3 months in recovery, the program asks for 6"],
        "Uncertified Una": ["no active or in-progress certification"],
        "Unknown Uri": ["recovery start date not recorded"],
    }
    assert [left.mentor.full_name for left in matching.left_out] == sorted(
        left.mentor.full_name for left in matching.left_out
    )


def test_a_mentor_left_out_for_several_reasons_shows_them_all(program, mentee):
    make_mentor(
        program, full_name="Both", accepting_new_mentees=False, certified=False, caseload_capacity=1
    )
    (left,) = matching_for(mentee).left_out
    assert left.reasons == ["not accepting new mentees", "no active or in-progress certification"]


def test_the_current_mentor_is_left_out_as_the_current_mentor(program, mentee):
    current = make_mentor(program, full_name="Current")
    assign(mentee, current)
    matching = matching_for(mentee)
    assert matching.suggestions == []
    assert [(left.mentor, left.reasons) for left in matching.left_out] == [
        (current, ["already this mentee's mentor"])
    ]


def test_mentors_of_other_programs_are_never_listed_not_even_as_left_out(
    program, other_program, mentee
):
    make_mentor(other_program, full_name="Elsewhere Open", languages=["es"])
    make_mentor(other_program, full_name="Elsewhere Closed", accepting_new_mentees=False)
    matching = matching_for(mentee)
    assert matching.suggestions == [] and matching.left_out == []
