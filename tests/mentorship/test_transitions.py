"""Mentee status: referred → active → on hold → discharged | graduated."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentorship import services
from mentorship.choices import ALLOWED_TRANSITIONS, MenteeStatus
from tests.mentorship.factories import MenteeProfileFactory, assign

pytestmark = pytest.mark.django_db

ALL_PAIRS = [(a, b) for a in MenteeStatus.values for b in MenteeStatus.values if a != b]


def mentee_in(status, program):
    mentee = MenteeProfileFactory(program=program)
    type(mentee).objects.filter(pk=mentee.pk).update(
        status=status, discharge_reason="moved" if status == "discharged" else ""
    )
    mentee.refresh_from_db()
    return mentee


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_only_allowed_transitions_happen(program, coordinator, mentor, from_status, to_status):
    mentee = mentee_in(from_status, program)
    # Becoming active needs a mentor (tests/mentorship/test_active_needs_a_mentor.py).
    with_mentor = {"mentor": mentor} if to_status == "active" else {}
    change = lambda: services.mentee_transition(  # noqa: E731
        mentee=mentee, to_status=to_status, changed_by=coordinator, reason="moved", **with_mentor
    )
    if to_status in ALLOWED_TRANSITIONS[from_status]:
        assert change().status == to_status
    else:
        with pytest.raises(ValidationError):
            change()
        mentee.refresh_from_db()
        assert mentee.status == from_status


def test_each_transition_is_dated_with_who_and_why(program, coordinator):
    mentee = mentee_in("active", program)
    services.mentee_transition(
        mentee=mentee,
        to_status="discharged",
        changed_by=coordinator,
        reason="moved",
        note="Moved to Oregon",
    )
    change = mentee.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "active",
        "discharged",
        coordinator,
    )
    assert change.reason == "moved" and change.changed_on is not None
    mentee.refresh_from_db()
    assert mentee.discharge_reason == "moved"


def test_discharge_needs_a_reason(program, coordinator):
    mentee = mentee_in("active", program)
    with pytest.raises(ValidationError) as exc:
        services.mentee_transition(mentee=mentee, to_status="discharged", changed_by=coordinator)
    assert "reason" in exc.value.message_dict


@pytest.mark.parametrize("closing", ["discharged", "graduated"])
def test_closing_a_case_ends_the_assignment(program, coordinator, mentor, closing):
    mentee = mentee_in("active", program)
    assign(mentee, mentor)
    services.mentee_transition(
        mentee=mentee, to_status=closing, changed_by=coordinator, reason="moved"
    )
    ended = mentee.assignments.get()
    assert ended.ended_at is not None and ended.end_reason == "mentee_closed"


def test_reopening_a_discharged_case_clears_the_reason(program, coordinator):
    mentee = mentee_in("discharged", program)
    services.mentee_transition(mentee=mentee, to_status="referred", changed_by=coordinator)
    mentee.refresh_from_db()
    assert (mentee.status, mentee.discharge_reason) == ("referred", "")


def test_mentors_and_other_programs_cannot_change_status(program, mentor, outsider):
    mentee = mentee_in("active", program)
    for user in (mentor, outsider):
        with pytest.raises(PermissionDenied):
            services.mentee_transition(mentee=mentee, to_status="on_hold", changed_by=user)
