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


DEFAULT_RETENTION_YEARS = 7


class RetentionSetting(PlainConstraints, models.Model):
    """How long a program keeps a closed case (a mentee discharged or
    graduated): whole years after the closing date, in the program's
    calendar. A program without a row keeps its cases DEFAULT_RETENTION_YEARS."""

    program = models.OneToOneField(
        "accounts.Program", on_delete=models.CASCADE, related_name="retention"
    )
    years = models.PositiveSmallIntegerField(
        _("years to keep a closed case"), default=DEFAULT_RETENTION_YEARS
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1) & Q(years__lte=30),
                name="retention_years_1_to_30",
                violation_error_message=_("Keep closed cases between 1 and 30 years."),
            ),
        ]

    def __str__(self) -> str:
        return f"retention of program {self.program_id}: {self.years} years"


class RetentionCandidate(models.Model):
    """A closed case past its program's retention, as the monthly job last
    listed it: ids and dates only. Purging the mentee removes the row."""

    mentee = models.OneToOneField(
        "mentorship.MenteeProfile", on_delete=models.CASCADE, related_name="+"
    )
    program = models.ForeignKey("accounts.Program", on_delete=models.CASCADE, related_name="+")
    closed_on = models.DateField()
    due_since = models.DateField()
    listed_at = models.DateTimeField()

    class Meta:
        ordering = ["due_since", "mentee_id"]

    def __str__(self) -> str:
        return f"retention candidate mentee {self.mentee_id}"
