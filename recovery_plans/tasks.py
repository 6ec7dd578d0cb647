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
def remind_plan_reviews() -> None:
    sweep_then_send(reminders.remind_plan_reviews)
