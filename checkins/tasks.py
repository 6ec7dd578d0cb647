"""Thin Celery tasks: ids in, one service call, safe to run twice."""

from celery import shared_task

from core.tasks import PeerpathTask
from notifications.tasks import sweep_then_send

from . import reminders, services


@shared_task(base=PeerpathTask)
def alert_crisis(checkin_id: int) -> int:
    """Writes a crisis check-in's alert rows if they are missing. Check-ins now
    write them themselves (the outbox); this stays so that messages queued by
    an older release still run."""
    return sweep_then_send(lambda: services.crisis_alert(checkin_id=checkin_id))


@shared_task(base=PeerpathTask)
def remind_checkins_due() -> int:
    return sweep_then_send(reminders.remind_checkins_due)


@shared_task(base=PeerpathTask)
def alert_overdue_checkins() -> int:
    return sweep_then_send(reminders.alert_overdue_checkins)


@shared_task(base=PeerpathTask)
def flag_contact_gaps() -> int:
    return sweep_then_send(reminders.flag_contact_gaps)


@shared_task(base=PeerpathTask)
def remind_recovery_capital_due() -> int:
    return sweep_then_send(reminders.remind_recovery_capital_due)


@shared_task(base=PeerpathTask)
def alert_unnotified_crises() -> int:
    return sweep_then_send(reminders.alert_unnotified_crises)
