from celery import shared_task

from core.tasks import PeerpathTask
from notifications.tasks import sweep_then_send

from . import reminders


@shared_task(base=PeerpathTask)
def remind_plan_reviews() -> int:
    return sweep_then_send(reminders.remind_plan_reviews)
