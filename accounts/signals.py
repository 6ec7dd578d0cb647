from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver

from .middleware import mark_session_active


@receiver(user_logged_in)
def start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_session_active(request.session)


# Sent inside the accepting transaction with `invitation` and `user`: apps
# above accounts link their records to the new login (a mentee's intake record).
invitation_accepted = Signal()
