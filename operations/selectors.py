"""What the operations page shows: the same figures as the metrics."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min
from django.utils import timezone

from notifications.models import Notification
from notifications.selectors import failed_emails

from . import jobs, queues


@dataclass(frozen=True)
class Overview:
    jobs: list[jobs.JobStatus]
    queue_length: int | None
    pending: int
    sending: int
    failed: int
    oldest_pending_at: datetime | None
    failed_emails: list[Notification]


def outbox() -> tuple[dict[str, int], datetime | None]:
    """Emails pending, being sent and failed, and when the oldest pending one
    was created: two queries."""
    counts = dict(
        Notification.objects.filter(
            channel=Notification.Channel.EMAIL,
            state__in=[
                Notification.State.PENDING,
                Notification.State.SENDING,
                Notification.State.FAILED,
            ],
        )
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    oldest = Notification.objects.filter(
        state=Notification.State.PENDING, channel=Notification.Channel.EMAIL
    ).aggregate(oldest=Min("created_at"))["oldest"]
    return {state: counts.get(state, 0) for state in ("pending", "sending", "failed")}, oldest


def overview(*, now: datetime | None = None) -> Overview:
    """Constant queries, however many jobs, runs and notifications."""
    now = now or timezone.now()
    counts, oldest = outbox()
    recent_failures, _total = failed_emails()
    return Overview(
        jobs=jobs.job_statuses(now=now),
        queue_length=queues.queue_length(),
        pending=counts["pending"],
        sending=counts["sending"],
        failed=counts["failed"],
        oldest_pending_at=oldest,
        failed_emails=recent_failures,
    )


def is_operator(user) -> bool:
    """The operations page is the admins' (the only scoping rule here)."""
    return bool(getattr(user, "is_admin", False))
