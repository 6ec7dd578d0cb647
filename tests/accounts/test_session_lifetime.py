"""Sessions last 12 hours at most, whatever the activity; signing out,
deactivation and a new password end every session and token of the user."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.models import UserSession
from tests.accounts.factories import TEST_PASSWORD
from tests.api_errors import api_errors

pytestmark = pytest.mark.django_db

TWELVE_HOURS = timedelta(hours=12)


@pytest.fixture
def never_idle(settings):
    """Only the absolute limit is under test here."""
    settings.PEERPATH_IDLE_TIMEOUT_SECONDS = 24 * 60 * 60


@pytest.mark.parametrize(
    ("age", "signed_in"),
    [
        (TWELVE_HOURS - timedelta(seconds=1), True),
        (TWELVE_HOURS, True),
        (TWELVE_HOURS + timedelta(seconds=1), False),
    ],
)
def test_a_session_ends_12_hours_after_sign_in(never_idle, mentor, age, signed_in):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(timedelta(hours=6))
        assert client.get(reverse("dashboard")).status_code == 200  # activity does not extend it
        traveller.shift(age - timedelta(hours=6))
        response = client.get(reverse("dashboard"))
    if signed_in:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.url == reverse("accounts:session_expired") + "?next=/&reason=lifetime"
        page = client.get(response.url)
        assert b"12 hours" in page.content
        assert client.get(reverse("dashboard")).status_code == 302


def test_the_api_answers_401_past_12_hours(never_idle, mentor):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(timedelta(hours=6))
        assert client.get(reverse("api:user-me")).status_code == 200
        traveller.shift(timedelta(hours=6, seconds=1))
        response = client.get(reverse("api:user-me"))
    assert response.status_code == 401
    assert "12 hours" in api_errors(response)["detail"][0]


def test_the_limit_follows_the_setting(never_idle, settings, mentor):
    settings.PEERPATH_ABSOLUTE_SESSION_SECONDS = 60
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(timedelta(seconds=61))
        assert client.get(reverse("dashboard")).status_code == 302


def test_an_expired_session_leaves_tokens_and_other_sessions_alone(mentor):
    laptop, phone = Client(), Client()
    laptop.force_login(mentor)
    phone.force_login(mentor)
    token = Token.objects.create(user=mentor)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert laptop.get(reverse("dashboard")).status_code == 302  # idle: this one ends
    assert Token.objects.filter(pk=token.pk).exists()
    assert Session.objects.count() == 1


# --- Ending everything ---------------------------------------------------------


@pytest.fixture
def everywhere(coordinator):
    """The coordinator signed in on two devices, with a personal and an operator token."""
    laptop, phone = Client(), Client()
    laptop.force_login(coordinator)
    phone.force_login(coordinator)
    services.api_token_create(user=coordinator, name="script")
    Token.objects.create(user=coordinator)
    assert Session.objects.count() == 2
    return laptop, phone


def assert_all_ended(coordinator, *clients):
    keys = [client.cookies["sessionid"].value for client in clients]
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=coordinator).exists()
    assert not AuthToken.objects.filter(user=coordinator).exists()
    assert not Token.objects.filter(user=coordinator).exists()
    for client in clients:
        assert client.get(reverse("dashboard")).status_code == 302


def test_signing_out_ends_every_session_and_token(coordinator, everywhere):
    laptop, phone = everywhere
    assert laptop.post(reverse("account_logout")).status_code == 302
    assert_all_ended(coordinator, laptop, phone)


def test_deactivation_ends_every_session_and_token(coordinator, everywhere):
    coordinator.is_active = False
    coordinator.save()
    assert_all_ended(coordinator, *everywhere)


def test_a_new_password_ends_every_session_and_token(coordinator, everywhere):
    coordinator.set_password("a brand new password 2026")
    coordinator.save()
    assert_all_ended(coordinator, *everywhere)


def test_changing_the_password_on_the_site_ends_everything(coordinator, everywhere):
    laptop, phone = everywhere
    response = laptop.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "brand new pass 2026",
            "password2": "brand new pass 2026",
        },
    )
    assert response.status_code == 302
    assert_all_ended(coordinator, laptop, phone)


def test_other_saves_of_the_user_end_nothing(coordinator, everywhere):
    coordinator.full_name = "Dana W."
    coordinator.save()
    coordinator.is_active = True
    coordinator.save()
    assert Session.objects.count() == 2
    assert AuthToken.objects.filter(user=coordinator).exists()
    assert Token.objects.filter(user=coordinator).exists()


def test_other_users_keep_their_sessions_and_tokens(coordinator, mentor, everywhere):
    mentor_client = Client()
    mentor_client.force_login(mentor)
    Token.objects.create(user=mentor)
    coordinator.is_active = False
    coordinator.save()
    assert mentor_client.get(reverse("dashboard")).status_code == 200
    assert Token.objects.filter(user=mentor).exists()


def test_a_session_flushed_at_sign_in_is_recorded_on_its_next_request(mentor, coordinator):
    client = Client()
    client.force_login(mentor)
    client.force_login(coordinator)  # another user in the same browser: a new, unsaved session
    assert client.get(reverse("dashboard")).status_code == 200
    assert UserSession.objects.filter(user=coordinator).exists()
    services.end_every_login(user=coordinator)
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_password_hash_upgraded_at_sign_in_ends_nothing(settings, client, mentor):
    Token.objects.create(user=mentor)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    old_hash = mentor.password
    response = client.post(
        reverse("account_login"), {"login": mentor.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.password != old_hash  # upgraded from MD5
    assert Token.objects.filter(user=mentor).exists()
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_password_reset_by_email_ends_everything(coordinator, everywhere):
    import re

    from django.core import mail

    client = Client()
    client.post(reverse("account_reset_password"), {"email": coordinator.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    response = client.get(link.group(1))
    new = "a brand new password 2026"
    response = client.post(response.url, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert_all_ended(coordinator, *everywhere)


def test_the_hourly_clean_up_forgets_ended_sessions_and_expired_tokens(coordinator):
    from accounts.models import UserSession
    from accounts.tasks import clear_expired_sessions

    laptop = Client()
    laptop.force_login(coordinator)
    services.api_token_create(user=coordinator, name="expired")
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=60)):
        services.api_token_create(user=coordinator, name="expires later")
    with time_machine.travel(start + timedelta(days=90, seconds=1)):
        clear_expired_sessions()
    assert list(AuthToken.objects.values_list("label__name", flat=True)) == ["expires later"]
    assert not Session.objects.exists()
    assert not UserSession.objects.exists()
