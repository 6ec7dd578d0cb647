"""Error reports to Sentry (or a compatible service), when SENTRY_DSN is set.

Nothing personal leaves the site: the SDK is told not to send personal data,
and `scrub` (its before_send) keeps of each event only what finds the bug —
the exception's type, the code's file and line numbers, the view's URL name,
the release — and drops request bodies, cookies, headers, query strings,
local variables, user details, breadcrumbs' messages and the exception's
message itself (which may quote what was typed). The request id stays, so an
event joins the logs (core.request_log). tests/core/test_error_reports.py
fails a view while it handles a crisis note and reads what would be sent."""

import logging

from django.conf import settings

from . import request_log

logger = logging.getLogger(__name__)

# Of an event, only these keys are sent.
KEPT = {
    "event_id", "timestamp", "level", "platform", "logger", "environment", "release",
    "server_name", "sdk", "exception", "tags", "transaction", "transaction_info", "type",
    "contexts", "fingerprint", "modules",
}  # fmt: skip
KEPT_FRAME = {"filename", "abs_path", "function", "module", "lineno", "colno", "in_app"}
KEPT_CONTEXTS = {"os", "runtime", "trace", "celery"}


def scrub(event: dict, hint: dict | None = None) -> dict:
    clean = {key: value for key, value in event.items() if key in KEPT}
    for exception in (clean.get("exception") or {}).get("values", []) or []:
        # The type and where; the message may quote a note or a name.
        exception["value"] = ""
        trace = exception.get("stacktrace") or {}
        trace["frames"] = [
            {k: v for k, v in frame.items() if k in KEPT_FRAME}
            for frame in trace.get("frames", []) or []
        ]
        exception.pop("mechanism", None)
    clean["contexts"] = {
        k: v for k, v in (clean.get("contexts") or {}).items() if k in KEPT_CONTEXTS
    }
    context = request_log.current()
    tags = {k: v for k, v in (clean.get("tags") or {}).items() if isinstance(v, str | int)}
    tags.update({k: str(v) for k, v in context.items() if v not in (None, "")})
    clean["tags"] = tags
    return clean


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict | None:
    """Only the category and level of a breadcrumb: its message and data
    (an SQL statement's values, a log line) could carry what was typed."""
    return {k: v for k, v in crumb.items() if k in {"category", "level", "timestamp", "type"}}


def init(*, transport=None) -> bool:
    """Starts the SDK when SENTRY_DSN is set (a transport for tests)."""
    dsn: str = settings.SENTRY_DSN
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    options: dict = {
        "dsn": dsn,
        "environment": settings.SENTRY_ENVIRONMENT,
        # No personal data (what send_default_pii=False meant before this
        # SDK's data_collection superseded it), no request or local variables.
        "data_collection": {
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
            "frame_context_lines": 0,
        },
        "traces_sample_rate": settings.SENTRY_TRACES_SAMPLE_RATE,
        "before_send": scrub,
        "before_send_transaction": scrub,
        "before_breadcrumb": scrub_breadcrumb,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
    return True
