from celery import shared_task
from django.core.management import call_command

from core.tasks import PeerpathTask


@shared_task(base=PeerpathTask)
def clear_expired_sessions() -> None:
    """Delete expired sessions so ended logins leave nothing behind (one DELETE)."""
    call_command("clearsessions")
