"""A mentee's refused self check-in says why in her terms: which of her
check-ins the days of use count from."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import program_day
from tests.checkins.factories import make_checkin

pytestmark = pytest.mark.django_db


def send(mentee_client, days):
    return mentee_client.post(
        reverse("checkins:self"),
        {
            "mood": "3",
            "craving_level": "2",
            "substance_use_days": str(days),
            "idempotency_key": str(uuid.uuid4()),
        },
    )


def on(day: dt.date) -> str:
    return f"{day:%b} {day.day}"


def test_since_her_check_in_with_her_mentor(mentee_client, mentee_profile, mentor):
    mentor.full_name = "Lena Ortiz"
    mentor.save()
    make_checkin(mentee_profile, mentor, occurred_at=timezone.now() - dt.timedelta(days=1))
    yesterday = program_day() - dt.timedelta(days=1)
    page = send(mentee_client, 2).content.decode()
    assert (
        f"It has been 1 day since your check-in with Lena on {on(yesterday)}, "
        "so days of use can be at most 1."
    ) in page
    assert send(mentee_client, 1).status_code == 302  # the value itself is allowed


def test_since_her_own_last_self_check_in(mentee_client, mentee_profile, mentee):
    make_checkin(
        mentee_profile,
        mentee,
        kind="self",
        delivery_method="",
        duration_minutes=None,
        occurred_at=timezone.now() - dt.timedelta(days=3),
    )
    three_days_ago = program_day() - dt.timedelta(days=3)
    page = send(mentee_client, 4).content.decode()
    assert f"since your last self check-in on {on(three_days_ago)}" in page


def test_since_she_started(mentee_client, mentee_profile):
    mentee_profile.intake_date = program_day() - dt.timedelta(days=2)
    mentee_profile.save()
    page = send(mentee_client, 3).content.decode()
    assert f"It has been 2 days since you started on {on(mentee_profile.intake_date)}" in page


def test_staff_keep_the_plain_wording(mentor_client, mentee_profile, mentor):
    from tests.checkins.test_pages import form_data

    make_checkin(mentee_profile, mentor, occurred_at=timezone.now() - dt.timedelta(days=1))
    page = mentor_client.post(
        reverse("checkins:log", args=[mentee_profile.pk]), form_data(substance_use_days="5")
    ).content.decode()
    assert "Only 1 day has passed since" in page and "days of use cannot be more" in page
