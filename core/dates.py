"""Whose "today" a rule uses: always the program's, never the request's.

A page activates the user's zone for display, but a token request or a worker
has none, so every rule that needs a day takes the program explicitly and asks
here. Admins belong to no program: their own "today" (a report's file name)
is UTC, and the rows they see are dated in each row's program.
"""

import calendar
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import get_language

UTC_NAME = "UTC"


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_name_of(program) -> str:
    return program.time_zone if program is not None else UTC_NAME


def local_today(time_zone: str, now: datetime | None = None) -> date:
    """Today's date in a zone given by name (the sweeps group programs by zone)."""
    return (now or timezone.now()).astimezone(_zone(time_zone)).date()


def program_today(program, now: datetime | None = None) -> date:
    """Today where the program is (UTC for no program)."""
    return local_today(zone_name_of(program), now)


def program_date(moment: datetime, program) -> date:
    """The program's calendar day on which an instant fell."""
    return moment.astimezone(_zone(zone_name_of(program))).date()


def user_today(user, now: datetime | None = None) -> date:
    """Today for a signed-in person: their program's day, UTC for admins."""
    return program_today(user.program if user.program_id else None, now)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier if negative), or the month's last
    day when it is shorter: Jan 31 + 1 month is Feb 28 (or 29)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def show_times_in(user, record) -> None:
    """A page about one program's record (anything with a `program`) shows its
    times on that program's clock, whoever reads it: an admin (who has no
    program) or a coordinator covering another program reads "23:30" where the
    mentor wrote it, not 07:30 the next day. Readers of their own program's
    records already have its zone (no query then). The time zone middleware
    resets it after the page."""
    if record is not None and user.program_id != record.program_id:
        timezone.activate(_zone(record.program.time_zone))


@lru_cache(maxsize=64)
def _month_abbreviation(language: str | None, month: int) -> str:
    return str(MONTHS_3[month]).title()


def month_day(day: date) -> str:
    """`day` as the date filter's "M j" ("Nov 3") in the active language,
    for lists that label many rows: the filter costs far more per call."""
    return f"{_month_abbreviation(get_language(), day.month)} {day.day}"


def month_day_year(day: date) -> str:
    """`day` as the date filter's "M j, Y" ("Nov 3, 2026"), as month_day."""
    return f"{month_day(day)}, {day.year}"
