"""The people page: admins deactivate, reactivate and change roles;
coordinators read their program's people."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.models import Role, User, UserSession
from mentorship import services as mentorship_services
from mentorship.models import MentorProfile
from tests.accounts.factories import UserFactory
from tests.mentorship.factories import MenteeProfileFactory, _program_coordinator, assign

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def give_mentees(mentor, count: int) -> None:
    for _ in range(count):
        assign(MenteeProfileFactory(program=mentor.program), mentor)


# --- The page --------------------------------------------------------------------


def test_admins_see_everyone_with_their_details(admin_client, coordinator, mentor, outsider):
    response = admin_client.get(reverse("accounts:people"))
    assert response.status_code == 200
    shown = set(response.context["people"])
    assert {coordinator, mentor, outsider} <= shown
    body = response.content.decode()
    assert mentor.email in body and "Never" in body
    assert reverse("accounts:person_deactivate", args=[mentor.pk]) in body


def test_coordinators_read_their_programs_people_only(coordinator_client, mentor, outsider):
    response = coordinator_client.get(reverse("accounts:people"))
    assert mentor in response.context["people"]
    assert outsider not in response.context["people"]
    body = response.content.decode()
    assert reverse("accounts:person_deactivate", args=[mentor.pk]) not in body
    assert "person_change_role" not in body


def test_filters_by_program_role_and_active(admin_client, program, coordinator, mentor, outsider):
    mentor.is_active = False
    mentor.save()
    url = reverse("accounts:people")

    def shown(**params):
        return set(admin_client.get(url, params).context["people"])

    assert outsider not in shown(program=program.pk)
    assert shown(role="mentor") == {mentor}
    assert shown(active="no") == {mentor}
    assert mentor not in shown(active="yes", program=program.pk)


def test_fifty_a_page_and_the_filters_stay_on_the_next(admin_client, program):
    UserFactory.create_batch(51, mentee=True, program=program)
    response = admin_client.get(reverse("accounts:people"), {"role": "mentee"})
    assert len(response.context["people"]) == 50
    assert "role=mentee&amp;page=2" in response.content.decode()
    assert (
        len(
            admin_client.get(reverse("accounts:people"), {"role": "mentee", "page": 2}).context[
                "people"
            ]
        )
        == 1
    )


@pytest.mark.parametrize("extra", [1, 8])
def test_the_page_runs_a_fixed_number_of_queries(
    admin_client, program, other_program, extra, django_assert_num_queries
):
    UserFactory.create_batch(extra, program=program)
    UserFactory.create_batch(extra, coordinator=True, program=other_program)
    with django_assert_num_queries(PEOPLE_PAGE_QUERIES):
        assert admin_client.get(reverse("accounts:people")).status_code == 200


# Session, the user with the admin's second factor (accounts.backends), the
# programs for the filter and, once, for the move buttons, the count and the
# page of people (with their programs).
PEOPLE_PAGE_QUERIES = 6


# --- Deactivate and reactivate ---------------------------------------------------


def test_deactivating_ends_every_session_and_token(admin_user, coordinator):
    laptop, phone = Client(), Client()
    laptop.force_login(coordinator)
    phone.force_login(coordinator)
    services.api_token_create(user=coordinator, name="script")
    Token.objects.create(user=coordinator)

    services.person_deactivate(person=coordinator, deactivated_by=admin_user)

    coordinator.refresh_from_db()
    assert not coordinator.is_active
    assert not UserSession.objects.filter(user=coordinator).exists()
    assert not AuthToken.objects.filter(user=coordinator).exists()
    assert not Token.objects.filter(user=coordinator).exists()
    for client in (laptop, phone):
        assert client.get(reverse("dashboard")).status_code == 302


def test_a_mentor_with_no_active_mentees_may_be_deactivated(admin_user, mentor):
    ended = assign(MenteeProfileFactory(program=mentor.program), mentor)
    mentorship_services.assignment_end(
        assignment=ended, ended_by=_program_coordinator(ended.mentee), reason="other"
    )
    services.person_deactivate(person=mentor, deactivated_by=admin_user)
    mentor.refresh_from_db()
    assert not mentor.is_active


@pytest.mark.parametrize(("count", "words"), [(1, "1 mentee"), (2, "2 mentees")])
def test_a_mentor_with_mentees_hands_them_over_first(admin_user, mentor, count, words):
    give_mentees(mentor, count)
    with pytest.raises(ValidationError) as refused:
        services.person_deactivate(person=mentor, deactivated_by=admin_user)
    assert f"mentors {words}" in refused.value.messages[0]
    assert "hand" in refused.value.messages[0]
    mentor.refresh_from_db()
    assert mentor.is_active


def test_the_page_shows_the_refusal(admin_client, mentor):
    give_mentees(mentor, 1)
    response = admin_client.post(reverse("accounts:person_deactivate", args=[mentor.pk]))
    assert response.status_code == 302
    assert any("mentors 1 mentee" in m for m in messages_of(response))
    mentor.refresh_from_db()
    assert mentor.is_active


def test_nobody_deactivates_themselves(admin_user):
    with pytest.raises(ValidationError):
        services.person_deactivate(person=admin_user, deactivated_by=admin_user)
    admin_user.refresh_from_db()
    assert admin_user.is_active


@pytest.mark.parametrize("who", ["coordinator", "mentor", "mentee"])
def test_only_admins_deactivate(request, who, coordinator):
    target = UserFactory(program=coordinator.program)
    with pytest.raises(PermissionDenied):
        services.person_deactivate(person=target, deactivated_by=request.getfixturevalue(who))


def test_deactivating_twice_is_refused(admin_user, coordinator):
    services.person_deactivate(person=coordinator, deactivated_by=admin_user)
    with pytest.raises(ValidationError, match="already deactivated"):
        services.person_deactivate(person=coordinator, deactivated_by=admin_user)


def test_reactivating_lets_them_sign_in_again(admin_client, coordinator):
    coordinator.is_active = False
    coordinator.save()
    response = admin_client.post(reverse("accounts:person_reactivate", args=[coordinator.pk]))
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.is_active and coordinator.role == Role.COORDINATOR


def test_reactivating_an_active_person_is_refused(admin_user, coordinator):
    with pytest.raises(ValidationError, match="already active"):
        services.person_reactivate(person=coordinator, reactivated_by=admin_user)


def test_a_coordinator_cannot_change_another_programs_person(outsider_client, mentor):
    for name in (
        "accounts:person_deactivate",
        "accounts:person_reactivate",
        "accounts:person_change_role",
    ):
        url = reverse(name, args=[mentor.pk])
        assert outsider_client.post(url).status_code == 404
        assert outsider_client.get(url).status_code == 404


# --- Role changes ----------------------------------------------------------------


def test_a_mentor_with_no_mentees_becomes_coordinator(admin_client, mentor, client_for):
    response = admin_client.post(
        reverse("accounts:person_change_role", args=[mentor.pk]), {"role": "coordinator"}
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.role == Role.COORDINATOR
    # Coordinators need a second factor: the next page is its set-up.
    after = client_for(mentor).get(reverse("dashboard"))
    assert after.status_code == 302 and after.url == reverse("mfa_activate_totp")


@pytest.mark.parametrize(("count", "allowed"), [(0, True), (1, False)])
def test_a_mentors_role_changes_only_once_mentees_are_handed_over(
    admin_user, mentor, count, allowed
):
    give_mentees(mentor, count)
    if allowed:
        services.person_change_role(person=mentor, role=Role.COORDINATOR, changed_by=admin_user)
    else:
        with pytest.raises(ValidationError, match="mentors 1 mentee"):
            services.person_change_role(person=mentor, role=Role.COORDINATOR, changed_by=admin_user)
    mentor.refresh_from_db()
    assert (mentor.role == Role.COORDINATOR) is allowed


def test_the_same_boundary_for_deactivation(admin_user, program):
    from tests.mentorship.factories import make_mentor

    free, busy = make_mentor(program), make_mentor(program)
    give_mentees(busy, 1)
    services.person_deactivate(person=free, deactivated_by=admin_user)
    with pytest.raises(ValidationError):
        services.person_deactivate(person=busy, deactivated_by=admin_user)


@pytest.mark.parametrize("to_mentee", [True, False])
def test_no_role_changes_to_or_from_mentee(admin_client, mentee, coordinator, to_mentee):
    person, role = (coordinator, "mentee") if to_mentee else (mentee, "mentor")
    before = person.role
    response = admin_client.post(
        reverse("accounts:person_change_role", args=[person.pk]), {"role": role}
    )
    assert response.status_code == 302
    assert any("Mentees are records, not staff" in m for m in messages_of(response))
    person.refresh_from_db()
    assert person.role == before


def test_a_coordinator_made_mentor_gets_a_mentor_profile(admin_user, coordinator):
    services.person_change_role(person=coordinator, role=Role.MENTOR, changed_by=admin_user)
    assert MentorProfile.objects.filter(user=coordinator).exists()


def test_an_admin_made_coordinator_joins_a_program(admin_user, program):
    other_admin = UserFactory(admin=True)
    with pytest.raises(ValidationError, match="Choose the program"):
        services.person_change_role(
            person=other_admin, role=Role.COORDINATOR, changed_by=admin_user
        )
    services.person_change_role(
        person=other_admin, role=Role.COORDINATOR, changed_by=admin_user, program=program
    )
    other_admin.refresh_from_db()
    assert other_admin.program == program


def test_a_coordinator_made_admin_leaves_the_program(admin_user, coordinator):
    services.person_change_role(person=coordinator, role=Role.ADMIN, changed_by=admin_user)
    coordinator.refresh_from_db()
    assert coordinator.role == Role.ADMIN and coordinator.program is None


def test_nobody_changes_their_own_role(admin_user):
    with pytest.raises(ValidationError):
        services.person_change_role(person=admin_user, role=Role.COORDINATOR, changed_by=admin_user)


def test_coordinators_cannot_change_roles(coordinator_client, mentor):
    response = coordinator_client.post(
        reverse("accounts:person_change_role", args=[mentor.pk]), {"role": "coordinator"}
    )
    assert response.status_code == 403
    assert User.objects.get(pk=mentor.pk).role == Role.MENTOR


# --- Moving to another program ----------------------------------------------------


def test_a_coordinator_moves_to_another_program(admin_client, coordinator, other_program):
    response = admin_client.post(
        reverse("accounts:person_move", args=[coordinator.pk]), {"program": other_program.pk}
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.program == other_program


@pytest.mark.parametrize(("count", "allowed"), [(0, True), (1, False)])
def test_a_mentor_moves_only_once_mentees_are_handed_over(
    admin_user, mentor, other_program, count, allowed
):
    give_mentees(mentor, count)
    if allowed:
        services.person_move(person=mentor, program=other_program, moved_by=admin_user)
    else:
        with pytest.raises(ValidationError, match="before moving them"):
            services.person_move(person=mentor, program=other_program, moved_by=admin_user)
    mentor.refresh_from_db()
    assert (mentor.program == other_program) is allowed


@pytest.fixture
def mentee_with_mentor(mentee, mentor):
    record = MenteeProfileFactory(program=mentee.program, user=mentee)
    return record, assign(record, mentor)


def test_a_mentees_assignment_ends_with_the_handoff_and_the_record_moves(
    admin_user, mentee, other_program, mentee_with_mentor
):
    record, assignment = mentee_with_mentor
    services.person_move(
        person=mentee, program=other_program, moved_by=admin_user, handoff_summary="Likes mornings"
    )
    assignment.refresh_from_db()
    record.refresh_from_db()
    mentee.refresh_from_db()
    assert assignment.ended_at is not None and assignment.ended_by == admin_user
    assert assignment.end_note == f"Moved to {other_program}. Handoff: Likes mornings"
    # History stays with the person: the same record, its past assignment, in the new program.
    assert record.program == other_program == mentee.program
    assert list(record.assignments.all()) == [assignment]


def test_a_mentee_with_a_mentor_needs_a_handoff_summary(
    admin_client, mentee, other_program, mentee_with_mentor
):
    record, assignment = mentee_with_mentor
    response = admin_client.post(
        reverse("accounts:person_move", args=[mentee.pk]), {"program": other_program.pk}
    )
    assert any("handoff summary" in m for m in messages_of(response))
    assignment.refresh_from_db()
    record.refresh_from_db()
    assert assignment.ended_at is None and record.program == mentee.program


@pytest.mark.parametrize(("length", "allowed"), [(400, True), (401, False)])
def test_the_handoff_summary_is_at_most_400_characters(
    admin_user, mentee, other_program, mentee_with_mentor, length, allowed
):
    move = lambda: services.person_move(  # noqa: E731
        person=mentee, program=other_program, moved_by=admin_user, handoff_summary="x" * length
    )
    if allowed:
        move()
    else:
        with pytest.raises(ValidationError, match="400 characters"):
            move()


def test_a_mentee_without_a_mentor_moves_without_a_summary(admin_user, mentee, other_program):
    record = MenteeProfileFactory(program=mentee.program, user=mentee)
    services.person_move(person=mentee, program=other_program, moved_by=admin_user)
    record.refresh_from_db()
    assert record.program == other_program


def test_admins_and_the_same_program_are_refused(admin_user, coordinator, program):
    with pytest.raises(ValidationError, match="already in"):
        services.person_move(person=coordinator, program=program, moved_by=admin_user)
    with pytest.raises(ValidationError, match="no program"):
        services.person_move(person=UserFactory(admin=True), program=program, moved_by=admin_user)


def test_coordinators_cannot_move_people(coordinator, mentor, other_program):
    with pytest.raises(PermissionDenied):
        services.person_move(person=mentor, program=other_program, moved_by=coordinator)


def test_moving_a_mentee_is_in_the_audit_trail(
    admin_user, mentee, other_program, mentee_with_mentor
):
    from audit.models import AccessEvent

    record, _assignment = mentee_with_mentor
    services.person_move(
        person=mentee, program=other_program, moved_by=admin_user, handoff_summary="Likes mornings"
    )
    event = AccessEvent.objects.get(action="change", object_type="mentee")
    assert (event.user_id, event.mentee_ids) == (admin_user.pk, [record.pk])
