from celery import shared_task

from notifications.tasks import send_pending_notifications

from . import reminders


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def send_renewal_alerts() -> None:
    if reminders.send_renewal_alerts():
        send_pending_notifications.delay()
