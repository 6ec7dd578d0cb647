import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorship.models import Assignment, MenteeProfile
from tests.mentorship.factories import MenteeProfileFactory, assign

pytestmark = pytest.mark.django_db


def test_database_allows_one_active_assignment_per_mentee(program, mentor, other_mentor):
    mentee = MenteeProfileFactory(program=program)
    assign(mentee, mentor)
    with pytest.raises(IntegrityError), transaction.atomic():
        assign(mentee, other_mentor)


def test_ended_assignments_do_not_count_against_the_one_active(program, mentor, other_mentor):
    mentee = MenteeProfileFactory(program=program)
    first = assign(mentee, mentor)
    Assignment.objects.filter(pk=first.pk).update(ended_at=timezone.now(), end_reason="other")
    assign(mentee, other_mentor)
    assert mentee.assignments.active().get().mentor == other_mentor


def test_database_refuses_a_discharge_without_reason(program):
    mentee = MenteeProfileFactory(program=program)
    with pytest.raises(IntegrityError), transaction.atomic():
        MenteeProfile.objects.filter(pk=mentee.pk).update(status="discharged")


def test_database_refuses_a_reason_on_an_open_case(program):
    mentee = MenteeProfileFactory(program=program)
    with pytest.raises(IntegrityError), transaction.atomic():
        MenteeProfile.objects.filter(pk=mentee.pk).update(discharge_reason="moved")


def test_database_bounds_mentor_capacity(mentor):
    with pytest.raises(IntegrityError), transaction.atomic():
        type(mentor.mentor_profile).objects.filter(pk=mentor.mentor_profile.pk).update(
            caseload_capacity=0
        )


def test_every_new_mentor_gets_a_profile_with_the_program_county(program):
    from tests.accounts.factories import UserFactory

    mentor = UserFactory(program=program, role="mentor")
    assert mentor.mentor_profile.county == program.county
    assert mentor.mentor_profile.caseload_capacity == 8
