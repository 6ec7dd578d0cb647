"""The one shape of a Peerpath task: ids in, one service call, safe to run
twice. Acknowledged after it ran (a killed worker's task comes back), results
ignored, and retried with backoff on any error, three times."""

from celery import Task


class PeerpathTask(Task):
    acks_late = True
    ignore_result = True
    autoretry_for = (Exception,)
    max_retries = 3
    retry_backoff = True
