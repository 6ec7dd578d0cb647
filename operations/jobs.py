"""The scheduled jobs (CELERY_BEAT_SCHEDULE), how often each runs, and how
each last ran: the one place the operations page and the metrics read them.

A job is stale when its last success is older than twice its period: a job
that fails every time is as much a problem as one that never runs. A job
with no success at all is stale once runs have been recorded for longer
than twice its period (a new installation is not alarmed by a daily job
that has not had its first day yet), or at once when nothing was ever
recorded (beat or the workers are not running)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from celery.schedules import crontab
from django.conf import settings
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import ngettext

from .models import JobRun

# A reference week for working out a crontab's period (any fixed instant will do).
_REFERENCE = datetime(2026, 1, 5, tzinfo=UTC)


@dataclass(frozen=True)
class Job:
    name: str
    task: str
    period: timedelta

    @property
    def period_text(self) -> str:
        minutes = round(self.period.total_seconds() / 60)
        if minutes % (24 * 60) == 0:
            days = minutes // (24 * 60)
            return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
        if minutes % 60 == 0:
            hours = minutes // 60
            return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


@dataclass(frozen=True)
class JobStatus:
    job: Job
    last_run: JobRun | None
    last_success_at: datetime | None
    stale: bool

    @property
    def name(self) -> str:
        return self.job.name


def period_of(schedule) -> timedelta:
    """The longest gap between two runs of a schedule."""
    if isinstance(schedule, timedelta):
        return schedule
    if isinstance(schedule, int | float):
        return timedelta(seconds=schedule)
    if isinstance(schedule, crontab):
        return _crontab_period(schedule)
    run_every = getattr(schedule, "run_every", None)
    if isinstance(run_every, timedelta):
        return run_every
    raise TypeError(f"Cannot tell how often {schedule!r} runs")


def _crontab_period(schedule: crontab) -> timedelta:
    # The runs after a reference instant, over five weeks: the longest gap.
    runs: list[datetime] = []
    at = _REFERENCE
    while len(runs) < 2 or (runs[-1] - runs[0] < timedelta(days=35) and len(runs) < 500):
        start, delta, _now = schedule.remaining_delta(at, tz=UTC)
        at = start + delta
        runs.append(at)
    return max(b - a for a, b in zip(runs, runs[1:], strict=False))


_known: dict[int, tuple[Job, ...]] = {}


def scheduled_jobs() -> tuple[Job, ...]:
    """The beat schedule's entries by name (worked out once per schedule)."""
    schedule = settings.CELERY_BEAT_SCHEDULE
    if id(schedule) not in _known:
        _known.clear()
        _known[id(schedule)] = tuple(
            Job(name=name, task=entry["task"], period=period_of(entry["schedule"]))
            for name, entry in sorted(schedule.items())
        )
    return _known[id(schedule)]


def jobs_for_task(task_name: str) -> list[str]:
    return [job.name for job in scheduled_jobs() if job.task == task_name]


def job_statuses(*, now: datetime | None = None) -> list[JobStatus]:
    """Every scheduled job with its last run and whether it is stale: three
    queries, however many jobs and runs."""
    now = now or timezone.now()
    jobs = scheduled_jobs()
    names = [job.name for job in jobs]
    latest = {
        row["job"]: row
        for row in JobRun.objects.filter(job__in=names)
        .values("job")
        .annotate(
            last_started=Max("started_at"),
            last_success=Max("started_at", filter=Q(result=JobRun.Result.SUCCESS)),
        )
        .order_by()
    }
    first_recorded = JobRun.objects.aggregate(first=Min("started_at"))["first"]
    wanted = Q(pk__in=[])
    for name, row in latest.items():
        wanted |= Q(job=name, started_at=row["last_started"])
    last_runs: dict[str, JobRun] = {}
    for run in JobRun.objects.filter(wanted).order_by("job", "started_at", "pk"):
        last_runs[run.job] = run
    statuses = []
    for job in jobs:
        success = latest[job.name]["last_success"] if job.name in latest else None
        statuses.append(
            JobStatus(
                job=job,
                last_run=last_runs.get(job.name),
                last_success_at=success,
                stale=_stale(job, success, first_recorded, now),
            )
        )
    return statuses


def _stale(
    job: Job, last_success: datetime | None, first_recorded: datetime | None, now: datetime
) -> bool:
    allowed = 2 * job.period
    if last_success is not None:
        return now - last_success > allowed
    return first_recorded is None or now - first_recorded > allowed
