"""A real Celery worker, in a thread of this process, takes a task from a real
broker and runs it: Redis (as in production) and kombu's filesystem transport
(what `make run` uses when no REDIS_URL is set)."""

import time
from datetime import timedelta

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from config.celery import app as peerpath_app
from tests.services import require_redis


def make_expired_session() -> str:
    store = SessionStore()
    store["n"] = 1
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    return store.session_key


# Generous: on a loaded 2-core CI machine a worker can take a while to start;
# a healthy run returns as soon as the task ran.
def wait_until_gone(session_key: str, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not Session.objects.filter(pk=session_key).exists():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_task_from_redis():
    require_redis()
    assert peerpath_app.conf.broker_url.startswith("redis://")
    peerpath_app.control.purge()  # tasks other tests queued must not run here
    session_key = make_expired_session()
    with start_worker(peerpath_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        clear_expired_sessions.delay()
        assert wait_until_gone(session_key), "the worker did not run the task"


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_task_from_the_filesystem_broker(tmp_path):
    queue_dir = tmp_path / "queue"
    queue_dir.mkdir()
    app = Celery("peerpath-filesystem-test", set_as_current=False)
    app.conf.update(
        broker_url="filesystem://",
        broker_transport_options={
            "data_folder_in": str(queue_dir),
            "data_folder_out": str(queue_dir),
            "control_folder": str(tmp_path / "control"),
            "store_processed": False,
        },
        task_ignore_result=True,
        timezone=settings.CELERY_TIMEZONE,
    )
    session_key = make_expired_session()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        app.send_task("accounts.tasks.clear_expired_sessions")
        assert wait_until_gone(session_key), "the worker did not run the task"


def test_beat_schedules_the_session_sweep():
    schedule = peerpath_app.conf.beat_schedule
    assert schedule["clear-expired-sessions"]["task"] == "accounts.tasks.clear_expired_sessions"


@pytest.mark.django_db(transaction=True)
def test_a_crisis_checkin_reaches_the_coordinators_mailbox_through_redis(
    program, coordinator, mentor, mentee_profile
):
    """check-in saved → alert queued on commit → worker → notification → email."""
    from django.core import mail

    from checkins.services import checkin_log

    require_redis()
    peerpath_app.control.purge()  # tasks other tests queued must not run here
    with start_worker(peerpath_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        checkin_log(
            author=mentor,
            mentee=mentee_profile,
            occurred_at=timezone.now(),
            delivery_method="in_person",
            duration_minutes=20,
            crisis_flag=True,
            crisis_notes="PHI-MARKER said they were not safe tonight",
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not mail.outbox:
            time.sleep(0.2)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert mail.outbox[0].subject == "[Peerpath] A crisis was flagged in your program"
