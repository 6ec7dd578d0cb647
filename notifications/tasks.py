import logging

from celery import shared_task
from django.db import transaction

from core.tasks import PeerpathTask

from . import services

logger = logging.getLogger(__name__)

BATCH = 200


@shared_task(base=PeerpathTask)
def send_pending_notifications() -> int:
    """Mail pending notifications in batches; a full batch queues the next.
    Returns how many were sent (the operations page's rows for this job)."""
    sent = services.notifications_send_pending(batch_size=BATCH)
    if sent == BATCH:
        send_pending_notifications.delay()
    return sent


def sweep_then_send(sweep) -> int:
    """Run a reminder sweep; if it queued notifications, have them sent."""
    created = sweep()
    if created:
        send_pending_notifications.delay()
    return created


def send_soon(*, cause: str) -> None:
    """Have a worker mail what is pending once this transaction commits.

    The notification rows are already written in the caller's transaction
    (the outbox), so nothing is lost if the broker is down: the request still
    succeeds, the failure is logged with the cause's ids, and the sender that
    beat runs every few minutes mails the rows when the broker is back.
    `cause` names ids only ("crisis check-in 42"), never what happened.
    """
    transaction.on_commit(lambda: _queue_sender(cause))


def _queue_sender(cause: str) -> None:
    try:
        send_pending_notifications.delay()
    except Exception as exc:  # the broker's errors vary by transport
        logger.warning(
            "Broker unreachable, could not queue the sender for %s (%s); "
            "its notifications are stored and go out with the next sender run",
            cause,
            type(exc).__name__,
        )
