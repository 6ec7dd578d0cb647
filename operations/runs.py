"""Every run of a scheduled job leaves a JobRun row, written from Celery's
own signals in the worker that ran it: start, duration, result and the rows
its sweep created (what the task returns, when it returns a count)."""

import logging
import time

from celery import signals
from django.utils import timezone

from .jobs import jobs_for_task

logger = logging.getLogger(__name__)

# task id -> (wall-clock start, monotonic start); a worker runs a task at a time per thread.
_started: dict[str, tuple] = {}


def connect() -> None:
    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="operations-job-start")
    signals.task_postrun.connect(_task_ended, weak=False, dispatch_uid="operations-job-end")


def _task_started(sender=None, task_id=None, task=None, **kwargs) -> None:
    if task is not None and task_id and jobs_for_task(task.name):
        _started[task_id] = (timezone.now(), time.monotonic())


def _task_ended(sender=None, task_id=None, task=None, retval=None, state=None, **kwargs) -> None:
    started = _started.pop(task_id, None) if task_id else None
    if started is None or task is None:
        return
    record(
        task_name=task.name,
        started_at=started[0],
        seconds=time.monotonic() - started[1],
        state=state or "",
        retval=retval,
    )


def record(*, task_name: str, started_at, seconds: float, state: str, retval) -> None:
    from .models import JobRun

    result = {
        "SUCCESS": JobRun.Result.SUCCESS,
        "RETRY": JobRun.Result.RETRY,
    }.get(state, JobRun.Result.FAILURE)
    rows = retval if isinstance(retval, int) and not isinstance(retval, bool) else None
    try:
        JobRun.objects.bulk_create(
            JobRun(
                job=job,
                task=task_name,
                started_at=started_at,
                duration_ms=max(0, round(seconds * 1000)),
                result=result,
                rows_created=rows if result == JobRun.Result.SUCCESS else None,
            )
            for job in jobs_for_task(task_name)
        )
    except Exception as exc:  # the record must never fail the job itself
        logger.warning("Could not record a run of %s (%s)", task_name, type(exc).__name__)
