"""Assigning and reassigning mentors: the rules, the handoff, and lost access."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from mentorship import services
from mentorship.models import Assignment
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


def test_assigning_a_referred_mentee_makes_them_active(program, coordinator, mentor):
    mentee = MenteeProfileFactory(program=program)
    assignment = services.assignment_create(mentee=mentee, mentor=mentor, assigned_by=coordinator)
    mentee.refresh_from_db()
    assert (assignment.mentor, assignment.assigned_by) == (mentor, coordinator)
    assert mentee.status == "active"
    assert mentee.status_changes.get().to_status == "active"


def test_reassigning_needs_a_reason_and_ends_the_old_assignment(
    program, coordinator, mentor, other_mentor
):
    mentee = MenteeProfileFactory(program=program, status="active")
    first = assign(mentee, mentor)
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(mentee=mentee, mentor=other_mentor, assigned_by=coordinator)
    assert "end_reason" in exc.value.message_dict
    second = services.assignment_create(
        mentee=mentee,
        mentor=other_mentor,
        assigned_by=coordinator,
        end_reason="mentee_request",
        handoff_summary="Prefers evening calls; court date on the 12th.",
    )
    first.refresh_from_db()
    assert first.ended_at is not None and first.end_reason == "mentee_request"
    assert first.ended_by == coordinator
    assert second.handoff_summary == "Prefers evening calls; court date on the 12th."
    assert mentee.assignments.active().get() == second


def test_assigning_the_same_mentor_again_is_refused(program, coordinator, mentor):
    mentee = MenteeProfileFactory(program=program, status="active")
    assign(mentee, mentor)
    with pytest.raises(ValidationError):
        services.assignment_create(
            mentee=mentee, mentor=mentor, assigned_by=coordinator, end_reason="other"
        )


def test_a_full_mentor_cannot_be_assigned(program, coordinator):
    mentor = make_mentor(program, caseload_capacity=1)
    assign(MenteeProfileFactory(program=program), mentor)
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(
            mentee=MenteeProfileFactory(program=program), mentor=mentor, assigned_by=coordinator
        )
    assert "caseload full" in str(exc.value)


def test_a_mentor_of_another_program_cannot_be_assigned(program, other_program, coordinator):
    elsewhere = make_mentor(other_program)
    with pytest.raises(ValidationError):
        services.assignment_create(
            mentee=MenteeProfileFactory(program=program), mentor=elsewhere, assigned_by=coordinator
        )


@pytest.mark.parametrize("status", ["discharged", "graduated"])
def test_closed_cases_cannot_be_assigned(program, coordinator, mentor, status):
    mentee = MenteeProfileFactory(
        program=program, status=status, discharge_reason="moved" if status == "discharged" else ""
    )
    with pytest.raises(ValidationError):
        services.assignment_create(mentee=mentee, mentor=mentor, assigned_by=coordinator)


def test_only_the_programs_coordinators_assign(program, mentor, other_mentor, outsider):
    mentee = MenteeProfileFactory(program=program)
    for user in (mentor, outsider):
        with pytest.raises(PermissionDenied):
            services.assignment_create(mentee=mentee, mentor=other_mentor, assigned_by=user)


def test_new_mentor_sees_the_handoff_first_and_old_mentor_loses_access_at_once(
    client_for, mentee_profile, coordinator, mentor, other_mentor
):
    old, new = client_for(mentor), client_for(other_mentor)
    url = reverse("mentorship:mentee_detail", args=[mentee_profile.pk])
    assert old.get(url).status_code == 200
    services.assignment_create(
        mentee=mentee_profile,
        mentor=other_mentor,
        assigned_by=coordinator,
        end_reason="mentor_request",
        handoff_summary="Call before 10am.",
    )
    assert old.get(url).status_code == 404
    api_url = reverse("api:mentee-detail", args=[mentee_profile.pk])
    assert old.get(api_url).status_code == 404
    page = new.get(url).content.decode()
    assert "Handoff from your coordinator" in page and "Call before 10am." in page
    assert page.index("Handoff from your coordinator") < page.index("Details")


def test_coordinator_assigns_from_the_mentee_page(client_for, coordinator, program, mentor):
    mentee = MenteeProfileFactory(program=program)
    response = client_for(coordinator).post(
        reverse("mentorship:mentee_assign", args=[mentee.pk]), {"mentor": mentor.pk}
    )
    assert response.status_code == 302
    assert mentee.assignments.active().get().mentor == mentor


@pytest.mark.django_db(transaction=True)
def test_parallel_assignments_create_one_active_assignment_on_postgresql(program, coordinator):
    require_postgres()
    mentee = MenteeProfileFactory(program=program)
    mentors = [make_mentor(program), make_mentor(program)]
    barrier = threading.Barrier(2)
    outcomes = []

    def assign_in_thread(mentor):
        try:
            barrier.wait()
            services.assignment_create(mentee=mentee, mentor=mentor, assigned_by=coordinator)
            outcomes.append("assigned")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=assign_in_thread, args=(m,)) for m in mentors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["assigned", "refused"]
    assert Assignment.objects.filter(mentee=mentee, ended_at__isnull=True).count() == 1


def test_the_mentee_page_shows_the_assignment_history(
    coordinator_client, coordinator, mentee_profile, mentor, other_mentor
):
    services.assignment_create(
        mentee=mentee_profile,
        mentor=other_mentor,
        assigned_by=coordinator,
        end_reason="mentee_request",
    )
    page = coordinator_client.get(
        reverse("mentorship:mentee_detail", args=[mentee_profile.pk])
    ).content.decode()
    history = page[page.index("Assignment history") :]
    assert (
        "Marcus Reyes" in history
        and "mentee asked for a change" in history
        and "Lena Okafor" in history
    )
