from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True, ignore_result=True)
def clear_expired_sessions() -> None:
    """Delete expired sessions so ended logins leave nothing behind (one DELETE)."""
    call_command("clearsessions")
