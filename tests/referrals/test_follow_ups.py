"""Referral follow-ups: the current mentor is reminded once, on the program's
follow-up day, whatever the reruns; closed referrals and earlier days are not."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from notifications.models import Notification
from referrals.models import Referral
from referrals.reminders import remind_referral_follow_ups

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 5, tzinfo=UTC)  # Nov 26 in Sacramento
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def make_referral(mentee, by, **fields):
    defaults = {
        "category": "food",
        "organisation": "Food Bank",
        "reason": "Asked",
        "mode": "information_only",
        "proposed_on": TODAY - timedelta(days=10),
        "follow_up_on": TODAY,
    }
    return Referral.objects.create(mentee=mentee, referred_by=by, **defaults | fields)


def reminded(user):
    return list(
        Notification.objects.filter(recipient=user, kind="referral_follow_up").values_list(
            "subject_id", "due_key"
        )
    )


def test_the_mentor_is_reminded_once_on_the_follow_up_day(mentee_profile, mentor):
    referral = make_referral(mentee_profile, mentor)
    assert remind_referral_follow_ups() == 1
    assert remind_referral_follow_ups() == 0
    assert reminded(mentor) == [(referral.pk, str(TODAY))]


def test_the_day_before_nobody_is_reminded(mentee_profile, mentor):
    make_referral(mentee_profile, mentor, follow_up_on=TODAY + timedelta(days=1))
    assert remind_referral_follow_ups() == 0


def test_a_missed_day_is_caught_up_once(mentee_profile, mentor):
    make_referral(mentee_profile, mentor, follow_up_on=TODAY - timedelta(days=1))
    assert remind_referral_follow_ups() == 1
    assert remind_referral_follow_ups() == 0


def test_closed_referrals_are_not_followed_up(mentee_profile, mentor):
    make_referral(mentee_profile, mentor, status="connected", outcome_on=TODAY)
    make_referral(mentee_profile, mentor, status="declined", answered_on=TODAY)
    assert remind_referral_follow_ups() == 0


def test_the_follow_up_day_is_the_programs(mentee_profile, mentor):
    # In UTC it is already Nov 27; a Nov 27 follow-up is not yet due.
    make_referral(mentee_profile, mentor, follow_up_on=date(2026, 11, 27))
    assert remind_referral_follow_ups() == 0


def test_a_reassigned_mentee_reminds_the_new_mentor(
    mentee_profile, mentor, other_mentor, coordinator
):
    from mentorship.services import assignment_create

    make_referral(mentee_profile, mentor)
    assignment_create(
        mentee=mentee_profile, mentor=other_mentor, assigned_by=coordinator, end_reason="other"
    )
    remind_referral_follow_ups()
    assert reminded(mentor) == []
    assert len(reminded(other_mentor)) == 1


def test_the_sweep_costs_the_same_queries_for_1_or_30_referrals(
    mentee_profile, mentor, django_assert_num_queries
):
    make_referral(mentee_profile, mentor)
    # The zones, and one INSERT … SELECT per zone (the content type is cached).
    with django_assert_num_queries(2):
        remind_referral_follow_ups()
    Notification.objects.all().delete()
    for n in range(29):
        make_referral(mentee_profile, mentor, organisation=f"Org {n}")
    with django_assert_num_queries(2):
        remind_referral_follow_ups()


def test_the_reminder_opens_the_mentees_referrals(mentee_profile, mentor, client_for):
    from django.urls import reverse

    referral = make_referral(mentee_profile, mentor)
    remind_referral_follow_ups()
    notification = Notification.objects.get(kind="referral_follow_up")
    assert notification.subject_id == referral.pk
    assert notification.target_url() == reverse("referrals:mentee", args=[mentee_profile.pk])
    page = client_for(mentor).get(reverse("notifications:list")).content.decode()
    assert "follow-up date has come" in page
