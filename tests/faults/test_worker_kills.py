"""Workers SIGKILLed again and again while the sweeps and the sender run over
1,000 mentees, on real Redis and PostgreSQL: at the end every due
notification exists once and was mailed once, except at most one email per
kill (the one handed to the mail server when the worker died)."""

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from time_machine import escape_hatch

from checkins.models import CheckInSchedule
from config.celery import app
from core.dates import local_today
from mentorship.models import Assignment, MenteeProfile
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.services import require_postgres, require_redis

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

MENTEES = 1000
KILLS = 8
ROOT = Path(__file__).resolve().parents[2]


def real_now():
    # The worker runs on the machine's clock, whatever clock the suite uses.
    if escape_hatch.is_travelling():
        return escape_hatch.datetime.datetime.now(tz=UTC)
    return datetime.now(tz=UTC)


def caseload(program, coordinator) -> int:
    """1,000 active mentees, 50 mentors, each check-in due tomorrow in the
    program (so the due sweep owes one reminder per mentee)."""
    tomorrow = local_today(program.time_zone, real_now()) + timedelta(days=1)
    mentors = [UserFactory(program=program, email=f"m{i}@fault.test") for i in range(50)]
    mentees = MenteeProfile.objects.bulk_create(
        MenteeProfile(
            program=program, preferred_name=f"P{i}", created_by=coordinator, status="active"
        )
        for i in range(MENTEES)
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(
            mentee=m,
            mentor=mentors[i % 50],
            assigned_by=coordinator,
            started_on=tomorrow - timedelta(days=30),
        )
        for i, m in enumerate(mentees)
    )
    CheckInSchedule.objects.bulk_create(
        CheckInSchedule(assignment=a, next_due_on=tomorrow) for a in assignments
    )
    return MENTEES


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def mailed_notification_ids(maildir: Path) -> Counter:
    pattern = re.compile(r"/notifications/(\d+)/")
    counts: Counter = Counter()
    for path in maildir.iterdir():
        text = path.read_text(errors="replace")
        # Each email carries its link twice (text and HTML part): count
        # messages, not links.
        for message in text.split("\n" + "-" * 79 + "\n"):
            ids = set(pattern.findall(message))
            counts.update(int(i) for i in ids)
    return counts


@pytest.mark.django_db(transaction=True)
def test_killed_workers_lose_nothing_and_double_at_most_one_email_per_kill(
    program, coordinator, tmp_path
):
    require_postgres()
    require_redis()
    due = caseload(program, coordinator)
    maildir = tmp_path / "mail"
    maildir.mkdir()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
        "PEERPATH_FAULT_DATABASE": connection.settings_dict["NAME"],
        "PEERPATH_FAULT_MAILDIR": str(maildir),
    }
    app.control.purge()
    rng = random.Random(20261127)
    worker = start_worker(env)
    kills = 0
    try:
        for _ in range(KILLS):
            app.send_task("checkins.tasks.remind_checkins_due")
            for _ in range(3):
                app.send_task("notifications.tasks.send_pending_notifications")
            time.sleep(rng.uniform(2.0, 4.0))
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            kills += 1
            worker = start_worker(env)
        # Recovery: what beat would do, until nothing waits any more.
        app.send_task("checkins.tasks.remind_checkins_due")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            app.send_task("notifications.tasks.send_pending_notifications")
            time.sleep(2)
            waiting = Notification.objects.exclude(state="sent").count()
            if Notification.objects.count() >= due and not waiting:
                break
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        app.control.purge()
    rows = Notification.objects.filter(kind="checkin_due")
    mailed = mailed_notification_ids(maildir)
    ids = set(rows.values_list("pk", flat=True))
    doubled = sum(n - 1 for pk, n in mailed.items() if pk in ids and n > 1)
    print(
        f"\nfault test: {kills} kills, {rows.count()} notifications for {due} due check-ins, "
        f"{sum(mailed[pk] for pk in ids)} emails, {len(ids & set(mailed))} mailed at least once, "
        f"{doubled} mailed twice"
    )
    assert rows.count() == due, "every due notification exists, once (unique in the database)"
    assert set(rows.values_list("state", flat=True)) == {"sent"}
    assert ids <= set(mailed), "every notification was mailed"
    assert doubled <= kills, "at most one extra email per kill"
