"""Two web processes (gunicorn) and two Celery workers on one PostgreSQL and
one Redis, as on two machines behind a load balancer: a session signed in on
one web process is used on the other, the idle sign-out holds on both, the
sign-in and API limits count every process's requests together, and two
workers running the same reminder sweep at the same moment create each
notification once (and the senders mail each once).

The processes run on the machine's own clock; the test moves a session's
clock by rewriting the times it keeps, in the database both processes read.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from time_machine import escape_hatch

from accounts.middleware import IDLE_REMAINING_HEADER, LAST_ACTIVITY_KEY, PASSIVE_HEADER
from checkins.models import CheckInSchedule
from config.celery import app
from core.dates import local_today
from mentorship.models import Assignment, MenteeProfile
from notifications.models import Notification
from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.faults.test_worker_kills import mailed_notification_ids
from tests.services import require_postgres, require_redis

from . import processes
from .processes import Web

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

IDLE_SECONDS = 900
API_RATE = 6
FAILURES_THAT_LOCK = 5  # ACCOUNT_RATE_LIMITS["login_failed"]: 5/15m/key
MENTEES = 400  # half due tomorrow (mentors' reminders), half overdue (coordinator's alerts)
MENTORS = 20
REFUSED = b"Too many failed login attempts"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def real_now() -> datetime:
    # The servers and workers run on the machine's clock, whatever clock the suite uses.
    if escape_hatch.is_travelling():
        return escape_hatch.datetime.datetime.now(tz=UTC)
    return datetime.now(tz=UTC)


def clear_shared_cache() -> None:
    """The processes' rate-limit counters live in the database (the sign-in
    limits in the database cache's table, the API's in core_ratecount), which
    no test transaction rolls back: none may reach another test."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM peerpath_cache")
        cursor.execute("DELETE FROM core_ratecount")


@pytest.fixture(scope="module")
def running(tmp_path_factory, django_db_setup):
    """Two web processes and two workers, started side by side, for the tests
    of this module."""
    require_postgres()
    require_redis()
    folder = tmp_path_factory.mktemp("scaleout")
    (folder / "mail").mkdir()
    database = connection.settings_dict["NAME"]  # the test database, once set up
    app.control.purge()  # tasks other tests queued must not run here
    env = processes.environment(
        database,
        folder,
        PEERPATH_IDLE_TIMEOUT_SECONDS=str(IDLE_SECONDS),
        PEERPATH_API_RATE_PER_USER=f"{API_RATE}/hour",
    )
    webs = [processes.start_web(f"web{n}", env, folder) for n in (1, 2)]
    workers = [processes.start_worker(f"worker{n}", env, folder) for n in (1, 2)]
    started = [*webs, *workers]
    try:
        for web in webs:
            processes.wait_for(lambda web=web: processes.answers(web), web.name, started)
        for worker in workers:
            processes.wait_for(
                lambda worker=worker: processes.worker_ready(worker), worker.name, started
            )
        assert webs[0].port != webs[1].port
        yield webs, workers, folder / "mail"
    finally:
        processes.stop(started)
        app.control.purge()


@pytest.fixture
def cluster(running, transactional_db):
    _, _, maildir = running
    for mail in maildir.iterdir():
        mail.unlink()
    clear_shared_cache()
    yield running
    clear_shared_cache()


def browser() -> requests.Session:
    """As behind a load balancer, every request names the site's one host,
    whichever process answers it (allauth counts failed sign-ins per host
    and email)."""
    session = requests.Session()
    session.headers["Host"] = "localhost"
    return session


def sign_in(visitor: requests.Session, web: Web, email: str, password: str = TEST_PASSWORD):
    page = visitor.get(f"{web.url}/accounts/login/", timeout=30)
    token = CSRF_FIELD.search(page.text).group(1)
    return visitor.post(
        f"{web.url}/accounts/login/",
        {"csrfmiddlewaretoken": token, "login": email, "password": password},
        allow_redirects=False,
        timeout=30,
    )


def get(visitor: requests.Session, web: Web, path: str = "/", passive: bool = False):
    headers = {PASSIVE_HEADER: "1"} if passive else {}
    return visitor.get(f"{web.url}{path}", headers=headers, allow_redirects=False, timeout=30)


def set_last_activity(session_key: str, seconds_ago: int) -> None:
    session = SessionStore(session_key=session_key)
    session[LAST_ACTIVITY_KEY] = int(real_now().timestamp()) - seconds_ago
    session.save()


def test_sessions_idle_sign_out_and_limits_hold_across_web_processes(cluster, program):
    (web1, web2), _, _ = cluster
    mentor = UserFactory(program=program, email="two.webs@example.org", full_name="Rowan Two")

    # Signed in on one, the same browser is signed in on the other.
    visitor = browser()
    signed_in = sign_in(visitor, web1, mentor.email)
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"
    page = get(visitor, web2)
    assert page.status_code == 200 and "Rowan Two" in page.text
    # A form from one process is accepted by the other (one CSRF secret).
    keepalive = visitor.post(
        f"{web2.url}/session/keepalive/",
        headers={"X-CSRFToken": visitor.cookies["csrftoken"]},
        timeout=30,
    )
    assert keepalive.status_code == 204

    # Activity on one process is activity on both: a minute left, a page on
    # web2, and web1 (asked without counting as activity) has the full time.
    session_key = visitor.cookies["sessionid"]
    set_last_activity(session_key, IDLE_SECONDS - 60)
    assert int(get(visitor, web1, passive=True).headers[IDLE_REMAINING_HEADER]) <= 60
    assert get(visitor, web2).status_code == 200
    assert int(get(visitor, web1, passive=True).headers[IDLE_REMAINING_HEADER]) > IDLE_SECONDS - 30

    # Idle past the limit: the other process ends the session, and then it is
    # over on the first too.
    set_last_activity(session_key, IDLE_SECONDS + 2)
    ended = get(visitor, web2)
    assert ended.status_code == 302
    assert ended.headers["Location"].startswith("/session-expired/")
    after = get(visitor, web1)
    assert after.status_code == 302 and after.headers["Location"].startswith("/accounts/login/")

    # Failed sign-ins count on every process: spread over the two, the fifth
    # locks the account, and the right password is refused on either.
    other = UserFactory(program=program, email="locked.out@example.org")
    stranger = browser()
    for n in range(FAILURES_THAT_LOCK):
        failed = sign_in(stranger, (web1, web2)[n % 2], other.email, "not the password")
        assert failed.status_code == 200 and REFUSED not in failed.content, n
    for web in (web1, web2):
        refused = sign_in(browser(), web, other.email)
        assert refused.status_code == 200 and REFUSED in refused.content, web.name

    # The API's per-user limit counts calls to both processes together.
    api = browser()
    assert sign_in(api, web2, mentor.email).status_code == 302
    answers = [get(api, (web1, web2)[n % 2], "/api/v1/users/me/").status_code for n in range(8)]
    assert answers == [200] * API_RATE + [429, 429]


def caseload(program, coordinator) -> tuple[int, int]:
    """Active mentees, each check-in either due tomorrow in the program or
    overdue past its grace days: one reminder to a mentor per due check-in,
    one alert to the coordinator per overdue one."""
    today = local_today(program.time_zone, real_now())
    tomorrow = today + timedelta(days=1)
    overdue = today - timedelta(days=program.overdue_grace_days + 1)
    mentors = [UserFactory(program=program, email=f"m{i}@scaleout.test") for i in range(MENTORS)]
    mentees = MenteeProfile.objects.bulk_create(
        MenteeProfile(
            program=program, preferred_name=f"P{i}", created_by=coordinator, status="active"
        )
        for i in range(MENTEES)
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(
            mentee=m,
            mentor=mentors[i % MENTORS],
            assigned_by=coordinator,
            started_on=today - timedelta(days=30),
        )
        for i, m in enumerate(mentees)
    )
    CheckInSchedule.objects.bulk_create(
        CheckInSchedule(assignment=a, next_due_on=tomorrow if i % 2 else overdue)
        for i, a in enumerate(assignments)
    )
    return MENTEES // 2, MENTEES - MENTEES // 2


INSERTS_WAITING = """
    SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.relation = %s::regclass AND NOT l.granted AND a.query ILIKE 'INSERT%%'
"""


def run_on_both_at_once(task: str, webs_and_workers: list) -> None:
    """Both workers take the sweep and reach its INSERT while this test holds
    the notification table; then both go on at the same moment."""
    table = Notification._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{table}" IN SHARE MODE')  # noqa: S608 (a model's table)
        app.send_task(task)
        app.send_task(task)

        def both_waiting() -> bool:
            # Inside a transaction the activity view is read once, unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(INSERTS_WAITING, [table])
            return cursor.fetchone()[0] == 2

        processes.wait_for(both_waiting, f"two workers inside {task}", webs_and_workers, 60)


def test_two_workers_running_the_same_sweeps_at_once_create_and_mail_each_notification_once(
    cluster, program, coordinator
):
    webs, workers, maildir = cluster
    due, overdue = caseload(program, coordinator)
    everyone = [*webs, *workers]

    def all_sent(kind: str, count: int):
        def check() -> bool:
            rows = Notification.objects.filter(kind=kind)
            return rows.count() == count and not rows.exclude(state="sent").exists()

        return check

    # One sweep at a time, its senders done before the next: a sender waiting
    # on the held table would keep its worker from taking the second sweep.
    run_on_both_at_once("checkins.tasks.remind_checkins_due", everyone)
    processes.wait_for(all_sent("checkin_due", due), "the reminders sent", everyone, 60)
    run_on_both_at_once("checkins.tasks.alert_overdue_checkins", everyone)
    processes.wait_for(all_sent("checkin_overdue", overdue), "the alerts sent", everyone, 60)
    rows = Notification.objects.all()
    assert rows.filter(kind="checkin_due").count() == due
    assert rows.filter(kind="checkin_overdue", recipient=coordinator).count() == overdue
    assert rows.count() == due + overdue
    mailed = mailed_notification_ids(maildir)
    assert set(mailed) == set(rows.values_list("pk", flat=True))
    assert set(mailed.values()) == {1}, "each notification mailed once"
    for worker in workers:
        log = worker.output()
        assert "remind_checkins_due" in log and "alert_overdue_checkins" in log, log
        # Nothing failed and came back as a retry (the tasks retry any error).
        # Celery's own format or a JSON line (config/settings/base.py LOGGING).
        assert not re.search(r'retry:|ERROR/|"level": "(ERROR|CRITICAL)"|Traceback', log), log
