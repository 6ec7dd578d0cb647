"""What /healthz and /readyz check. Each check answers True or False and
nothing else: a probe learns "not ok", never why (the reason goes to the
log, by component name only)."""

import functools
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from kombu import Connection

logger = logging.getLogger(__name__)

# A probe must answer within its own timeout (docker-compose: 5 seconds).
BROKER_TIMEOUT_SECONDS = 2


def database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def broker() -> bool:
    """A connection of our own to the address in the settings, so a probe
    never waits on (or breaks) the pool the site's tasks use."""
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=BROKER_TIMEOUT_SECONDS,
        transport_options={
            **getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
            "max_retries": 0,
            "socket_timeout": BROKER_TIMEOUT_SECONDS,
            "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
        },
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
        # A channel opens only on a live connection: a real round trip.
        return conn.default_channel is not None


def cache() -> bool:
    key, value = f"peerpath:readyz:{uuid.uuid4().hex}", "ok"
    store = caches["default"]
    store.set(key, value, 30)
    try:
        return store.get(key) == value
    finally:
        store.delete(key)


@functools.cache
def _migrations_in_code() -> frozenset[tuple[str, str]]:
    """Every migration the code ships: read from the files once per process."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def migrations() -> bool:
    """No migration of the code is missing from the database (one query)."""
    applied = set(MigrationRecorder(connection).applied_migrations())
    return _migrations_in_code() <= applied


def private_media() -> bool:
    """A small file written to the private storage and removed again."""
    storage = storages["private"]
    name = storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        return storage.exists(name)
    finally:
        storage.delete(name)


CHECKS = {
    "database": database,
    "broker": broker,
    "cache": cache,
    "migrations": migrations,
    "private_media": private_media,
}


def readiness() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = bool(check())
        except Exception as exc:  # every failure is just "not ok" to the probe
            logger.warning("readyz: %s is not ok (%s)", name, type(exc).__name__)
            results[name] = False
    return results
