"""Failed sign-ins: limited per account and, more loosely, per address.

Every test here runs on the caches production builds when Redis is configured,
with Redis unreachable: signing in must not depend on Redis, and the limits
must hold all the same. The counters live in the database, so each test's
transaction throws them away.

The clock stands still and moves on by STEP after each failure: allauth also
throttles every sign-in to 30 a minute per address, which the failures here
stay under, as a patient attacker would. (Moving on also keeps timestamps
apart: allauth undoes a successful attempt's count by its timestamp.)
"""

import runpy
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

import config.settings.base as base_settings
from tests.accounts.factories import TEST_PASSWORD, UserFactory, enrol_totp, totp_code

pytestmark = pytest.mark.django_db

PER_ACCOUNT = 5
PER_ADDRESS = 50
WINDOW = timedelta(minutes=15)
ONE_SECOND = timedelta(seconds=1)
STEP = timedelta(seconds=3)
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
REFUSED = b"Too many failed login attempts"


@pytest.fixture(autouse=True)
def production_caches_with_redis_down(monkeypatch, settings):
    monkeypatch.setenv("REDIS_URL", UNREACHABLE_REDIS)
    settings.CACHES = runpy.run_path(base_settings.__file__)["CACHES"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def sign_in(client, email, password=TEST_PASSWORD, forwarded_for=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def fail(clock, client, email, times, forwarded_for=None):
    for _ in range(times):
        response = sign_in(client, email, "wrong password", forwarded_for)
        assert response.status_code == 200
        clock.shift(STEP)


def fail_from_one_address(clock, client, times, forwarded_for=None):
    """Failures spread over unknown emails, never enough to lock one account."""
    for n in range(times):
        email = f"nobody{n // (PER_ACCOUNT - 1)}@example.org"
        fail(clock, client, email, 1, forwarded_for)


def assert_signed_in(response):
    assert response.status_code == 302, response.content[:300]
    assert response.url == reverse("dashboard")


def assert_refused(response):
    assert response.status_code == 200
    assert REFUSED in response.content


# --- Redis down ---------------------------------------------------------------


def test_signing_in_works_while_redis_is_down(client, program):
    mentor = UserFactory(program=program)
    assert_signed_in(sign_in(client, mentor.email))
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_second_factor_works_while_redis_is_down(client, program):
    coordinator = UserFactory(coordinator=True, program=program)
    secret = enrol_totp(coordinator)
    assert sign_in(client, coordinator.email).url == reverse("mfa_authenticate")
    code = totp_code(secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_limit_holds_while_redis_is_down(clock, client, program):
    mentor = UserFactory(program=program)
    fail(clock, client, mentor.email, PER_ACCOUNT)
    assert_refused(sign_in(client, mentor.email))


# --- Per account --------------------------------------------------------------


@pytest.mark.parametrize(
    "failures, may_sign_in",
    [(PER_ACCOUNT - 1, True), (PER_ACCOUNT, False), (PER_ACCOUNT + 1, False)],
)
def test_an_account_locks_after_five_failures(clock, client, program, failures, may_sign_in):
    mentor = UserFactory(program=program)
    fail(clock, client, mentor.email, failures)
    response = sign_in(client, mentor.email)  # the right password
    if may_sign_in:
        assert_signed_in(response)
    else:
        assert_refused(response)


def test_a_locked_account_does_not_lock_others_at_the_same_address(clock, client, program):
    locked, other = UserFactory(program=program), UserFactory(program=program)
    fail(clock, client, locked.email, PER_ACCOUNT)
    assert_signed_in(sign_in(Client(), other.email))
    assert_refused(sign_in(Client(), locked.email))


def test_the_account_lock_lasts_fifteen_minutes_from_the_first_failure(clock, client, program):
    mentor = UserFactory(program=program)
    fail(clock, client, mentor.email, PER_ACCOUNT)
    first_failure = START
    clock.move_to(first_failure + WINDOW - ONE_SECOND)
    assert_refused(sign_in(client, mentor.email))
    clock.move_to(first_failure + WINDOW)
    assert_signed_in(sign_in(client, mentor.email))


# --- Per address --------------------------------------------------------------


def test_an_address_is_refused_at_fifty_failures_not_forty_nine(clock, client, program):
    first, second, third = (UserFactory(program=program) for _ in range(3))
    fail_from_one_address(clock, client, PER_ADDRESS - 1)
    assert_signed_in(sign_in(Client(), first.email))
    fail(clock, client, "one.more@example.org", 1)
    assert_refused(sign_in(Client(), second.email))
    assert_refused(sign_in(Client(), third.email))


def test_the_address_limit_lasts_fifteen_minutes_from_the_first_failure(clock, client, program):
    mentor = UserFactory(program=program)
    fail_from_one_address(clock, client, PER_ADDRESS)
    first_failure = START
    clock.move_to(first_failure + WINDOW - ONE_SECOND)
    assert_refused(sign_in(client, mentor.email))
    clock.move_to(first_failure + WINDOW)
    assert_signed_in(sign_in(client, mentor.email))


# --- Which address: X-Forwarded-For only through trusted proxies ---------------


def test_a_spoofed_forwarded_for_does_not_escape_the_address_limit(
    clock, client, program, settings
):
    settings.PEERPATH_TRUSTED_PROXY_COUNT = 0
    mentor = UserFactory(program=program)
    for n in range(PER_ADDRESS):
        fail(clock, client, f"nobody{n}@example.org", 1, forwarded_for=f"198.51.100.{n}")
    assert_refused(sign_in(client, mentor.email, forwarded_for="198.51.100.200"))


def test_behind_a_trusted_proxy_each_client_has_its_own_address_limit(
    clock, client, program, settings
):
    settings.PEERPATH_TRUSTED_PROXY_COUNT = 1
    mentor = UserFactory(program=program)
    fail_from_one_address(clock, client, PER_ADDRESS, forwarded_for="203.0.113.7")
    assert_refused(sign_in(client, mentor.email, forwarded_for="203.0.113.7"))
    assert_signed_in(sign_in(Client(), mentor.email, forwarded_for="198.51.100.9"))


def test_a_request_without_an_address_is_refused_plainly(client, program):
    mentor = UserFactory(program=program)
    response = client.post(
        reverse("account_login"),
        {"login": mentor.email, "password": TEST_PASSWORD},
        REMOTE_ADDR="",
    )
    assert response.status_code == 403
