"""A request id for every request, and the audit event of every registered
URL (audit.registry), written after the view has answered."""

from django.db import connection
from django.http import HttpRequest, HttpResponse

from core.request_log import request_id_for

from . import SHOWN_ATTRIBUTE, registry
from .models import Outcome
from .services import record

DENIED_STATUSES = frozenset({403, 404})
NAMED_ATTRIBUTE = "_audit_named_mentee_ids"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Usually set already, for the logs too (core.request_log).
        if not getattr(request, "request_id", ""):
            request.request_id = request_id_for(request)  # type: ignore[attr-defined]
        tag_changes = request.method not in SAFE_METHODS and connection.vendor == "postgresql"
        if tag_changes:
            _set_request_id(request.request_id)  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
            # The connection outlives the request: the tag is cleared, by the
            # audit event's own statement when there is one.
            recorded = self._record(request, response, end_request_tag=tag_changes)
        except BaseException:
            if tag_changes:
                _set_request_id("")
            raise
        if tag_changes and not recorded:
            _set_request_id("")
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Whose record a URL names is looked up before the view runs, so a
        delete still names the mentee it removed something from."""
        match = request.resolver_match
        route = registry.route_for(match.view_name, request.method or "") if match else None
        if route is not None and route.mentees is not None and route.kwarg:
            object_id = view_kwargs.get(route.kwarg, "")
            if _storable_id(object_id):
                setattr(request, NAMED_ATTRIBUTE, list(route.mentees(str(object_id))))
        return None

    def _record(self, request: HttpRequest, response: HttpResponse, *, end_request_tag) -> bool:
        """Record the event, if the URL is audited; whether it was."""
        match = getattr(request, "resolver_match", None)
        if match is None:
            return False
        route = registry.route_for(match.view_name, request.method or "")
        if route is None:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False  # nobody to name: the sign-in redirect or 401 showed nothing
        outcome = _outcome(request, response.status_code)
        if outcome is None:
            return False  # a 400 (nothing done), a 405, a 500 (the error is logged)
        object_id = match.kwargs.get(route.kwarg, "") if route.kwarg else ""
        record(
            request,
            action=route.action,
            mentee_ids=_mentee_ids(request, response, route, object_id, outcome),
            object_type=route.object_type,
            object_id=object_id,
            outcome=outcome,
            end_request_tag=end_request_tag,
        )
        return True


def _set_request_id(value: str) -> None:
    """The change trigger (audit_record_change) stamps its rows with this, so a
    change joins the request's AccessEvent. Only writes need it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('peerpath.request_id', %s, false)", [value])


def _outcome(request: HttpRequest, status: int) -> str | None:
    if 200 <= status < 300:
        return Outcome.ALLOWED
    if 300 <= status < 400 and request.method not in SAFE_METHODS:
        return Outcome.ALLOWED  # a page's write answers with a redirect
    if status in DENIED_STATUSES:
        return Outcome.DENIED
    return None


def _storable_id(value) -> bool:
    """An id a row can have: a path id past 64 bits names nothing (and would
    break the lookup), so the denied event keeps only the attempted text."""
    try:
        return 0 < int(value) < 2**63
    except (TypeError, ValueError):
        return False


def _mentee_ids(request, response, route, object_id, outcome) -> list[int]:
    shown = getattr(request, SHOWN_ATTRIBUTE, None)
    if shown is not None:
        return shown
    named = getattr(request, NAMED_ATTRIBUTE, None)
    if named is not None:
        return named
    if route.listed is not None and outcome == Outcome.ALLOWED:
        return list(route.listed(request, response))
    return []
