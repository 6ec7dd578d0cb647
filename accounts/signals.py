from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver

from .middleware import TIME_ZONE_KEY, start_session_clocks


@receiver(user_logged_in)
def start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The idle clock and the 12-hour clock both start at sign-in.
        start_session_clocks(request.session)
        # Dates and times show in the program's time zone (admins: UTC); kept
        # in the session so no page pays a query for it.
        request.session[TIME_ZONE_KEY] = user.program.time_zone if user.program_id else "UTC"


# Sent inside the accepting transaction with `invitation` and `user`: apps
# above accounts link their records to the new login (a mentee's intake record).
invitation_accepted = Signal()
