import time
import zoneinfo

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from core.htmx import is_htmx

LAST_ACTIVITY_KEY = "peerpath_last_activity"
TIME_ZONE_KEY = "peerpath_time_zone"
# Requests a page makes on its own (the bell's poll) carry this header and are
# not activity: an open tab must not keep a session alive forever.
PASSIVE_HEADER = "X-Peerpath-Passive"
# Writing the session on every request would cost an UPDATE per page; a
# minute's resolution is plenty for a 15-minute idle limit.
ACTIVITY_RESOLUTION_SECONDS = 60


def mark_session_active(session) -> None:
    session[LAST_ACTIVITY_KEY] = int(time.time())


class IdleSessionTimeoutMiddleware:
    """Signs a user out after PEERPATH_IDLE_TIMEOUT_SECONDS without a request
    and sends them to a page that says so (shared computers at drop-in centres)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.PEERPATH_IDLE_TIMEOUT_SECONDS:
                logout(request)
                expired = f"{reverse('accounts:session_expired')}?next={request.path}"
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Your session ended after inactivity."}, status=401
                    )
                if is_htmx(request):
                    # A background htmx request (the bell, a draft autosave):
                    # send the whole tab to the page that says what happened.
                    return HttpResponse(status=204, headers={"HX-Redirect": expired})
                return redirect(expired)
            passive = request.headers.get(PASSIVE_HEADER) == "1"
            if not passive and (last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS):
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


# Pages a user without a second factor may still reach: setting one up,
# signing out, and the static files those pages need.
MFA_ENROLMENT_PREFIXES = ("/accounts/", "/static/", "/session-expired/")


class RequireMfaMiddleware:
    """Admins and coordinators reach nothing but MFA set-up until they have TOTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.role in settings.PEERPATH_MFA_REQUIRED_ROLES
            and not request.path.startswith(MFA_ENROLMENT_PREFIXES)
            and not _has_totp(request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Set up two-factor authentication before using the API."}, status=403
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _has_totp(request) -> bool:
    # Cached on the request so a page pays for this query once.
    if not hasattr(request, "_peerpath_has_totp"):
        request._peerpath_has_totp = Authenticator.objects.filter(
            user=request.user, type=Authenticator.Type.TOTP
        ).exists()
    return request._peerpath_has_totp


class ProgramTimeZoneMiddleware:
    """Show and read dates in the signed-in user's program time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.session.get(TIME_ZONE_KEY) if hasattr(request, "session") else None
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except zoneinfo.ZoneInfoNotFoundError:
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # The zone is this request's: a thread's next request (or a test)
            # must not inherit it.
            timezone.deactivate()
