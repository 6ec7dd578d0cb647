from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import JobRun


def prune_job_runs(*, now=None) -> int:
    """Forget job runs older than PEERPATH_JOB_RUN_DAYS (one DELETE)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PEERPATH_JOB_RUN_DAYS)
    deleted, _ = JobRun.objects.filter(started_at__lt=cutoff).delete()
    return deleted
