"""Void, never delete: a check-in entered by mistake is voided by its author
(within the correction window) or a coordinator, with a reason; it stays in
the history, struck through, and counts for no schedule, outcome or bill."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from checkins import selectors, services
from checkins.charts import trend_charts
from checkins.models import CheckIn
from mentorship.models import MenteeProfile
from tests.accounts.factories import program_day
from tests.accounts.test_api import api_client_for
from tests.checkins.test_pages import form_data
from tests.mentorship.factories import make_mentor

pytestmark = pytest.mark.django_db

REASON = "Logged for the wrong person"


def logged(mentor_client, mentee_profile, **overrides) -> CheckIn:
    response = mentor_client.post(
        reverse("checkins:log", args=[mentee_profile.pk]), form_data(**overrides)
    )
    assert response.status_code == 302, response.content[:500]
    return CheckIn.objects.latest("pk")


def test_the_author_voids_with_a_reason_and_it_stays_struck_through(
    mentor, mentor_client, mentee_profile
):
    checkin = logged(mentor_client, mentee_profile)
    response = mentor_client.post(reverse("checkins:void", args=[checkin.pk]), {"reason": REASON})
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert (checkin.voided_by, checkin.void_reason, checkin.billable) == (mentor, REASON, False)
    timeline = mentor_client.get(reverse("checkins:timeline", args=[mentee_profile.pk]))
    assert b"<del>" in timeline.content and REASON.encode() in timeline.content
    detail = mentor_client.get(reverse("checkins:detail", args=[checkin.pk])).content.decode()
    assert "Voided by" in detail and "Void this check-in" not in detail
    assert reverse("checkins:edit", args=[checkin.pk]) not in detail  # no correcting it now
    assert CheckIn.objects.filter(pk=checkin.pk).exists()  # never deleted


def test_a_reason_is_required(mentor, mentor_client, mentee_profile):
    checkin = logged(mentor_client, mentee_profile)
    for reason in ["", "   "]:
        with pytest.raises(ValidationError) as refused:
            services.checkin_void(checkin=checkin, by=mentor, reason=reason)
        assert refused.value.message_dict == {"reason": ["Say why this check-in is being voided."]}
    page = mentor_client.post(reverse("checkins:void", args=[checkin.pk]), {}, follow=True)
    assert b"Say why this check-in is being voided." in page.content
    checkin.refresh_from_db()
    assert checkin.voided_at is None


@pytest.mark.parametrize(
    ("after", "allowed"),
    [
        (timedelta(days=7) - timedelta(seconds=1), True),
        (timedelta(days=7), True),  # the last moment of the window
        (timedelta(days=7) + timedelta(seconds=1), False),
    ],
)
def test_the_author_voids_within_the_correction_window_only(
    mentor, mentor_client, mentee_profile, after, allowed
):
    checkin = logged(mentor_client, mentee_profile)
    with time_machine.travel(checkin.created_at + after, tick=False):
        if allowed:
            services.checkin_void(checkin=checkin, by=mentor, reason=REASON)
        else:
            with pytest.raises(ValidationError, match="ask a coordinator"):
                services.checkin_void(checkin=checkin, by=mentor, reason=REASON)
    checkin.refresh_from_db()
    assert (checkin.voided_at is not None) is allowed


def test_a_coordinator_voids_at_any_time(coordinator, mentor_client, mentee_profile):
    checkin = logged(mentor_client, mentee_profile)
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        services.checkin_void(checkin=checkin, by=coordinator, reason=REASON)
    checkin.refresh_from_db()
    assert checkin.voided_by == coordinator


def test_nobody_else_voids(program, mentor_client, mentee_profile, mentee):
    checkin = logged(mentor_client, mentee_profile)
    another_mentor = make_mentor(program, email="another@example.org")
    for user in [another_mentor, mentee]:
        with pytest.raises(PermissionDenied):
            services.checkin_void(checkin=checkin, by=user, reason=REASON)


def test_voiding_twice_answers_like_the_first(mentor, coordinator, mentor_client, mentee_profile):
    checkin = logged(mentor_client, mentee_profile)
    first = services.checkin_void(checkin=checkin, by=mentor, reason=REASON)
    again = services.checkin_void(checkin=checkin, by=coordinator, reason="Another reason")
    assert (again.voided_by, again.void_reason, again.voided_at) == (
        mentor,
        REASON,
        first.voided_at,
    )


def test_a_voided_contact_gives_the_schedule_back_to_the_one_before(
    mentor, mentor_client, mentee_profile
):
    earlier_day = program_day() - timedelta(days=3)
    logged(mentor_client, mentee_profile, next_checkin_on=str(earlier_day + timedelta(days=10)))
    due_after_first = selectors.schedule_for(mentee=mentee_profile).next_due_on
    mistake = logged(
        mentor_client, mentee_profile, next_checkin_on=str(program_day() + timedelta(days=30))
    )
    assert selectors.schedule_for(mentee=mentee_profile).next_due_on != due_after_first
    services.checkin_void(checkin=mistake, by=mentor, reason=REASON)
    assert selectors.schedule_for(mentee=mentee_profile).next_due_on == due_after_first


def test_with_no_contact_left_the_schedule_runs_from_the_assignment(
    mentor, mentor_client, mentee_profile
):
    assignment = mentee_profile.assignments.get()
    cadence = selectors.schedule_for(mentee=mentee_profile).cadence_days
    only = logged(mentor_client, mentee_profile)
    services.checkin_void(checkin=only, by=mentor, reason=REASON)
    schedule = selectors.schedule_for(mentee=mentee_profile)
    assert schedule.next_due_on == assignment.started_on + timedelta(days=cadence)


def test_a_voided_contact_is_not_the_last_contact_nor_in_the_trends(
    mentor, mentor_client, mentee_profile
):
    mistake = logged(mentor_client, mentee_profile, mood="1")
    services.checkin_void(checkin=mistake, by=mentor, reason=REASON)
    assert selectors.last_checkin(mentee=mentee_profile) is None
    last = MenteeProfile.objects.annotate(last=selectors.last_contact_subquery()).get().last
    assert last is None
    data = selectors.timeline(mentee=mentee_profile)
    assert mistake in data["checkins"]  # still in the history
    assert (
        trend_charts(data["checkins"], [], program=mentee_profile.program) == []
    )  # nothing left to draw


def test_a_voided_crisis_leaves_the_coordinators_watch(mentor, mentor_client, mentee_profile):
    crisis = logged(mentor_client, mentee_profile, crisis_flag="on", crisis_notes="PHI-MARKER")
    assert selectors.coordinator_watch(program=mentee_profile.program)["crisis_count"] == 1
    services.checkin_void(checkin=crisis, by=mentor, reason=REASON)
    assert selectors.coordinator_watch(program=mentee_profile.program)["crisis_count"] == 0


def test_the_api_voids_with_the_same_rules(mentor, mentor_client, mentee_profile, coordinator):
    checkin = logged(mentor_client, mentee_profile)
    url = reverse("api:checkin-void", args=[checkin.pk])
    refused = api_client_for(mentor).post(url, {}, format="json")
    assert refused.status_code == 400
    done = api_client_for(mentor).post(url, {"reason": REASON}, format="json")
    assert done.status_code == 200
    assert (done.json()["void_reason"], done.json()["billable"]) == (REASON, False)
    assert done.json()["voided_by"] == mentor.pk


def test_a_voided_checkin_cannot_be_corrected(mentor, mentor_client, mentee_profile):
    checkin = logged(mentor_client, mentee_profile)
    services.checkin_void(checkin=checkin, by=mentor, reason=REASON)
    response = api_client_for(mentor).patch(
        reverse("api:checkin-detail", args=[checkin.pk]), {"notes": "Changed"}, format="json"
    )
    assert response.status_code == 400
    assert "voided" in str(response.json())
