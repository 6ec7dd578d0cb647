"""Logs as JSON lines that tie a request to the tasks it queues.

Every request gets an id (the trusted proxy's X-Request-ID, or a new one):
it is on each line the request logs, on the response, in the audit trail,
and in the headers of every task the request queues, so the worker's lines
for that task carry it too. With it go the user's id and role, never a name,
an email or anything typed: the message itself is the code's own words with
ids and kinds (tests/test_logs.py and the autouse check in tests/conftest.py).
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from celery import signals
from django.conf import settings
from django.http import HttpRequest

# What a proxy may send as X-Request-ID: short and plain, so it is safe in logs.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# The task header that carries the context from the web to the worker.
HEADER = "peerpath_log_context"

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)
role: contextvars.ContextVar[str] = contextvars.ContextVar("role", default="")
task_id: contextvars.ContextVar[str] = contextvars.ContextVar("task_id", default="")

FIELDS = ("request_id", "user_id", "role", "task_id")


def request_id_for(request: HttpRequest) -> str:
    """The trusted proxy's id when there is one (the sender's header is not
    believed without a proxy of ours in front), else a new one."""
    if settings.PEERPATH_TRUSTED_PROXY_COUNT > 0:
        sent = request.META.get("HTTP_X_REQUEST_ID", "")
        if REQUEST_ID.fullmatch(sent):
            return sent
    return uuid.uuid4().hex


def current() -> dict:
    return {
        "request_id": request_id.get(),
        "user_id": user_id.get(),
        "role": role.get(),
        "task_id": task_id.get(),
    }


class RequestIdMiddleware:
    """Sets the request's id, and its user's id and role once they are known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.request_id = request_id_for(request)  # type: ignore[attr-defined]
        id_token = request_id.set(request.request_id)  # type: ignore[attr-defined]
        user_token, role_token = user_id.set(None), role.set("")
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(id_token)
            user_id.reset(user_token)
            role.reset(role_token)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """After the middleware that signs the user in: who is asking."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id.set(user.pk)
            role.set(str(getattr(user, "role", "") or ""))
        return None


class RequestContextFilter(logging.Filter):
    """Puts the context on each record (as attributes the formatter reads)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in current().items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value not in (None, ""):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


# --- Celery: the context travels in the task's headers ------------------------


@signals.before_task_publish.connect(weak=False, dispatch_uid="peerpath-log-context-out")
def _add_context(headers=None, **kwargs) -> None:
    if headers is None:
        return
    context = {k: v for k, v in current().items() if k != "task_id" and v not in (None, "")}
    if context:
        headers[HEADER] = context


_CONTEXT = (request_id, user_id, role, task_id)
_DEFAULTS = ("", None, "", "")
_task_tokens: dict[str, list] = {}


def _sent_context(task) -> dict:
    """The context the publisher put in the headers (Celery exposes custom
    headers as attributes of the request; older messages in a dict)."""
    request = getattr(task, "request", None)
    sent = getattr(request, HEADER, None)
    if not isinstance(sent, dict):
        headers = getattr(request, "headers", None)
        sent = headers.get(HEADER) if isinstance(headers, dict) else None
    return sent if isinstance(sent, dict) else {}


@signals.task_prerun.connect(weak=False, dispatch_uid="peerpath-log-context-in")
def _take_context(sender=None, task=None, **kwargs) -> None:
    sent = _sent_context(task)
    sent_id = str(sent.get("request_id", ""))
    sent_user = sent.get("user_id")
    the_task_id = str(kwargs.get("task_id") or "")
    values = (
        sent_id if REQUEST_ID.fullmatch(sent_id) else "",
        sent_user if isinstance(sent_user, int) else None,
        str(sent.get("role", ""))[:20],
        the_task_id,
    )
    _task_tokens[the_task_id] = [
        var.set(value)  # type: ignore[attr-defined]
        for var, value in zip(_CONTEXT, values, strict=True)
    ]


@signals.task_postrun.connect(weak=False, dispatch_uid="peerpath-log-context-done")
def _drop_context(sender=None, **kwargs) -> None:
    tokens = _task_tokens.pop(str(kwargs.get("task_id") or ""), None)
    for var, token, default in zip(_CONTEXT, tokens or (), _DEFAULTS, strict=False):
        try:
            var.reset(token)  # type: ignore[attr-defined]
        except ValueError:  # set in another context: clear it instead
            var.set(default)  # type: ignore[attr-defined]
