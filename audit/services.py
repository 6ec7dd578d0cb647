"""Recording an access: one call, from a view, a middleware or a task."""

import logging
import re
from collections.abc import Iterable

from django.http import HttpRequest

from core.client_ip import client_ip

from . import chain
from .models import AccessEvent, Action, Outcome

logger = logging.getLogger(__name__)

USER_AGENT_MAX = 256
MAX_ID = 2**63  # past a bigint no row exists


def record(
    request_or_user,
    *,
    action: str,
    mentee_ids: Iterable[int] = (),
    object_type: str = "",
    object_id: object = "",
    outcome: str = Outcome.ALLOWED,
    reason: str = "",
    end_request_tag: bool = False,
) -> AccessEvent:
    """Append one event. It raises rather than lose an event: a page whose
    access cannot be recorded fails loudly, never silently. `end_request_tag`:
    the middleware's change-trail request id is cleared by the same statement
    (PostgreSQL)."""
    if action not in Action.values or outcome not in Outcome.values:
        raise ValueError("Unknown audit action or outcome.")
    if isinstance(request_or_user, HttpRequest):
        request, user = request_or_user, request_or_user.user
    else:
        request, user = None, request_or_user
    return chain.append(
        end_request_tag=end_request_tag,
        user_id=user.pk if user is not None and user.is_authenticated else None,
        role=getattr(user, "role", "") or "",
        mentee_ids=sorted({int(i) for i in mentee_ids if 0 < int(i) < MAX_ID}),
        action=action,
        object_type=object_type,
        # An attempted id is the sender's text: printable only (PostgreSQL
        # refuses a NUL byte), and bounded.
        object_id="" if object_id is None else _printable(str(object_id))[:64],
        outcome=outcome,
        reason=reason.replace("\x00", ""),
        **(_request_fields(request) if request is not None else {}),
    )


def _request_fields(request: HttpRequest) -> dict[str, str]:
    return {
        "ip": client_ip(request),
        "request_id": getattr(request, "request_id", ""),
        "user_agent": _printable(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX],
    }


def _printable(text: str) -> str:
    return re.sub(r"[^\x20-\x7e]", "?", text)
