"""/healthz and /readyz: unauthenticated, ok or not ok per component and
nothing more, and each component's failure shows as its own "not ok"."""

import contextlib
import json

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.urls import reverse

COMPONENTS = {"database", "broker", "cache", "migrations", "private_media"}


def readyz(client):
    response = client.get("/readyz")
    body = json.loads(response.content)
    return response, body


@contextlib.contextmanager
def site_broker_at_a_closed_port():
    """The site's own Celery app pointed at a closed port, as when Redis is down."""
    from config.celery import app

    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    app._pool = None
    app.amqp._producer_pool = None
    try:
        with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:9/0"):
            yield
    finally:
        app.conf.broker_url = saved
        app._pool = None
        app.amqp._producer_pool = None


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any query would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_ok_when_everything_is(client, tmp_path, settings):
    settings.PEERPATH_PRIVATE_MEDIA_ROOT = tmp_path
    response, body = readyz(client)
    assert response.status_code == 200, body
    assert body == {"status": "ok", "components": dict.fromkeys(COMPONENTS, "ok")}
    # The probe's file is gone again.
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


@pytest.mark.django_db
def test_readyz_needs_no_host_name_and_no_https(client, settings, tmp_path):
    settings.PEERPATH_PRIVATE_MEDIA_ROOT = tmp_path
    settings.ALLOWED_HOSTS = ["peerpath.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/readyz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200


def assert_only(body, broken: str):
    assert body["status"] == "not ok"
    assert body["components"] == {name: "not ok" if name == broken else "ok" for name in COMPONENTS}


@pytest.mark.django_db
def test_the_broker_at_a_closed_port_is_not_ok_while_the_site_keeps_serving(
    client, tmp_path, settings
):
    settings.PEERPATH_PRIVATE_MEDIA_ROOT = tmp_path
    with site_broker_at_a_closed_port():
        response, body = readyz(client)
        page = client.get(reverse("account_login"))
    assert response.status_code == 503
    assert_only(body, "broker")
    assert page.status_code == 200


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_not_ok(client, tmp_path, settings, monkeypatch):
    settings.PEERPATH_PRIVATE_MEDIA_ROOT = tmp_path

    def refused(*args, **kwargs):
        raise OperationalError("connection refused: secret detail")

    from operations import health

    real_cursor = connection.cursor
    monkeypatch.setattr(health.connection, "cursor", refused)
    monkeypatch.setattr(health, "migrations", lambda: real_cursor() is not None)
    monkeypatch.setitem(health.CHECKS, "migrations", health.migrations)
    response, body = readyz(client)
    assert response.status_code == 503
    assert_only(body, "database")
    assert b"secret detail" not in response.content


@pytest.mark.django_db
def test_a_cache_that_does_not_answer_is_not_ok(client, tmp_path, settings):
    settings.PEERPATH_PRIVATE_MEDIA_ROOT = tmp_path
    closed = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    with override_settings(CACHES=closed):
        response, body = readyz(client)
    assert response.status_code == 503
    assert_only(body, "cache")


@pytest.mark.django_db
def test_an_unapplied_migration_is_not_ok(client, tmp_path, settings):
    settings.PEERPATH_PRIVATE_MEDIA_ROOT = tmp_path
    # Rolled back with the test: the database forgets one migration of ours.
    MigrationRecorder(connection).record_unapplied("operations", "0001_initial")
    response, body = readyz(client)
    assert response.status_code == 503
    assert_only(body, "migrations")


@pytest.mark.django_db
def test_private_media_that_cannot_be_written_is_not_ok(client, tmp_path, settings):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.PEERPATH_PRIVATE_MEDIA_ROOT = blocker / "private"
    response, body = readyz(client)
    assert response.status_code == 503
    assert_only(body, "private_media")


@pytest.mark.django_db
def test_only_get_and_head_are_answered(client):
    assert client.head("/healthz").status_code == 200
    # Anything else goes on to the site (where no such page exists).
    assert client.post("/healthz").status_code != 200
