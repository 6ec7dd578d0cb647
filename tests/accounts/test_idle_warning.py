"""The warning before the idle sign-out: "Stay signed in" starts the idle
limit again (accounts:session_keepalive), the page knows how long its session
has left, and the bell's poll still keeps nothing alive.

The browser side (the dialog, the button, the trip to the session-expired
page) is tests/browser/test_idle_warning_journey.py.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import ACTIVITY_RESOLUTION_SECONDS, IDLE_REMAINING_HEADER
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

KEEPALIVE = reverse("accounts:session_keepalive")
TIMEOUT = timedelta(seconds=settings.PEERPATH_IDLE_TIMEOUT_SECONDS)
SECOND = timedelta(seconds=1)
# Inside the activity resolution: a page at this moment does not move the idle
# clock (one UPDATE a minute at most), "Stay signed in" does.
SOON = timedelta(seconds=ACTIVITY_RESOLUTION_SECONDS // 2)


def signed_in(client) -> bool:
    response = client.get(reverse("dashboard"))
    assert response.status_code in (200, 302)
    return response.status_code == 200


def keepalive(client):
    return client.post(KEEPALIVE)


@pytest.mark.parametrize(
    ("after", "expected"),
    [(TIMEOUT - SECOND, True), (TIMEOUT, True), (TIMEOUT + SECOND, False)],
    ids=["a second before the limit", "at the limit", "a second past it"],
)
def test_stay_signed_in_starts_the_idle_limit_again(mentor, after, expected):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(timedelta(minutes=13))  # the warning shows now
        response = keepalive(client)
        assert response.status_code == 204
        assert response.content == b""
        traveller.shift(after)
        assert signed_in(client) is expected


@pytest.mark.parametrize(
    ("after", "expected"),
    [(TIMEOUT - SECOND, True), (TIMEOUT, True), (TIMEOUT + SECOND, False)],
    ids=["a second before the limit", "at the limit", "a second past it"],
)
def test_stay_signed_in_counts_from_the_press_not_the_last_recorded_minute(mentor, after, expected):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(SOON)
        assert keepalive(client).status_code == 204
        traveller.shift(after)
        assert signed_in(client) is expected


def test_a_page_inside_the_resolution_does_not_move_the_clock(mentor):
    """What the keepalive's own refresh is for: the same moment as a page view
    would have left the clock at sign-in."""
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(SOON)
        assert signed_in(client)
        traveller.shift(TIMEOUT - SOON + SECOND)
        assert not signed_in(client)


def test_anonymous_is_refused_and_nothing_is_refreshed(client):
    response = keepalive(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not client.session.keys()


def test_only_a_post_keeps_the_session(mentor_client):
    for verb in ("get", "put", "patch", "delete"):
        assert getattr(mentor_client, verb)(KEEPALIVE).status_code == 405


def test_the_keepalive_needs_the_csrf_token(mentor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentor)
    assert keepalive(client).status_code == 403
    page = client.get(reverse("dashboard"))
    token = page.context["csrf_token"]
    assert client.post(KEEPALIVE, {"csrfmiddlewaretoken": str(token)}).status_code == 204


def test_an_ended_session_is_not_kept(mentor):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(TIMEOUT + SECOND)
        response = keepalive(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:session_expired"))
    assert not signed_in(client)


def test_staff_setting_up_two_factor_can_stay_signed_in(client, program):
    """The second-factor set-up pages have the warning too."""
    coordinator = UserFactory(coordinator=True, program=program)
    client.force_login(coordinator)
    assert client.get(reverse("dashboard")).status_code == 302  # sent to set one up
    assert keepalive(client).status_code == 204


def test_the_bells_poll_after_a_keepalive_still_keeps_nothing_alive(mentor):
    client = Client()
    poll = reverse("notifications:unread_count")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(timedelta(minutes=13))
        assert keepalive(client).status_code == 204
        for _ in range(settings.PEERPATH_IDLE_TIMEOUT_SECONDS // 60):
            traveller.shift(timedelta(minutes=1))
            response = client.get(poll, HTTP_HX_REQUEST="true", HTTP_X_PEERPATH_PASSIVE="1")
            assert response.status_code == 200
        traveller.shift(SECOND)
        response = client.get(poll, HTTP_HX_REQUEST="true", HTTP_X_PEERPATH_PASSIVE="1")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:session_expired"))


# --- What the page knows ------------------------------------------------------


def test_a_signed_in_page_carries_the_seconds_left_and_the_warning(mentor):
    client = Client()
    timeout = settings.PEERPATH_IDLE_TIMEOUT_SECONDS
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(SOON)  # inside the resolution: the clock stays at sign-in
        page = client.get(reverse("dashboard"))
    left = timeout - SOON.seconds
    html = page.content.decode()
    assert f'data-idle-remaining="{left}"' in html
    assert f'data-idle-timeout="{timeout}"' in html
    assert f'data-idle-warning="{settings.PEERPATH_IDLE_WARNING_SECONDS}"' in html
    assert page[IDLE_REMAINING_HEADER] == str(left)
    assert 'role="alertdialog"' in html
    assert "You will be signed out in 2 minutes." in html
    assert "signs you out after 15 minutes without activity" in html
    assert ">Stay signed in</button>" in html
    assert f'action="{KEEPALIVE}"' in html


def test_the_passive_poll_hears_the_clock_run_down(mentor):
    client = Client()
    poll = reverse("notifications:unread_count")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(timedelta(minutes=5))
        response = client.get(poll, HTTP_HX_REQUEST="true", HTTP_X_PEERPATH_PASSIVE="1")
        assert response[IDLE_REMAINING_HEADER] == str(settings.PEERPATH_IDLE_TIMEOUT_SECONDS - 300)
        response = keepalive(client)
    assert response[IDLE_REMAINING_HEADER] == str(settings.PEERPATH_IDLE_TIMEOUT_SECONDS)


def test_an_anonymous_page_has_no_warning(client):
    page = client.get(reverse("account_login"))
    assert b"data-idle-remaining" not in page.content
    assert b"idle-warning" not in page.content
    assert IDLE_REMAINING_HEADER not in page


def test_the_warning_follows_the_settings(settings, mentor_client):
    settings.PEERPATH_IDLE_TIMEOUT_SECONDS = 20
    settings.PEERPATH_IDLE_WARNING_SECONDS = 15
    html = mentor_client.get(reverse("dashboard")).content.decode()
    assert 'data-idle-warning="15"' in html
    assert "signed out in less than a minute" in html
    assert "after 20 seconds without activity" in html


# --- When the time is up --------------------------------------------------------


def test_the_timers_trip_ends_the_session_and_keeps_the_page_to_come_back_to(mentor):
    """static/js/peerpath.js goes to the session-expired page a second past
    the limit, naming the page it was on."""
    client = Client()
    expired = reverse("accounts:session_expired")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(TIMEOUT + SECOND)
        response = client.get(expired, {"next": "/checkins/?page=2"})
        assert response.status_code == 302
        assert response.url == f"{expired}?next=/checkins/%3Fpage%3D2"
        page = client.get(response.url)
    assert b"You were signed out" in page.content
    assert b"next=/checkins/%3Fpage%3D2" in page.content
    assert not signed_in(client)


def test_the_session_expired_page_is_no_activity(mentor):
    """A tab that went there while another kept the session keeps nothing alive."""
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(mentor)
        traveller.shift(timedelta(minutes=10))
        client.get(reverse("accounts:session_expired"), {"next": "/"})
        traveller.shift(TIMEOUT - timedelta(minutes=10) + SECOND)
        assert not signed_in(client)
