"""API: users/me, programs, invitations; token authentication; query budgets."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Invitation, Program, Role
from tests.accounts.factories import ProgramFactory
from tests.api_errors import api_errors

pytestmark = pytest.mark.django_db


def api_client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_users_me_describes_the_caller(mentor):
    data = api_client_for(mentor).get(reverse("api:user-me")).json()
    assert data == {
        "id": mentor.pk,
        "email": mentor.email,
        "full_name": mentor.full_name,
        "role": "mentor",
        "program": mentor.program_id,
    }


def test_drf_create_token_command_makes_a_working_token(mentor, capsys):
    call_command("drf_create_token", mentor.email)
    key = Token.objects.get(user=mentor).key
    assert key in capsys.readouterr().out
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api:user-me")).json()["email"] == mentor.email


def test_token_calls_from_staff_without_two_factor_are_refused_like_their_pages(program):
    # A token never gets past the second factor a session would need
    # (more in tests/accounts/test_api_tokens.py).
    from tests.accounts.factories import UserFactory

    coordinator = UserFactory(coordinator=True, program=program)
    assert api_client_for(coordinator).get(reverse("api:user-me")).status_code == 403


def test_admin_creates_and_edits_programs(admin_user):
    client = api_client_for(admin_user)
    response = client.post(
        reverse("api:program-list"),
        {"name": "Kern Peers", "state": "CA", "county": "kern", "time_zone": "America/Los_Angeles"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    program = Program.objects.get(name="Kern Peers")
    assert program.county == "Kern"
    response = client.patch(
        reverse("api:program-detail", args=[program.pk]), {"county": "Nowhere"}, format="json"
    )
    assert response.status_code == 400 and "county" in api_errors(response)


@pytest.mark.parametrize("fixture", ["coordinator", "mentor", "mentee"])
def test_only_admins_create_or_edit_programs(request, fixture, program):
    client = api_client_for(request.getfixturevalue(fixture))
    assert client.post(reverse("api:program-list"), {"name": "X"}).status_code == 403
    response = client.patch(reverse("api:program-detail", args=[program.pk]), {"name": "Y"})
    assert response.status_code == 403


def test_outsider_cannot_edit_another_program(outsider, program):
    response = api_client_for(outsider).patch(
        reverse("api:program-detail", args=[program.pk]), {"name": "Y"}
    )
    assert response.status_code == 404
    program.refresh_from_db()
    assert program.name != "Y"


def test_coordinator_invites_into_their_program_through_the_api(coordinator):
    response = api_client_for(coordinator).post(
        reverse("api:invitation-list"),
        {"email": "api.invitee@example.org", "role": "mentee"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "pending"
    assert Invitation.objects.get().program == coordinator.program
    assert len(mail.outbox) == 1
    assert "token" not in response.json() and "token_hash" not in response.json()


def test_coordinator_cannot_invite_a_coordinator_through_the_api(coordinator):
    response = api_client_for(coordinator).post(
        reverse("api:invitation-list"), {"email": "c@example.org", "role": "coordinator"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_program_outside_the_callers_scope_is_not_accepted(coordinator, other_program):
    response = api_client_for(coordinator).post(
        reverse("api:invitation-list"),
        {"email": "x@example.org", "role": "mentor", "program": other_program.pk},
    )
    assert response.status_code == 400 and "program" in api_errors(response)


def test_existing_login_is_a_validation_error(coordinator, mentor):
    response = api_client_for(coordinator).post(
        reverse("api:invitation-list"), {"email": mentor.email, "role": "mentor"}
    )
    assert response.status_code == 400 and "email" in api_errors(response)


def test_revoking_twice_is_refused(coordinator):
    issued = services.invitation_create(
        invited_by=coordinator,
        email="r@example.org",
        role=Role.MENTOR,
        program=coordinator.program,
        site_url="",
    )
    client = api_client_for(coordinator)
    url = reverse("api:invitation-revoke", args=[issued.invitation.pk])
    assert client.post(url).json()["state"] == "revoked"
    assert client.post(url).status_code == 400


def test_page_size_is_capped(admin_user):
    for _ in range(3):
        ProgramFactory()
    response = api_client_for(admin_user).get(reverse("api:program-list") + "?page_size=1000")
    assert response.status_code == 200
    from config.api_pagination import PageNumberPagination

    assert PageNumberPagination.max_page_size == 200
    assert response.json()["count"] == 3


# Query budgets with token authentication: 1 token with its user; the rest below.


@pytest.mark.parametrize("programs", [5, 50])
def test_program_list_api_query_count_is_constant(programs, admin_user, django_assert_num_queries):
    for _ in range(programs):
        ProgramFactory()
    client = api_client_for(admin_user)
    # 1 token, user and second factor, 2 the rate limit's count (core.api.throttling), 3 count and
    # page of programs (one statement: config.api_pagination)
    with django_assert_num_queries(3):
        assert client.get(reverse("api:program-list")).status_code == 200


@pytest.mark.parametrize("invitations", [5, 50])
def test_invitation_list_api_query_count_is_constant(
    invitations, coordinator, django_assert_num_queries
):
    for i in range(invitations):
        services.invitation_create(
            invited_by=coordinator,
            email=f"i{i}@example.org",
            role=Role.MENTOR,
            program=coordinator.program,
            site_url="",
        )
    client = api_client_for(coordinator)
    # 1 token, user and second factor, 2 the rate limit's count (core.api.throttling), 3 count and
    # page of invitations (one statement: config.api_pagination)
    with django_assert_num_queries(3):
        response = client.get(reverse("api:invitation-list"))
    assert response.json()["count"] == invitations
