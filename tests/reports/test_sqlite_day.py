"""`make run` serves from SQLite, which has no time zones: the end of a
program's day (a scheduled check-in "on or before that day") is worked out
by a function registered on its connections, on the program's clock as on
PostgreSQL, not in UTC. CI runs on PostgreSQL, so this runs the SQLite
expression itself on an in-memory SQLite connection."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.sql import Query
from django.db.utils import ConnectionHandler

from checkins.models import CheckIn
from reports.services import DayEndsAt, sqlite_day_ends
from tests.services import require_postgres

ZONE = "America/Los_Angeles"
# pytest-django lets a test open connections only with database access.
pytestmark = pytest.mark.django_db


@pytest.fixture
def sqlite():
    # Its own handler: "default" here is this in-memory database only.
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    )
    wrapper = handler["default"]
    yield wrapper
    wrapper.close()


def day_ends_on(wrapper, day: date) -> str:
    compiler = Query(CheckIn).get_compiler(connection=wrapper)
    sql, params = compiler.compile(DayEndsAt(Value(day), ZONE))
    with wrapper.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("day", "ends"),
    [
        # Standard time (UTC-8): Jan 17 ends at 08:00 UTC on Jan 18.
        (date(2026, 1, 17), "2026-01-18 08:00:00"),
        # The day the clocks go forward (Mar 8): the 9th begins at 07:00 UTC.
        (date(2026, 3, 8), "2026-03-09 07:00:00"),
        (date(2026, 3, 7), "2026-03-08 08:00:00"),
        # And back (Nov 1): the 2nd begins at 08:00 UTC.
        (date(2026, 11, 1), "2026-11-02 08:00:00"),
    ],
)
def test_on_sqlite_the_day_ends_at_midnight_where_the_program_is(sqlite, day, ends):
    assert day_ends_on(sqlite, day) == ends


def test_on_sqlite_a_check_in_late_that_evening_is_still_on_the_day(sqlite):
    # 23:30 on Jan 17 in Los Angeles is 07:30 UTC on the 18th, as SQLite keeps
    # it: before the day's end, so on time; in UTC the day would have ended.
    ends = day_ends_on(sqlite, date(2026, 1, 17))
    with sqlite.cursor() as cursor:
        cursor.execute(
            "SELECT %s < %s, %s < %s", ["2026-01-18 07:30:00", ends, "2026-01-18 08:00:00", ends]
        )
        assert cursor.fetchone() == (1, 0)
    assert sqlite_day_ends(None, ZONE) is None


def test_postgresql_agrees():
    # Skips only where PostgreSQL is not required (a plain SQLite `make test`);
    # CI requires it, so there a missing PostgreSQL fails instead.
    require_postgres()
    compiler = Query(CheckIn).get_compiler(connection=connection)
    for day, ends in [
        (date(2026, 3, 8), "2026-03-09 07:00:00"),
        (date(2026, 1, 17), "2026-01-18 08:00:00"),
    ]:
        sql, params = compiler.compile(DayEndsAt(Value(day), ZONE))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT to_char(({sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')", params
            )
            assert cursor.fetchone()[0] == ends
