from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import mark_session_active


@receiver(user_logged_in)
def start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_session_active(request.session)
