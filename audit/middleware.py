"""A request id for every request, and the audit event of every registered
URL (audit.registry), written after the view has answered."""

import re
import uuid

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

from . import SHOWN_ATTRIBUTE, registry
from .models import Outcome
from .services import record

# What a proxy may send as X-Request-ID: short and plain, so it is safe in logs.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
DENIED_STATUSES = frozenset({403, 404})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def request_id_for(request: HttpRequest) -> str:
    """The trusted proxy's id when there is one (the sender's header is not
    believed without a proxy of ours in front), else a new one."""
    if settings.PEERPATH_TRUSTED_PROXY_COUNT > 0:
        sent = request.META.get("HTTP_X_REQUEST_ID", "")
        if REQUEST_ID.fullmatch(sent):
            return sent
    return uuid.uuid4().hex


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)  # type: ignore[attr-defined]
        tag_changes = request.method not in SAFE_METHODS and connection.vendor == "postgresql"
        if tag_changes:
            _set_request_id(request.request_id)  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            if tag_changes:
                _set_request_id("")  # the connection outlives the request
        self._record(request, response)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response

    def _record(self, request: HttpRequest, response: HttpResponse) -> None:
        match = getattr(request, "resolver_match", None)
        if match is None:
            return
        route = registry.route_for(match.view_name)
        if route is None or request.method not in route.methods:
            return
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return  # nobody to name: the sign-in redirect or 401 showed nothing
        if 200 <= response.status_code < 300:
            outcome = Outcome.ALLOWED
        elif response.status_code in DENIED_STATUSES:
            outcome = Outcome.DENIED
        else:
            return  # a redirect after a change, a 400: nothing was read
        object_id = match.kwargs.get(route.kwarg, "") if route.kwarg else ""
        record(
            request,
            action=route.action,
            mentee_ids=_mentee_ids(request, response, route, object_id, outcome),
            object_type=route.object_type,
            object_id=object_id,
            outcome=outcome,
        )


def _set_request_id(value: str) -> None:
    """The change trigger (audit_record_change) stamps its rows with this, so a
    change joins the request's AccessEvent. Only writes need it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('peerpath.request_id', %s, false)", [value])


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
    if route.mentees is not None and _storable_id(object_id):
        return list(route.mentees(str(object_id)))
    if route.listed is not None and outcome == Outcome.ALLOWED:
        return list(route.listed(request, response))
    return []
