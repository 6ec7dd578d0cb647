from celery import shared_task

from . import services

BATCH = 200


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def send_pending_notifications() -> None:
    """Mail pending notifications in batches; a full batch queues the next."""
    if services.notifications_send_pending(batch_size=BATCH) == BATCH:
        send_pending_notifications.delay()


def sweep_then_send(sweep) -> int:
    """Run a reminder sweep; if it queued notifications, have them sent."""
    created = sweep()
    if created:
        send_pending_notifications.delay()
    return created
