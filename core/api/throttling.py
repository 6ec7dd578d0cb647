"""The API's rate limits as DRF throttles, each call counted by one statement.

DRF's own throttles keep a list of call times in the default cache: on the
database cache that is four statements a call (read, count the table, read
again, write). Here a call is one upsert on core.models.RateCount that
returns the count: a fixed window that starts at a key's first call and
ends `duration` seconds later, as DRF's list would for calls that come
faster than the limit (a key refused now is refused until its window's
first call is `duration` old). Shared by every web process, as before."""

from django.db import connection
from rest_framework import throttling

from core.models import RateCount


def count_call(key: str, now: float, duration: float) -> tuple[int, float]:
    """Count a call of `key` at `now`: (calls in its window, the window's start)."""
    table = connection.ops.quote_name(RateCount._meta.db_table)
    expired = now - duration
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", window_start, calls) VALUES (%s, %s, 1) '  # noqa: S608
            'ON CONFLICT ("key") DO UPDATE SET '
            f"calls = CASE WHEN {table}.window_start <= %s THEN 1 ELSE {table}.calls + 1 END, "
            f"window_start = CASE WHEN {table}.window_start <= %s "
            f"THEN excluded.window_start ELSE {table}.window_start END "
            "RETURNING calls, window_start",
            [key, now, expired, expired],
        )
        calls, started = cursor.fetchone()
    return calls, started


class CountedWindow(throttling.SimpleRateThrottle):
    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        calls, self.window_start = count_call(self.key, self.now, self.duration)
        return calls <= self.num_requests

    def wait(self) -> float:
        return max(self.window_start + self.duration - self.now, 0.0)


class UserRateThrottle(throttling.UserRateThrottle, CountedWindow):
    """DRF's UserRateThrottle (its key, its rate), counted by CountedWindow."""


class ScopedRateThrottle(throttling.ScopedRateThrottle, CountedWindow):
    """DRF's ScopedRateThrottle (its key, its rate), counted by CountedWindow."""
