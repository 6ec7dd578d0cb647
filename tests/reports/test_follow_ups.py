"""Follow-up windows: each edge on the day, the day before and the day
after, in the program's local date with a frozen clock; attempts counted;
the mentor told once when a window opens; the rate against the target."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentorship.models import Assignment, MenteeProfile
from notifications.models import Notification
from reports.follow_ups import Point, State, windows_of
from reports.models import FollowUp
from reports.reminders import remind_follow_up_windows
from reports.selectors import follow_up_rate
from reports.services import follow_up_record

pytestmark = pytest.mark.django_db

# 05:00 UTC on Nov 27 is still Nov 26 in Sacramento (the program's day).
NOW = datetime(2026, 11, 27, 5, tzinfo=UTC)
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def window(point, intake=date(2026, 1, 1), status="active", changed=date(2026, 1, 1)):
    return next(
        w for w in windows_of(intake=intake, status=status, status_changed_on=changed)
        if w.point == point
    )  # fmt: skip


@pytest.mark.parametrize(
    ("point", "opens", "closes"),
    [
        (Point.BASELINE, date(2026, 1, 1), date(2026, 1, 31)),
        (Point.SIX_MONTH, date(2026, 5, 31), date(2026, 7, 30)),  # day 180 = Jun 30
        (Point.ANNUAL, date(2026, 12, 2), date(2027, 1, 31)),  # day 365 = Jan 1
    ],
)
def test_each_window_from_intake(point, opens, closes):
    w = window(point)
    assert (w.opens, w.closes) == (opens, closes)
    before, after = opens - timedelta(days=1), closes + timedelta(days=1)
    assert w.state(before, None) in (State.DUE, State.UPCOMING)
    assert w.state(opens, None) == State.IN_WINDOW
    assert w.state(closes, None) == State.IN_WINDOW
    assert w.state(after, None) == State.MISSED
    assert w.state(after, closes) == State.DONE


def test_the_closeout_is_within_30_days_of_discharge():
    w = window(Point.CLOSEOUT, status="discharged", changed=date(2026, 3, 10))
    assert (w.opens, w.closes) == (date(2026, 3, 10), date(2026, 4, 9))
    assert w.state(date(2026, 3, 9), None) == State.DUE
    assert w.state(date(2026, 4, 9), None) == State.IN_WINDOW
    assert w.state(date(2026, 4, 10), None) == State.MISSED


def test_points_opening_after_discharge_are_not_expected():
    points = [
        w.point
        for w in windows_of(intake=date(2026, 1, 1), status="graduated", status_changed_on=date(2026, 5, 31))
    ]  # fmt: skip
    # Day 150 (May 31) opened on the discharge day: still expected; the annual not.
    assert points == [Point.BASELINE, Point.SIX_MONTH, Point.CLOSEOUT]


def test_due_means_opening_within_14_days():
    w = window(Point.SIX_MONTH)
    assert w.state(w.opens - timedelta(days=14), None) == State.DUE
    assert w.state(w.opens - timedelta(days=15), None) == State.UPCOMING


def set_intake(mentee, days_ago):
    MenteeProfile.objects.filter(pk=mentee.pk).update(intake_date=TODAY - timedelta(days=days_ago))
    mentee.refresh_from_db()


@pytest.mark.parametrize(
    ("days_ago", "refusal"),
    [
        (149, "opens on"),  # the day before the six-month window
        (150, None),  # its first day
        (210, None),  # its last day
        (211, "closed on"),  # the day after: missed
    ],
)
def test_an_attempt_is_taken_only_while_the_window_is_open(
    mentee_profile, mentor, days_ago, refusal
):
    set_intake(mentee_profile, days_ago)
    if refusal:
        with pytest.raises(ValidationError, match=refusal):
            follow_up_record(mentee=mentee_profile, point=Point.SIX_MONTH, reached=True,
                             by=mentor, today=TODAY)  # fmt: skip
        assert not FollowUp.objects.exists()
    else:
        follow_up_record(mentee=mentee_profile, point=Point.SIX_MONTH, reached=True,
                         by=mentor, today=TODAY)  # fmt: skip
        assert FollowUp.objects.get().completed_on == TODAY


def test_attempts_are_counted_and_a_completion_is_kept(mentee_profile, mentor):
    set_intake(mentee_profile, 3)
    for reached in (False, False, True, True):
        follow_up_record(mentee=mentee_profile, point=Point.BASELINE, reached=reached,
                         by=mentor, today=TODAY)  # fmt: skip
    follow_up = FollowUp.objects.get()
    # The fourth click after completion changes nothing.
    assert (follow_up.attempts, follow_up.completed_on, follow_up.completed_by) == (
        3,
        TODAY,
        mentor,
    )


def reminded(user):
    return list(
        Notification.objects.filter(recipient=user, kind="follow_up_window").values_list(
            "subject_id", "due_key"
        )
    )


@pytest.mark.parametrize(
    ("days_ago", "told"),
    [(149, False), (150, True), (210, True), (211, False)],
)
def test_the_mentor_is_told_once_while_the_window_is_open(mentee_profile, mentor, days_ago, told):
    set_intake(mentee_profile, days_ago)
    first = remind_follow_up_windows()
    assert remind_follow_up_windows() == 0
    intake = TODAY - timedelta(days=days_ago)
    assert reminded(mentor) == ([(mentee_profile.pk, f"six_month:{intake}")] if told else [])
    assert first == (1 if told else 0)


def test_the_window_opens_on_the_programs_day_not_utc(mentee_profile, mentor):
    # In UTC it is already Nov 27, when day 150 would be an intake of Jun 30.
    set_intake(mentee_profile, 150)
    with time_machine.travel(NOW - timedelta(hours=1), tick=False):
        assert remind_follow_up_windows() == 1
    MenteeProfile.objects.filter(pk=mentee_profile.pk).update(intake_date=date(2026, 6, 30))
    assert remind_follow_up_windows() == 0  # Nov 26 there: day 149


def test_a_completed_point_is_not_reminded_and_the_baseline_goes_to_the_mentor(
    mentee_profile, mentor
):
    set_intake(mentee_profile, 0)
    follow_up_record(
        mentee=mentee_profile, point=Point.BASELINE, reached=True, by=mentor, today=TODAY
    )
    assert remind_follow_up_windows() == 0


def test_the_closeout_goes_to_the_last_mentor(mentee_profile, mentor):
    MenteeProfile.objects.filter(pk=mentee_profile.pk).update(
        status="discharged", discharge_reason="moved", status_changed_on=TODAY - timedelta(days=2),
        intake_date=TODAY - timedelta(days=400),
    )  # fmt: skip
    Assignment.objects.filter(mentee=mentee_profile).update(
        started_at=NOW - timedelta(days=30), ended_at=NOW - timedelta(days=1),
        end_reason="mentee_request",
    )  # fmt: skip
    assert remind_follow_up_windows() == 1
    assert reminded(mentor) == [(mentee_profile.pk, f"closeout:{TODAY - timedelta(days=2)}")]


def test_the_rate_counts_closed_windows_and_completions(program, mentee_profile, mentor):
    # Intake 220 days ago: baseline and six-month windows closed, annual not open.
    set_intake(mentee_profile, 220)
    FollowUp.objects.create(mentee=mentee_profile, point="baseline", attempts=1, completed_on=TODAY)
    rate = follow_up_rate(mentees=MenteeProfile.objects.filter(program=program), today=TODAY)
    assert rate == {"due": 2, "done": 1, "rate": 0.5}


def test_the_page_lists_states_and_records_an_attempt(coordinator_client, mentee_profile):
    set_intake(mentee_profile, 160)
    page = coordinator_client.get(reverse("reports:follow_ups")).content.decode()
    assert "in window" in page and "missed" in page and "Jordan" in page
    url = reverse("reports:follow_up_attempt", args=[mentee_profile.pk, "six_month"])
    response = coordinator_client.post(url, {"reached": "no"})
    assert response.status_code == 302
    assert FollowUp.objects.get().attempts == 1
    response = coordinator_client.post(
        reverse("reports:follow_up_attempt", args=[mentee_profile.pk, "baseline"]),
        {"reached": "yes"}, follow=True,
    )  # fmt: skip
    assert "it was missed" in response.content.decode()
