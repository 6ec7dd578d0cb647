"""Whose "today" a rule uses: always the program's, never the request's.

A page activates the user's zone for display, but a token request or a worker
has none, so every rule that needs a day takes the program explicitly and asks
here. Admins belong to no program: their own "today" (a report's file name)
is UTC, and the rows they see are dated in each row's program.
"""

import calendar
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from functools import lru_cache, reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.db.models import Case, Field, Q, Value, When
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


def program_now(program, now: datetime | None = None) -> datetime:
    """This moment on the program's clock (a form's "when" starts here)."""
    return (now or timezone.now()).astimezone(_zone(zone_name_of(program)))


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


# Which rows are dated on which day: (the rows of one calendar, its today).
Calendars = list[tuple[Q, date]]


def dated_on(path: str, days: Iterable[tuple[str, date]]) -> Calendars:
    """(zone, today) pairs as conditions on rows: `path` leads from a row to
    its program's time zone."""
    return [(Q(**{path: zone}), today) for zone, today in days]


def on_each_calendar(days: Iterable[tuple[Q, date]], rule: Callable[[date], Q]) -> Q:
    """`rule(today)` for each row, with its own calendar's today: one
    condition for every time zone at once, so a sweep is one statement
    however many zones its programs are in. Calendars on the same day share
    one condition (the zones together, then the rule once): on the usual day,
    when every zone has the same date, the rule is a constant the database
    can serve from an index."""
    zones_on: dict[date, list[Q]] = {}
    for where, today in days:
        zones_on.setdefault(today, []).append(where)
    return reduce(
        or_,
        (reduce(or_, wheres) & rule(today) for today, wheres in zones_on.items()),
        Q(pk__in=[]),
    )


def per_calendar(
    path: str,
    days: Iterable[tuple[str, date]],
    value: Callable[[str, date], object],
    output_field: Field,
) -> Case | Value:
    """`value(zone, today)` for each row, from its own calendar, as one
    expression: a condition that compares a row with it needs no OR per zone,
    so the database can plan it as one join whatever the number of zones.

    `days` names every zone the rows are in (accounts.selectors.program_days
    does). When every zone gives the same value (the usual day, when every
    zone has the same date and the value is a date), it is that constant,
    which an index can serve; otherwise a CASE on the row's zone."""
    values = {zone: value(zone, today) for zone, today in days}
    if len(set(values.values())) == 1:
        return Value(next(iter(values.values())), output_field=output_field)
    return Case(
        *(When(Q(**{path: zone}), then=Value(v)) for zone, v in values.items()),
        output_field=output_field,
    )


def start_of_day(day: date, time_zone: str) -> datetime:
    """The instant a day begins in a zone: "on or after `day` there" is
    "at or after this instant" (an index on the timestamp serves it)."""
    return datetime.combine(day, time(0), tzinfo=_zone(time_zone))
