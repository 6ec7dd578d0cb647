"""Which real services this run has, and what to do when one is missing.

Locally a missing PostgreSQL, Redis or Chromium skips the tests that need it,
with a one-line reason. CI sets PEERPATH_REQUIRE_SERVICES (see .ci/run) and
then a missing service fails those tests instead.
"""

import os
import shutil
from functools import cache

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM_PATH = "/usr/bin/chromium"


def required_services() -> set[str]:
    return {s.strip() for s in os.environ.get("PEERPATH_REQUIRE_SERVICES", "").split(",") if s}


def require(service: str, available: bool, reason: str) -> None:
    if available:
        return
    if service in required_services():
        pytest.fail(f"{service} is required in this run but {reason}", pytrace=False)
    pytest.skip(reason)


def require_postgres() -> None:
    require(
        "postgres",
        connection.vendor == "postgresql",
        "needs PostgreSQL: set DATABASE_URL=postgres://…",
    )


@cache
def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def require_redis() -> str:
    url = settings.REDIS_URL
    require("redis", bool(url), "needs Redis: set REDIS_URL=redis://…")
    require("redis", _redis_answers(url), f"Redis at {url} does not answer")
    return url


def require_chromium() -> str:
    path = CHROMIUM_PATH if os.path.exists(CHROMIUM_PATH) else shutil.which("chromium")
    require("chromium", bool(path), "needs Debian's chromium (apt-get install chromium)")
    return path


def require_gettext() -> None:
    """GNU gettext, which `make messages` runs (the committed .mo files need none)."""
    found = all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msgfmt"))
    require("gettext", found, "needs GNU gettext (apt-get install gettext)")
