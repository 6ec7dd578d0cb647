"""Who may take a new mentee: accepting, free capacity, months in recovery, certification."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from mentorship.eligibility import (
    mentors_with_active_or_in_progress_certification,
    program_mentors_with_eligibility,
)
from tests.accounts.factories import program_day
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = pytest.mark.django_db


def reasons_for(mentor):
    (profile,) = [p for p in program_mentors_with_eligibility(mentor.program) if p.user == mentor]
    return profile.ineligible_because


def test_an_accepting_mentor_with_room_and_time_in_recovery_is_eligible(program):
    assert reasons_for(make_mentor(program)) == []


def test_a_mentor_not_accepting_is_not_eligible(program):
    assert reasons_for(make_mentor(program, accepting_new_mentees=False)) == [
        "not accepting new mentees"
    ]


def test_a_full_caseload_is_not_eligible(program):
    mentor = make_mentor(program, caseload_capacity=2)
    for _ in range(2):
        assign(MenteeProfileFactory(program=program), mentor)
    assert reasons_for(mentor) == ["caseload full (2 of 2)"]


def test_ended_assignments_free_their_place(program):
    mentor = make_mentor(program, caseload_capacity=1)
    assignment = assign(MenteeProfileFactory(program=program), mentor)
    type(assignment).objects.filter(pk=assignment.pk).update(
        ended_at=timezone.now(), end_reason="other"
    )
    assert reasons_for(mentor) == []


def test_months_in_recovery_follow_the_program_setting(program):
    five_months = program_day() - timedelta(days=5 * 31)
    mentor = make_mentor(program, recovery_start_date=five_months)
    assert reasons_for(mentor) == ["5 months in recovery, the program asks for 6"]
    program.min_months_in_recovery = 3
    program.save()
    mentor.refresh_from_db()
    assert reasons_for(mentor) == []


@time_machine.travel(datetime(2026, 11, 26, 12, tzinfo=UTC), tick=False)
def test_six_months_to_the_day_is_enough_and_a_day_less_is_not(program):
    assert reasons_for(make_mentor(program, recovery_start_date=date(2026, 5, 26))) == []
    assert reasons_for(make_mentor(program, recovery_start_date=date(2026, 5, 27))) == [
        "5 months in recovery, the program asks for 6"
    ]


def test_an_unknown_recovery_start_is_not_eligible_when_the_program_asks(program):
    assert reasons_for(make_mentor(program, recovery_start_date=None)) == [
        "recovery start date not recorded"
    ]
    program.min_months_in_recovery = 0
    program.save()
    assert reasons_for(make_mentor(program, recovery_start_date=None)) == []


@pytest.mark.parametrize(
    ("certification", "eligible"),
    [
        ({}, True),
        ({"in_progress": True}, True),
        ({"expires_in_days": 20}, True),
        ({"expires_in_days": 0}, True),
        ({"expires_in_days": -1}, False),
        (
            {
                "manual_status": "suspended",
                "manual_status_reason": "review",
                "manual_status_on": date(2026, 1, 1),
            },
            False,
        ),
        (
            {
                "manual_status": "revoked",
                "manual_status_reason": "ethics",
                "manual_status_on": date(2026, 1, 1),
            },
            False,
        ),
        (None, False),
    ],
    ids=["active", "in progress", "expiring", "last day", "lapsed", "suspended", "revoked", "none"],
)
def test_a_mentor_needs_an_active_or_in_progress_certification(program, certification, eligible):
    from tests.certification.factories import certify

    mentor = make_mentor(program, certified=False)
    if certification is not None:
        certify(mentor, **certification)
    assert mentors_with_active_or_in_progress_certification({mentor.pk}, program=program) == (
        {mentor.pk} if eligible else set()
    )
    assert ("no active or in-progress certification" in reasons_for(mentor)) is not eligible


def test_a_deactivated_mentor_is_not_eligible(program):
    mentor = make_mentor(program)
    mentor.is_active = False
    mentor.save()
    assert "login is deactivated" in reasons_for(mentor)
