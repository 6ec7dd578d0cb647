"""Thin Celery tasks: one service call, safe to run twice."""

from celery import shared_task

from core.tasks import PeerpathTask

from . import services


@shared_task(base=PeerpathTask)
def prune_job_runs() -> int:
    return services.prune_job_runs()


@shared_task(base=PeerpathTask)
def list_retention_candidates() -> int:
    from . import retention

    return retention.list_candidates()
