"""One "today" per rule: the program's, whatever the hour in UTC and whatever
authenticated the request (a page in the program's zone, a token in none).

The programs here are in Los Angeles: at 02:30 UTC it is still yesterday
there, at 23:30 UTC it is already afternoon of the same day."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from certification.models import Certification
from checkins.models import CheckIn
from core.dates import local_today, program_date, program_today, user_today
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.certification.factories import certify
from tests.checkins.factories import make_checkin

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")

# (UTC instant, the program's date then)
HOURS = [
    (datetime(2026, 11, 27, 2, 30, tzinfo=UTC), date(2026, 11, 26)),
    (datetime(2026, 11, 27, 23, 30, tzinfo=UTC), date(2026, 11, 27)),
    (datetime(2026, 11, 27, 7, 59, tzinfo=UTC), date(2026, 11, 26)),
    (datetime(2026, 11, 27, 8, 0, tzinfo=UTC), date(2026, 11, 27)),
]
HOUR_IDS = [
    "02:30 UTC",
    "23:30 UTC",
    "07:59 UTC (last minute of yesterday)",
    "08:00 UTC (midnight)",
]


@pytest.mark.parametrize(("instant", "program_day"), HOURS, ids=HOUR_IDS)
def test_the_programs_today_is_its_own_calendar_day(program, admin_user, instant, program_day):
    assert program_today(program, instant) == program_day
    assert program_date(instant, program) == program_day
    assert local_today("America/Los_Angeles", instant) == program_day
    # Admins belong to no program: their own day is UTC's.
    assert user_today(admin_user, instant) == instant.date()


@pytest.mark.parametrize(("instant", "program_day"), HOURS[:2], ids=HOUR_IDS[:2])
def test_days_left_are_counted_in_the_holders_program_for_every_reader(
    admin_user, coordinator, mentor, instant, program_day
):
    """The report's days left are the same on the page, in the CSV and through
    a token, for an admin (UTC session) and a coordinator (program session)."""
    Certification.objects.filter(holder=mentor).delete()
    with time_machine.travel(instant, tick=False):
        certify(mentor, expires_on=program_day + timedelta(days=20))
        admin_client, coordinator_client = Client(), Client()
        admin_client.force_login(admin_user)
        coordinator_client.force_login(coordinator)
        response = admin_client.get(reverse("certification:report_csv"))
        text = b"".join(response.streaming_content).decode("utf-8")
        (row,) = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        assert row["days_left"] == "20" and row["status"] == "Expiring"
        page = coordinator_client.get(reverse("certification:report"))
        assert [r.days_left for r in page.context["rows"]] == [20]
        api = api_client_for(admin_user).get(reverse("api:report-certifications")).json()
        assert [r["days_left"] for r in api["results"]] == [20]
        mine = api_client_for(mentor).get(reverse("api:certification-list")).json()
        assert [r["days_left"] for r in mine["results"]] == [20]


def test_substance_use_days_are_counted_in_the_programs_days_on_the_page_and_the_api(
    mentor, client, mentee_profile
):
    """The last contact was at 09:00 in Los Angeles; it is now 20:00 there the
    same day (04:00 UTC the next day). No day has passed in the program, so a
    day of use is refused by the page and by a token alike."""
    morning = datetime(2026, 11, 26, 9, 0, tzinfo=PACIFIC)
    evening = datetime(2026, 11, 26, 20, 0, tzinfo=PACIFIC)
    mentee_profile.intake_date = date(2026, 11, 1)
    mentee_profile.save()
    make_checkin(mentee_profile, mentor, occurred_at=morning)
    with time_machine.travel(evening + timedelta(minutes=30), tick=False):
        client.force_login(mentor)
        page = client.post(
            reverse("checkins:log", args=[mentee_profile.pk]),
            {
                "kind": "contact",
                "occurred_at": evening.strftime("%Y-%m-%dT%H:%M"),
                "delivery_method": "in_person",
                "duration_minutes": "30",
                "support_types": ["emotional"],
                "substance_use_days": "1",
                "craving_level": "2",
                "mood": "4",
                "notes": "",
                "idempotency_key": "6d9b0c52-3d35-4f1e-9f55-0d6f7f1e0a01",
            },
        )
        assert page.status_code == 200
        assert "days of use cannot be more" in page.content.decode()
        api = api_client_for(mentor).post(
            reverse("api:checkin-list"),
            {
                "mentee": mentee_profile.pk,
                "occurred_at": evening.isoformat(),
                "delivery_method": "in_person",
                "duration_minutes": 30,
                "mood": 4,
                "craving_level": 2,
                "substance_use_days": 1,
                "support_types": ["emotional"],
            },
            format="json",
        )
        assert api.status_code == 400, api.content
        assert "substance_use_days" in api_errors(api)
    assert CheckIn.objects.count() == 1


def test_a_checkins_day_in_the_schedule_is_the_programs(mentor, mentee_profile):
    """A contact at 20:00 in Los Angeles (04:00 UTC the next day) sets the next
    check-in a cadence after the Los Angeles day, through a token too."""
    evening = datetime(2026, 11, 26, 20, 0, tzinfo=PACIFIC)
    # The assignment began before (a contact before it would not set its schedule).
    mentee_profile.assignments.update(started_on=date(2026, 11, 1))
    with time_machine.travel(evening + timedelta(minutes=30), tick=False):
        response = api_client_for(mentor).post(
            reverse("api:checkin-list"),
            {
                "mentee": mentee_profile.pk,
                "occurred_at": evening.isoformat(),
                "delivery_method": "in_person",
                "duration_minutes": 30,
                "mood": 4,
                "craving_level": 2,
                "substance_use_days": 0,
                "support_types": ["emotional"],
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    schedule = mentee_profile.assignments.get().schedule
    assert schedule.next_due_on == date(2026, 11, 26) + timedelta(days=schedule.cadence_days)


def test_the_suite_clock_is_the_one_ci_asked_for(_suite_clock):
    """CI sets PEERPATH_TEST_CLOCK to run the suite at 02:30 and 23:30 UTC;
    this fails if that setting stops reaching the tests."""
    import os

    from django.utils import timezone

    wanted = os.environ.get("PEERPATH_TEST_CLOCK")
    if wanted:
        hour, minute = (int(part) for part in wanted.split(":"))
        started = timezone.now().replace(hour=hour, minute=minute, second=0, microsecond=0)
        assert timedelta(0) <= timezone.now() - started < timedelta(hours=1)
    else:
        assert _suite_clock is None


@pytest.mark.parametrize(("days", "flagged"), [(13, False), (14, True), (15, True)])
def test_contact_gaps_count_the_programs_days(mentor, coordinator, mentee_profile, days, flagged):
    """The last contact was at 20:00 in Los Angeles (04:00 UTC the next day).
    Fourteen Los Angeles days later, at 09:00 there, the 14-day gap is flagged;
    a day before it is not. Counting UTC days would flag it a day late."""
    from checkins.reminders import flag_contact_gaps
    from notifications.models import Notification

    last = datetime(2026, 11, 1, 20, 0, tzinfo=PACIFIC)
    make_checkin(mentee_profile, mentor, occurred_at=last)
    sweep_at = datetime(2026, 11, 1 + days, 9, 0, tzinfo=PACIFIC)
    flag_contact_gaps(now=sweep_at)
    assert Notification.objects.filter(kind="contact_gap_14").exists() is flagged
