"""Scheduled check-ins on time: followed by a check-in strictly after them,
before the end of the scheduled day where the program is. A check-in at the
same instant is not after it; one at 23:59 of the day is on time, one at
00:00 the next day is not."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from checkins.models import CheckIn
from reports.services import outcome_report, period_of
from tests.reports.factories import checkin, make_mentees

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2026, 1, 1), date(2026, 1, 1))


@pytest.fixture(autouse=True)
def every_cell_shown(settings):
    settings.PEERPATH_SMALL_CELL_MINIMUM = 1


def on_time(program) -> str:
    report = outcome_report(programs=[program], period=PERIOD)
    rows = {row.label: row.cells for row in report.figure("engagement").rows}
    return rows["Scheduled check-ins that happened on time"][0].text


def at(program, day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(program.time_zone))


@pytest.mark.parametrize(
    ("next_at", "expected"),
    [
        ((date(2026, 1, 17), 23, 59), "100%"),  # the scheduled day's last minute there
        ((date(2026, 1, 18), 0, 0), "0%"),  # midnight after it there
    ],
)
def test_the_scheduled_day_ends_at_midnight_where_the_program_is(
    program, coordinator, mentor, next_at, expected
):
    (mentee,) = make_mentees(program, coordinator, 1)
    first = checkin(mentee, mentor, date(2026, 1, 10), next_checkin_on=date(2026, 1, 17))
    later = checkin(mentee, mentor, date(2026, 1, 10))
    later.occurred_at = at(program, *next_at)
    CheckIn.objects.bulk_create([first, later])
    assert on_time(program) == expected


def test_a_check_in_at_the_same_instant_is_not_after_it(program, coordinator, mentor):
    (mentee,) = make_mentees(program, coordinator, 1)
    scheduled = checkin(mentee, mentor, date(2026, 1, 10), next_checkin_on=date(2026, 1, 17))
    same_time = checkin(mentee, mentor, date(2026, 1, 10))
    CheckIn.objects.bulk_create([same_time, scheduled])
    # Two scheduled? No: only one has a next date. Neither is followed.
    assert on_time(program) == "0%"
    # A check-in a second later is after it.
    after = checkin(mentee, mentor, date(2026, 1, 10))
    after.occurred_at = at(program, date(2026, 1, 10), 12, 0).replace(second=1)
    after.save()
    assert on_time(program) == "100%"
