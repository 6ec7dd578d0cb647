from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from notifications.models import Notification
from operations.models import JobRun


def run(job: str, *, ago: timedelta, result="success", rows=3, duration_ms=120) -> JobRun:
    from operations.jobs import scheduled_jobs

    task = next(j.task for j in scheduled_jobs() if j.name == job)
    return JobRun.objects.create(
        job=job,
        task=task,
        started_at=timezone.now() - ago,
        duration_ms=duration_ms,
        result=result,
        rows_created=rows if result == "success" else None,
    )


def every_job_ran(*, ago=timedelta(minutes=1)) -> None:
    from operations.jobs import scheduled_jobs

    for job in scheduled_jobs():
        run(job.name, ago=ago)


def email(recipient, *, state="pending", reason="", kind="checkin_due", n=0, ago=timedelta()):
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        subject_type=ContentType.objects.get_for_model(recipient),
        subject_id=recipient.pk,
        due_key=f"test-{n}",
        state=state,
        failure_reason=reason,
        attempts=5 if state == "failed" else 0,
        created_at=timezone.now() - ago,
    )
