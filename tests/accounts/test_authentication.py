"""Signing in: invitation only, email login, two factors for staff, idle timeout."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import TEST_PASSWORD, UserFactory, enrol_totp, has_totp, totp_code
from tests.api_errors import api_error

pytestmark = pytest.mark.django_db


current_code = totp_code


def sign_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def reauthenticate(client, password=TEST_PASSWORD):
    """allauth asks for the password again before two-factor set-up."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def test_pages_need_a_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_there_is_no_open_sign_up(client):
    response = client.get(reverse("account_signup"))
    assert b"Sign Up Closed" in response.content or b"closed" in response.content.lower()
    client.post(
        reverse("account_signup"),
        {"email": "walk.in@example.org", "password1": "x" * 14, "password2": "x" * 14},
    )
    from accounts.models import User

    assert not User.objects.filter(email="walk.in@example.org").exists()


def test_mentor_signs_in_with_email_and_password(client, mentor):
    response = sign_in(client, mentor.email.upper())
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_coordinator_needs_the_second_factor_after_the_password(client, program):
    coordinator = UserFactory(coordinator=True, program=program)
    secret = enrol_totp(coordinator)
    response = sign_in(client, coordinator.email)
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("dashboard")).status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_staff_without_two_factor_reach_only_its_setup(client, program, role):
    user = UserFactory(role=role, program=None if role == "admin" else program)
    sign_in(client, user.email)
    for url in [reverse("dashboard"), reverse("accounts:invitation_list")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    assert client.get(reverse("api:user-me")).status_code == 403
    reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_staff_reach_pages_once_they_set_up_two_factor(client, program):
    coordinator = UserFactory(coordinator=True, program=program)
    sign_in(client, coordinator.email)
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert has_totp(coordinator)
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_mentors_and_mentees_do_not_need_two_factor(client, program, role):
    client.force_login(UserFactory(role=role, program=program))
    assert client.get(reverse("dashboard")).status_code == 200


def test_idle_session_ends_with_a_page_that_says_so(mentor_client):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        mentor_client.get(reverse("dashboard"))
        traveller.shift(timedelta(minutes=14))
        assert mentor_client.get(reverse("dashboard")).status_code == 200
        traveller.shift(timedelta(minutes=14))  # active 14 min ago: still signed in
        assert mentor_client.get(reverse("dashboard")).status_code == 200
        traveller.shift(timedelta(minutes=15, seconds=61))
        response = mentor_client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:session_expired") + "?next=/"
    page = mentor_client.get(response.url)
    assert b"signed out" in page.content and b"15 minutes" in page.content
    assert mentor_client.get(reverse("dashboard")).url.startswith(reverse("account_login"))


def test_idle_api_session_answers_401(mentor_client):
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = mentor_client.get(reverse("api:user-me"))
    assert response.status_code == 401
    assert api_error(response) == "Your session ended after inactivity."


def test_session_expired_page_ignores_foreign_next(client):
    response = client.get(reverse("accounts:session_expired") + "?next=https://evil.example/")
    assert b"evil.example" not in response.content


def test_failed_logins_are_rate_limited(client, mentor):
    for _ in range(5):
        sign_in(client, mentor.email, password="wrong password")
    response = sign_in(client, mentor.email)  # even the right password now waits
    assert b"Too many failed login attempts" in response.content
    assert client.get(reverse("dashboard")).status_code == 302


def test_changing_the_password_signs_out(mentor_client, mentor):
    response = mentor_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "brand new pass 2026",
            "password2": "brand new pass 2026",
        },
    )
    assert response.status_code == 302
    assert mentor_client.get(reverse("dashboard")).status_code == 302


def test_password_reset_mail_is_sent_for_a_known_address(client, mentor):
    from django.core import mail

    client.post(reverse("account_reset_password"), {"email": mentor.email})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [mentor.email]


def test_the_bells_poll_does_not_keep_an_idle_session_alive(mentor_client):
    # Five minutes after the sign-in, so that the page view below is the last
    # activity to the second (the clock is kept to the minute): the session
    # then ends at the 16th poll exactly, whatever the sub-second timing.
    start = timezone.now() + timedelta(minutes=5)
    with time_machine.travel(start, tick=False) as traveller:
        mentor_client.get(reverse("dashboard"))
        for _ in range(16):  # an open tab polls every minute
            traveller.shift(timedelta(minutes=1))
            response = mentor_client.get(
                reverse("notifications:unread_count"),
                HTTP_HX_REQUEST="true",
                HTTP_X_PEERPATH_PASSIVE="1",
            )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:session_expired"))
    assert mentor_client.get(reverse("dashboard")).status_code == 302


def test_a_login_without_a_verified_address_must_verify_it_first(client, program):
    from allauth.account.models import EmailAddress
    from django.core import mail

    user = UserFactory(program=program)
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = sign_in(client, user.email)
    assert response.url == reverse("account_email_verification_sent")
    assert client.get(reverse("dashboard")).status_code == 302  # not signed in
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
