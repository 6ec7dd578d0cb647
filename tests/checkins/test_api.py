"""API: check-ins with an Idempotency-Key header, the same rules, the caller's scope."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from checkins.models import CheckIn
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.audit import AUDIT_EVENT_QUERIES
from tests.checkins.factories import make_checkin

pytestmark = pytest.mark.django_db


def payload(mentee, **overrides):
    return {
        "mentee": mentee.pk,
        "occurred_at": (timezone.now() - timedelta(minutes=30)).isoformat(),
        "delivery_method": "in_person",
        "duration_minutes": 30,
        "mood": 4,
        "craving_level": 2,
        "substance_use_days": 0,
        "support_types": ["emotional"],
        "notes": "PHI-MARKER",
    } | overrides


def test_the_same_idempotency_key_header_creates_one_checkin(mentor, mentee_profile):
    client = api_client_for(mentor)
    key = str(uuid.uuid4())
    first = client.post(
        reverse("api:checkin-list"),
        payload(mentee_profile),
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    second = client.post(
        reverse("api:checkin-list"),
        payload(mentee_profile),
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert CheckIn.objects.count() == 1


def test_a_malformed_idempotency_key_is_refused(mentor, mentee_profile):
    response = api_client_for(mentor).post(
        reverse("api:checkin-list"),
        payload(mentee_profile),
        format="json",
        HTTP_IDEMPOTENCY_KEY="twice",
    )
    assert response.status_code == 400


def test_the_api_keeps_the_consent_rule(mentor, mentee_profile):
    response = api_client_for(mentor).post(
        reverse("api:checkin-list"),
        payload(mentee_profile, delivery_method="telehealth"),
        format="json",
    )
    assert response.status_code == 400 and "delivery_method" in api_errors(response)


def test_a_mentee_out_of_reach_does_not_exist(other_mentor, mentee_profile):
    response = api_client_for(other_mentor).post(
        reverse("api:checkin-list"), payload(mentee_profile), format="json"
    )
    assert response.status_code == 400 and "mentee" in api_errors(response)
    assert not CheckIn.objects.exists()


def test_author_corrects_through_patch_and_others_cannot(mentor, coordinator, mentee_profile):
    checkin = make_checkin(mentee_profile, mentor, days_ago=1)
    url = reverse("api:checkin-detail", args=[checkin.pk])
    assert api_client_for(coordinator).patch(url, {"mood": 1}, format="json").status_code == 403
    response = api_client_for(mentor).patch(url, {"mood": 5}, format="json")
    assert response.status_code == 200 and response.json()["mood"] == 5


def test_mentee_reads_when_and_how_but_not_the_notes(mentee, mentee_profile, mentor):
    make_checkin(mentee_profile, mentor, notes="PHI-MARKER staff only")
    (row,) = api_client_for(mentee).get(reverse("api:checkin-list")).json()["results"]
    assert "notes" not in row and "mood" not in row and row["kind"] == "contact"


def test_list_filters_by_mentee_and_kind(coordinator, mentee_profile, mentor):
    make_checkin(mentee_profile, mentor)
    make_checkin(
        mentee_profile,
        mentor,
        kind="attempt",
        mood=None,
        craving_level=None,
        substance_use_days=None,
        duration_minutes=None,
    )
    client = api_client_for(coordinator)
    assert client.get(reverse("api:checkin-list"), {"kind": "attempt"}).json()["count"] == 1
    assert (
        client.get(reverse("api:checkin-list"), {"mentee": mentee_profile.pk}).json()["count"] == 2
    )


@pytest.mark.parametrize("size", [10, 100])
def test_checkin_list_api_query_count_is_constant(
    size, coordinator, mentor, mentee_profile, django_assert_num_queries
):
    for i in range(size):
        make_checkin(mentee_profile, mentor, days_ago=i)
    client = api_client_for(coordinator)
    # 1 token, 2 the rate limit's count (core.api.throttling), 3 count and page of check-ins (one statement; the
    # list's columns: no goals, no notes; the audit event reads the mentees off
    # the rows), then the event
    with django_assert_num_queries(3 + AUDIT_EVENT_QUERIES):
        assert client.get(reverse("api:checkin-list")).json()["count"] == size


@pytest.mark.parametrize("size", [5, 50])
def test_logging_a_checkin_through_the_api_query_count_is_constant(
    size, mentor, mentee_profile, django_assert_num_queries
):
    for i in range(size):
        make_checkin(mentee_profile, mentor, days_ago=i + 1)
    client = api_client_for(mentor)
    # 1 the request id for the change trail, 2 token with user, 3 the rate
    # limit's count, 4 the mentee with program; the service: 5 savepoint, 6 the
    # mentee locked with the active assignment, its schedule, whether a draft
    # is open and whether the mentor's certification is in good standing
    # (billing), 7 the same check-in already made, 8 the previous check-in
    # (days of use), 9 the insert, 10 the mentee's last contact and the
    # schedule's next due date (one statement), 11 release; 12 the goals the
    # answer lists; then the audit event (the mentee read off the answer),
    # which also clears the request id.
    with django_assert_num_queries(12 + AUDIT_EVENT_QUERIES):
        response = client.post(
            reverse("api:checkin-list"),
            payload(
                mentee_profile, occurred_at=(timezone.now() - timedelta(minutes=1)).isoformat()
            ),
            format="json",
        )
    assert response.status_code == 201
    assert CheckIn.objects.count() == size + 1
