"""Every run of a scheduled job leaves a row (start, duration, result, rows
created), and a job that has not succeeded for twice its period is stale."""

from datetime import timedelta

import pytest
import time_machine
from celery.schedules import crontab
from django.utils import timezone

from checkins import reminders
from checkins.tasks import remind_checkins_due
from notifications.tasks import send_pending_notifications
from operations import jobs, services
from operations.models import JobRun
from tests.operations.helpers import run

pytestmark = pytest.mark.django_db


def status_of(name: str, **kwargs) -> jobs.JobStatus:
    return next(s for s in jobs.job_statuses(**kwargs) if s.name == name)


def test_every_beat_entry_is_a_job_with_its_period(settings):
    by_name = {job.name: job for job in jobs.scheduled_jobs()}
    assert set(by_name) == set(settings.CELERY_BEAT_SCHEDULE)
    assert by_name["send-pending-notifications"].period == timedelta(minutes=5)
    assert by_name["remind-checkins-due"].period == timedelta(hours=1)  # crontab(minute=5)
    assert by_name["flag-contact-gaps"].period == timedelta(days=1)  # crontab(hour=15, minute=0)


@pytest.mark.parametrize(
    ("schedule", "period"),
    [
        (crontab(minute="*/15"), timedelta(minutes=15)),
        (crontab(hour=4, minute=0, day_of_week=1), timedelta(days=7)),
        (crontab(hour=4, minute=0, day_of_month=1), timedelta(days=31)),
        (90, timedelta(seconds=90)),
    ],
)
def test_the_period_is_the_longest_gap_between_two_runs(schedule, period):
    assert jobs.period_of(schedule) == period


def test_a_sweep_run_by_a_worker_leaves_a_row_with_its_rows(monkeypatch):
    monkeypatch.setattr(reminders, "remind_checkins_due", lambda: 0)
    before = timezone.now()
    remind_checkins_due.apply()
    (row,) = JobRun.objects.all()
    assert (row.job, row.task) == ("remind-checkins-due", "checkins.tasks.remind_checkins_due")
    assert row.result == JobRun.Result.SUCCESS
    assert row.rows_created == 0
    assert row.started_at >= before and row.duration_ms >= 0


def test_the_rows_are_what_the_sweep_reports(monkeypatch):
    monkeypatch.setattr(reminders, "remind_checkins_due", lambda: 7)
    queued = []
    monkeypatch.setattr(send_pending_notifications, "delay", lambda: queued.append(1))
    remind_checkins_due.apply()
    assert JobRun.objects.get().rows_created == 7
    assert queued == [1]


def test_a_failing_run_is_recorded_as_failed_with_no_rows(monkeypatch):
    def broken():
        raise RuntimeError("the sweep broke")

    monkeypatch.setattr(reminders, "remind_checkins_due", broken)
    monkeypatch.setattr(remind_checkins_due, "max_retries", 0)
    remind_checkins_due.apply()
    rows = list(JobRun.objects.order_by("pk"))
    assert rows and rows[-1].result == JobRun.Result.FAILURE
    assert all(r.rows_created is None for r in rows)


def test_a_task_that_is_not_scheduled_leaves_no_row():
    from checkins.tasks import alert_crisis

    alert_crisis.apply(args=[0])  # no such check-in: nothing to write
    assert not JobRun.objects.exists()


# --- Stale: no success for twice the period ------------------------------------


def test_the_boundary_is_twice_the_period():
    run("send-pending-notifications", ago=timedelta(minutes=1))
    ran_at = JobRun.objects.get().started_at
    with time_machine.travel(ran_at + timedelta(minutes=10), tick=False):
        assert status_of("send-pending-notifications").stale is False
    with time_machine.travel(ran_at + timedelta(minutes=10, seconds=1), tick=False):
        assert status_of("send-pending-notifications").stale is True


def test_failed_runs_do_not_count_as_success():
    run("send-pending-notifications", ago=timedelta(minutes=20))
    run("send-pending-notifications", ago=timedelta(minutes=1), result="failure")
    status = status_of("send-pending-notifications")
    assert status.stale is True
    assert status.last_run is not None and status.last_run.result == "failure"


def test_a_job_never_run_is_stale_only_once_runs_were_recorded_for_twice_its_period():
    assert status_of("flag-contact-gaps").stale is True  # nothing ever recorded: beat is down
    run("send-pending-notifications", ago=timedelta(hours=47))
    assert status_of("flag-contact-gaps").stale is False
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        assert status_of("flag-contact-gaps").stale is True


def test_statuses_cost_three_queries_however_many_runs(django_assert_num_queries):
    for minutes in range(1, 30):
        run("send-pending-notifications", ago=timedelta(minutes=minutes))
        run("remind-checkins-due", ago=timedelta(minutes=minutes))
    with django_assert_num_queries(3):
        statuses = jobs.job_statuses()
    assert status_of("send-pending-notifications").last_run.started_at == max(
        JobRun.objects.filter(job="send-pending-notifications").values_list("started_at", flat=True)
    )
    assert len(statuses) == len(jobs.scheduled_jobs())


def test_old_runs_are_pruned(settings):
    settings.PEERPATH_JOB_RUN_DAYS = 30
    old = run("send-pending-notifications", ago=timedelta(days=30, seconds=1))
    kept = run("send-pending-notifications", ago=timedelta(days=29, hours=23))
    assert services.prune_job_runs() == 1
    assert list(JobRun.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not JobRun.objects.filter(pk=old.pk).exists()
