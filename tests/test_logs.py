"""Logs are JSON lines carrying the request id, user id and role; the id
follows a request into the task it queues, through a real broker and a real
worker. No line names anyone (and tests/conftest.py checks every test's log
lines for health data)."""

import io
import json
import logging
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import override_settings

from config.celery import app as peerpath_app
from core.request_log import JsonFormatter, RequestContextFilter
from tests.services import require_redis


@pytest.fixture
def lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    handler.setLevel(logging.WARNING)
    # On the loggers themselves: a worker started in a test takes over the
    # root logger's handlers (Celery's worker_hijack_root_logger).
    loggers = [logging.getLogger("peerpath.test_logs"), logging.getLogger("peerpath.test")]
    for logger in loggers:
        logger.addHandler(handler)

    def read() -> list[dict]:
        handler.flush()
        return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]

    yield read
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_line_is_one_json_object_with_the_context(lines):
    logging.getLogger("peerpath.test").warning("notification %s failed", 7)
    (line,) = [entry for entry in lines() if entry["logger"] == "peerpath.test"]
    assert line["level"] == "WARNING"
    assert line["message"] == "notification 7 failed"
    assert "request_id" not in line  # outside a request: no id to give


def test_the_settings_log_json_lines_by_default(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert settings.LOGGING["formatters"][handler["formatter"]]["()"].endswith("JsonFormatter")
    assert handler["filters"] == ["request"]


@pytest.mark.django_db
def test_the_request_id_is_on_the_response_and_on_every_line_of_the_request(
    client_for, mentor, lines
):
    with override_settings(ROOT_URLCONF="tests.log_urls"):
        from tests.log_urls import log_from_a_task

        sent = []
        log_from_a_task.delay = lambda *args: sent.append(args)  # the broker is not this test's
        try:
            response = client_for(mentor).get("/log-test/")
        finally:
            del log_from_a_task.delay
    assert response.status_code == 200
    (line,) = [e for e in lines() if e["message"] == "view handled check-in 42"]
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["user_id"], line["role"]) == (mentor.pk, "mentor")
    assert set(line) <= {"time", "level", "logger", "message", "request_id", "user_id", "role"}


@pytest.mark.django_db
def test_an_anonymous_request_has_an_id_and_no_user(client, lines):
    with override_settings(ROOT_URLCONF="tests.log_urls"):
        from tests.log_urls import log_from_a_task

        log_from_a_task.delay = lambda *args: None
        try:
            response = client.get("/log-test/")
        finally:
            del log_from_a_task.delay
    (line,) = [e for e in lines() if e["message"] == "view handled check-in 42"]
    assert line["request_id"] == response["X-Request-ID"]
    assert "user_id" not in line and "role" not in line


@pytest.mark.django_db(transaction=True)
def test_the_request_id_follows_the_request_into_the_worker(client_for, mentor, lines):
    require_redis()
    peerpath_app.control.purge()  # tasks other tests queued must not run here
    with start_worker(peerpath_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        with override_settings(ROOT_URLCONF="tests.log_urls"):
            response = client_for(mentor).get("/log-test/")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any(
            e["message"] == "task ran for check-in 42" for e in lines()
        ):
            time.sleep(0.2)
    (web,) = [e for e in lines() if e["message"] == "view handled check-in 42"]
    (worker,) = [e for e in lines() if e["message"] == "task ran for check-in 42"]
    assert web["request_id"] == worker["request_id"] == response["X-Request-ID"]
    assert (worker["user_id"], worker["role"]) == (mentor.pk, "mentor")
    assert worker["task_id"]
    text = json.dumps(lines())
    assert mentor.email not in text and mentor.full_name not in text


def test_the_worker_logs_through_the_sites_logging(settings):
    # Celery would otherwise replace the root logger's handlers with its own format.
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
