from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.constraints import PlainConstraints


class JobRun(PlainConstraints, models.Model):
    """One run of a scheduled (beat) job, written by the worker that ran it:
    when it started, how long it took, how it ended and how many rows its
    sweep created. Ids and counts only: never what the rows are about."""

    class Result(models.TextChoices):
        SUCCESS = "success", _("succeeded")
        RETRY = "retry", _("failed, will retry")
        FAILURE = "failure", _("failed")

    # The entry's name in CELERY_BEAT_SCHEDULE ("remind-checkins-due").
    job = models.CharField(max_length=60)
    task = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    result = models.CharField(max_length=8, choices=Result.choices)
    # What the sweep reports: None for a job that creates no rows.
    rows_created = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result__in=["success", "retry", "failure"]),
                name="jobrun_result_valid",
                violation_error_message=_("A job run succeeded, failed or will be retried."),
            ),
        ]
        indexes = [models.Index(fields=["job", "started_at"])]

    def __str__(self) -> str:
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M}"
