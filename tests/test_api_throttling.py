"""API calls are limited per user, exports more strictly."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from tests.accounts.test_api import api_client_for
from tests.api_errors import api_error

pytestmark = pytest.mark.django_db


def set_rates(monkeypatch, **rates):
    # DRF reads the rates once, into the class: change them there.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


def test_the_settings_limit_every_user_and_exports(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["user"] == "1000/hour" and rates["exports"] == "60/hour"


def test_a_user_gets_the_limit_and_then_429(monkeypatch, mentor, other_mentor):
    set_rates(monkeypatch, user="3/hour", exports="2/hour")
    client = api_client_for(mentor)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(3):
            assert client.get(reverse("api:user-me")).status_code == 200
        response = client.get(reverse("api:user-me"))
        assert response.status_code == 429
        assert "throttled" in api_error(response)
        # Per user: another user is not held back.
        assert api_client_for(other_mentor).get(reverse("api:user-me")).status_code == 200
        # The window is an hour from the first call: refused until it has passed.
        traveller.shift(timedelta(hours=1) - timedelta(seconds=1))
        assert client.get(reverse("api:user-me")).status_code == 429
        traveller.shift(timedelta(seconds=1))
        assert client.get(reverse("api:user-me")).status_code == 200


def test_exports_have_their_own_stricter_limit(monkeypatch, admin_user):
    set_rates(monkeypatch, user="10/hour", exports="2/hour")
    client = api_client_for(admin_user)
    url = reverse("api:report-certifications")
    assert client.get(url).status_code == 200
    assert client.get(url, {"format": "csv"}).status_code == 200
    assert client.get(url).status_code == 429
    assert client.get(url, {"format": "csv"}).status_code == 429
    # Other resources are held only by the per-user limit.
    assert client.get(reverse("api:user-me")).status_code == 200


def test_a_call_is_counted_by_one_statement_on_a_shared_row(
    monkeypatch, mentor, django_assert_num_queries
):
    """The counter is a row every web process reads and writes (not a
    process's memory), counted by one upsert a call."""
    from core.api.throttling import count_call
    from core.models import RateCount

    with django_assert_num_queries(1):
        assert count_call("k", 1000.0, 60) == (1, 1000.0)
    assert count_call("k", 1030.0, 60) == (2, 1000.0)
    # The window's first call is `duration` old: a new window starts.
    assert count_call("k", 1060.0, 60) == (1, 1060.0)
    set_rates(monkeypatch, user="5/hour", exports="2/hour")
    api_client_for(mentor).get(reverse("api:user-me"))
    assert RateCount.objects.get(key=f"throttle_user_{mentor.pk}").calls == 1
