from celery import shared_task
from django.core.management import call_command

from core.tasks import PeerpathTask

from . import services


@shared_task(base=PeerpathTask)
def clear_expired_sessions() -> None:
    """Delete expired sessions and API tokens so ended logins leave nothing
    behind (a DELETE each)."""
    call_command("clearsessions")
    services.forget_ended_logins()
