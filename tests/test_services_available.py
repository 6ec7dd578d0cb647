"""In CI (PEERPATH_REQUIRE_SERVICES) these fail when a service is missing; on a
machine without the service they skip with a one-line reason."""

import pytest
from django.db import connection

from tests.services import require_chromium, require_postgres, require_redis


@pytest.mark.django_db
def test_database_is_postgresql():
    require_postgres()
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_redis_answers():
    import redis

    url = require_redis()
    assert redis.Redis.from_url(url).ping()


def test_chromium_is_installed():
    path = require_chromium()
    assert path
