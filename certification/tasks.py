from celery import shared_task

from notifications.tasks import sweep_then_send

from . import reminders


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def send_renewal_alerts() -> None:
    sweep_then_send(reminders.send_renewal_alerts)
