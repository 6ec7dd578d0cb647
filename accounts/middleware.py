import time
import zoneinfo
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

from core.api.errors import error_response
from core.htmx import is_htmx

from . import languages
from .selectors import has_totp

LAST_ACTIVITY_KEY = "peerpath_last_activity"
SIGNED_IN_AT_KEY = "peerpath_signed_in_at"
TRACKED_SESSION_KEY = "peerpath_tracked_session"
# Set on a request whose session the middleware ends (idle, too old).
SESSION_EXPIRED_ATTR = "_peerpath_session_expired"
IDLE = "idle"
LIFETIME = "lifetime"
TIME_ZONE_KEY = "peerpath_time_zone"
# Requests a page makes on its own (the bell's poll) carry this header and are
# not activity: an open tab must not keep a session alive forever.
PASSIVE_HEADER = "X-Peerpath-Passive"
# Writing the session on every request would cost an UPDATE per page; a
# minute's resolution is plenty for a 15-minute idle limit.
ACTIVITY_RESOLUTION_SECONDS = 60
# On every response to a signed-in user: the seconds left before an idle
# sign-out, so that the page's warning (static/js/peerpath.js) follows the
# session's clock, whatever another tab or an htmx request did to it.
IDLE_REMAINING_HEADER = "X-Peerpath-Idle-Remaining"


def start_session_clocks(session) -> None:
    now = int(time.time())
    session[LAST_ACTIVITY_KEY] = now
    session[SIGNED_IN_AT_KEY] = now


class IdleSessionTimeoutMiddleware:
    """Signs a user out after PEERPATH_IDLE_TIMEOUT_SECONDS without a request,
    or PEERPATH_ABSOLUTE_SESSION_SECONDS after sign-in however active, and
    sends them to a page that says so (shared computers at drop-in centres)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            ended = _ended_because(request.session, now)
            if ended is not None:
                return _end_this_session(request, ended)
            _remember_this_session(request)
            last = request.session.get(LAST_ACTIVITY_KEY)
            passive = _passive(request)
            if not passive and (last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS):
                request.session[LAST_ACTIVITY_KEY] = now
        response = self.get_response(request)
        if request.user.is_authenticated:
            response[IDLE_REMAINING_HEADER] = str(idle_seconds_left(request.session))
        return response


def _passive(request) -> bool:
    """A request the page made on its own: the bell's poll, or the idle
    warning's trip to the page that says the session ended."""
    if request.headers.get(PASSIVE_HEADER) == "1":
        return True
    return request.path == reverse("accounts:session_expired")


def refresh_idle_clock(session) -> None:
    """The person is here ("Stay signed in"): the idle limit starts again now,
    whatever the activity resolution."""
    session[LAST_ACTIVITY_KEY] = int(time.time())


def idle_seconds_left(session) -> int:
    """Seconds until the idle limit ends this session (it still holds at 0)."""
    last = session.get(LAST_ACTIVITY_KEY)
    if last is None:
        return settings.PEERPATH_IDLE_TIMEOUT_SECONDS
    return max(0, last + settings.PEERPATH_IDLE_TIMEOUT_SECONDS - int(time.time()))


def _ended_because(session, now: int) -> str | None:
    signed_in = session.get(SIGNED_IN_AT_KEY)
    if signed_in is None:
        # A session from before this rule: its 12 hours start now.
        session[SIGNED_IN_AT_KEY] = now
    elif now - signed_in > settings.PEERPATH_ABSOLUTE_SESSION_SECONDS:
        return LIFETIME
    last = session.get(LAST_ACTIVITY_KEY)
    if last is not None and now - last > settings.PEERPATH_IDLE_TIMEOUT_SECONDS:
        return IDLE
    return None


def _ended_detail(reason: str) -> str:
    if reason == LIFETIME:
        hours = settings.PEERPATH_ABSOLUTE_SESSION_SECONDS // 3600
        return gettext(
            "Your session ended: sessions last at most %(hours)s hours. Sign in again."
        ) % {"hours": hours}
    return gettext("Your session ended after inactivity.")


def _end_this_session(request, reason: str):
    # Only this session ends: the user's other sessions and tokens are theirs
    # to keep (a sign-out they ask for ends everything; see accounts.receivers).
    setattr(request, SESSION_EXPIRED_ATTR, True)
    logout(request)
    if request.path.startswith("/api/"):
        return error_response(_ended_detail(reason), code="not_authenticated", status=401)
    expired_page = reverse("accounts:session_expired")
    # The idle warning sends the tab here when the time is up, naming the page
    # it was on: that page stays the one to come back to.
    came_from = request.GET.get("next", "") if request.path == expired_page else request.path
    expired = f"{expired_page}?next={quote(came_from, safe='/')}"
    if reason != IDLE:
        expired += f"&reason={reason}"
    if is_htmx(request):
        # A background htmx request (the bell, a draft autosave):
        # send the whole tab to the page that says what happened.
        return HttpResponse(status=204, headers={"HX-Redirect": expired})
    return redirect(expired)


def _remember_this_session(request) -> None:
    """Record the session for end_every_login when its key is new to us (a key
    can change after sign-in); no query otherwise."""
    key = request.session.session_key
    if key and request.session.get(TRACKED_SESSION_KEY) != key:
        # Imported here: services imports this module (through signals).
        from .services import session_record

        session_record(user=request.user, session_key=key)
        request.session[TRACKED_SESSION_KEY] = key


# Pages a user without a second factor may still reach: setting one up,
# signing out, staying signed in while doing so, and the static files those
# pages need.
MFA_ENROLMENT_PREFIXES = ("/accounts/", "/static/", "/session-expired/", "/session/keepalive/")


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
            and not has_totp(request.user)
        ):
            if request.path.startswith("/api/"):
                return error_response(
                    gettext("Set up two-factor authentication before using the API."),
                    code="permission_denied",
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


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


class LanguageMiddleware:
    """Speak the language of whom the page is for (accounts.languages): the
    signed-in person's, else the browser's. A view that knows better (the
    invitation of a mentee) activates another; the response says which
    (Content-Language) and the language cookie remembers the signed-in
    person's, so the pages they reach signed out speak it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        language = languages.for_user(request.user) if signed_in else None
        translation.activate(language or languages.for_anonymous(request))
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
            spoken = translation.get_language()
        finally:
            # The language is this request's: a thread's next request (or a
            # test) must not inherit it.
            translation.deactivate()
        response.headers.setdefault("Content-Language", spoken)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        chosen = signed_in or getattr(request, CHOSEN_LANGUAGE_ATTR, False)
        if chosen and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != spoken:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                spoken,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


# Set by a view that chose the language for whom the page is for (an
# invitation's mentee): the cookie remembers it like a signed-in person's.
CHOSEN_LANGUAGE_ATTR = "_peerpath_language_chosen"


def speak(request, language: str) -> None:
    """This response speaks `language` (a view that knows whom it is for)."""
    translation.activate(language)
    request.LANGUAGE_CODE = language
    setattr(request, CHOSEN_LANGUAGE_ATTR, True)
