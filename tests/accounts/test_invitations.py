"""Invitations: who may invite whom, and what every kind of link does."""

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Role, User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long new passphrase 42"


def invite(by, *, email="new.mentor@example.org", role=Role.MENTOR, program=None):
    return services.invitation_create(
        invited_by=by,
        email=email,
        role=role,
        program=program if program is not None else by.program,
        site_url="http://testserver",
    )


def accept(client, token, *, full_name="New Mentor", password=NEW_PASSWORD):
    return client.post(
        reverse("accounts:invitation_accept", kwargs={"token": token}),
        {"full_name": full_name, "password1": password, "password2": password},
    )


def link_in(message) -> str:
    return re.search(r"http://testserver(/invitations/accept/[^/\s]+/)", message.body).group(1)


def test_invitation_email_carries_a_working_link_and_only_the_hash_is_stored(coordinator):
    issued = invite(coordinator)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.mentor@example.org"]
    assert link_in(mail.outbox[0]) == issued.path
    invitation = Invitation.objects.get()
    assert issued.token not in invitation.token_hash
    assert invitation.expires_at == pytest.approx(
        timezone.now() + timedelta(days=7), abs=timedelta(seconds=5)
    )


def test_accepting_creates_a_verified_login_in_the_program_and_signs_in(client, coordinator):
    issued = invite(coordinator)
    response = accept(client, issued.token)
    assert response.status_code == 302 and response.url == reverse("dashboard")
    user = User.objects.get(email="new.mentor@example.org")
    assert (user.role, user.program, user.full_name) == (
        Role.MENTOR,
        coordinator.program,
        "New Mentor",
    )
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("dashboard")).context["user"] == user
    invitation = Invitation.objects.get()
    assert invitation.accepted_user == user and invitation.state == "accepted"


def test_accepting_a_coordinator_invitation_leads_to_two_factor_setup(client, admin_user, program):
    issued = invite(admin_user, email="c2@example.org", role=Role.COORDINATOR, program=program)
    response = accept(client, issued.token)
    assert response.url == reverse("mfa_activate_totp")


def test_expired_link_gets_a_clear_page(client, coordinator):
    issued = invite(coordinator)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.get(reverse("accounts:invitation_accept", args=[issued.token]))
        assert response.status_code == 410
        assert b"has expired" in response.content
        assert accept(client, issued.token).status_code == 410
    assert not User.objects.filter(email="new.mentor@example.org").exists()


def test_used_link_cannot_be_used_again(client, coordinator):
    issued = invite(coordinator)
    accept(client, issued.token)
    client.logout()
    response = accept(client, issued.token, full_name="Somebody Else")
    assert response.status_code == 410
    assert b"already been used" in response.content
    assert User.objects.filter(email="new.mentor@example.org").count() == 1


def test_tampered_link_gets_a_clear_page_not_an_error(client, coordinator):
    issued = invite(coordinator)
    tampered = issued.token[:-2] + ("AA" if not issued.token.endswith("AA") else "BB")
    response = client.get(reverse("accounts:invitation_accept", args=[tampered]))
    assert response.status_code == 404
    assert b"could not find this invitation" in response.content


def test_revoked_link_says_it_was_withdrawn(client, coordinator):
    issued = invite(coordinator)
    services.invitation_revoke(invitation=issued.invitation, revoked_by=coordinator)
    response = client.get(reverse("accounts:invitation_accept", args=[issued.token]))
    assert response.status_code == 410 and b"withdrawn" in response.content


def test_inviting_the_same_address_again_revokes_the_older_link(client, coordinator):
    first = invite(coordinator)
    second = invite(coordinator)
    assert accept(client, first.token).status_code == 410
    assert accept(client, second.token).status_code == 302


def test_weak_or_mismatched_passwords_are_refused_beside_the_field(client, coordinator):
    issued = invite(coordinator)
    url = reverse("accounts:invitation_accept", args=[issued.token])
    response = client.post(url, {"full_name": "N", "password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    response = client.post(
        url, {"full_name": "N", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    assert response.context["form"].errors["password2"] == ["The two passwords differ."]
    assert not User.objects.filter(email="new.mentor@example.org").exists()


def test_signed_in_person_is_told_to_sign_out_before_accepting(mentor_client, coordinator):
    issued = invite(coordinator)
    response = mentor_client.get(reverse("accounts:invitation_accept", args=[issued.token]))
    assert response.status_code == 409
    assert Invitation.objects.get().state == "pending"


def test_coordinator_cannot_invite_into_another_program(coordinator, other_program):
    with pytest.raises(PermissionDenied):
        invite(coordinator, program=other_program)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_coordinator_cannot_invite_admins_or_coordinators(coordinator, role):
    with pytest.raises(PermissionDenied):
        invite(coordinator, role=role)


@pytest.mark.parametrize("role", [Role.MENTOR, Role.MENTEE])
def test_mentors_and_mentees_cannot_invite(program, role):
    user = UserFactory(role=role, program=program)
    with pytest.raises(PermissionDenied):
        invite(user)


def test_admin_can_invite_an_admin_who_belongs_to_no_program(client, admin_user):
    issued = invite(admin_user, email="admin2@example.org", role=Role.ADMIN, program=None)
    accept(client, issued.token)
    user = User.objects.get(email="admin2@example.org")
    assert user.role == Role.ADMIN and user.program is None


def test_an_address_that_already_has_a_login_cannot_be_invited(coordinator, mentor):
    with pytest.raises(ValidationError):
        invite(coordinator, email=mentor.email.upper())


def test_coordinator_invites_from_the_invitations_page(coordinator_client, coordinator):
    response = coordinator_client.post(
        reverse("accounts:invitation_list"),
        {"email": "Jo@Example.org", "full_name": "Jo", "role": Role.MENTEE},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.program) == ("jo@example.org", coordinator.program)


def test_invitation_form_shows_the_existing_login_error_beside_the_email(
    coordinator_client, mentor
):
    response = coordinator_client.post(
        reverse("accounts:invitation_list"), {"email": mentor.email, "role": Role.MENTEE}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_coordinator_form_offers_only_mentor_and_mentee(coordinator_client):
    form = coordinator_client.get(reverse("accounts:invitation_list")).context["form"]
    assert [value for value, _ in form.fields["role"].choices] == [Role.MENTOR, Role.MENTEE]
    assert "program" not in form.fields


def test_coordinator_revokes_a_pending_invitation(coordinator_client, coordinator):
    issued = invite(coordinator)
    response = coordinator_client.post(
        reverse("accounts:invitation_revoke", args=[issued.invitation.pk])
    )
    assert response.status_code == 302
    assert Invitation.objects.get().state == "revoked"


def test_revoking_needs_a_post(coordinator_client, coordinator):
    issued = invite(coordinator)
    url = reverse("accounts:invitation_revoke", args=[issued.invitation.pk])
    assert coordinator_client.get(url).status_code == 405


def test_the_first_sign_in_shows_one_banner_not_two(client, coordinator):
    from django.contrib.messages import get_messages

    issued = invite(coordinator)
    response = accept(client, issued.token)
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["Welcome to Peerpath. Your login is ready."]
