"""Writes to mentee data, pages and API: one CHANGE/CREATE event naming the
mentee (a delete too), a refused write recorded as denied; on PostgreSQL the
trigger's before/after rows carry the same request id."""

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AccessEvent, ChangeEvent
from tests.accounts.test_api import api_client_for
from tests.checkins.test_api import payload
from tests.recovery_plans.factories import make_plan

pytestmark = pytest.mark.django_db


def only_event():
    events = list(AccessEvent.objects.all())
    assert len(events) == 1, [(e.action, e.object_type) for e in events]
    return events[0]


def test_a_status_change_from_the_page_is_one_change_event(coordinator_client, mentee_profile):
    response = coordinator_client.post(
        reverse("mentorship:mentee_status", args=[mentee_profile.pk]), {"to_status": "on_hold"}
    )
    assert response.status_code == 302
    event = only_event()
    assert (event.action, event.outcome, event.object_type) == ("change", "allowed", "mentee")
    assert event.mentee_ids == [mentee_profile.pk]
    if connection.vendor == "postgresql":
        change = ChangeEvent.objects.get(table_name="mentorship_menteeprofile", operation="UPDATE")
        assert change.request_id == event.request_id


def test_a_refused_write_is_recorded_as_denied(outsider_client, mentee_profile):
    response = outsider_client.post(
        reverse("mentorship:mentee_status", args=[mentee_profile.pk]), {"to_status": "on_hold"}
    )
    assert response.status_code == 404
    event = only_event()
    assert (event.action, event.outcome, event.mentee_ids) == (
        "change",
        "denied",
        [mentee_profile.pk],
    )


def test_an_invalid_write_that_changed_nothing_is_not_recorded(coordinator_client, mentee_profile):
    response = coordinator_client.post(
        reverse("api:mentee-transition", args=[mentee_profile.pk]), {}
    )
    assert response.status_code in (400, 403)
    assert AccessEvent.objects.filter(outcome="allowed").count() == 0


def test_a_check_in_created_through_the_api_names_its_mentee(mentor, mentee_profile):
    response = api_client_for(mentor).post(
        reverse("api:checkin-list"), payload(mentee_profile), format="json"
    )
    assert response.status_code == 201
    event = only_event()
    assert (event.action, event.object_type, event.mentee_ids) == (
        "create",
        "checkin",
        [mentee_profile.pk],
    )


def test_a_deleted_goal_still_names_the_mentee(coordinator, mentee_profile, mentor):
    goal = make_plan(mentee_profile, mentor, active=False).goals.first()
    response = api_client_for(coordinator).delete(reverse("api:goal-detail", args=[goal.pk]))
    assert response.status_code == 204, response.content
    event = only_event()
    assert (event.action, event.object_id, event.mentee_ids) == (
        "delete",
        str(goal.pk),
        [mentee_profile.pk],
    )
