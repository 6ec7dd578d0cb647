"""The audit trail: who read or changed which mentee's record, when, from
where, and whether they were let in. On the ground floor beside core so every
app can record into it; it imports only core and the framework."""

from collections.abc import Iterable

from django.http import HttpRequest

SHOWN_ATTRIBUTE = "_audit_mentee_ids"


def record(request_or_user, **fields):
    """Append one event (see audit.services.record); imported lazily so that
    `import audit` works before the app registry is ready."""
    from audit.services import record as _record

    return _record(request_or_user, **fields)


def shown(request: HttpRequest, mentee_ids: Iterable[int]) -> None:
    """A page view tells the audit middleware which mentees it showed (a list
    page): the middleware's event for this request then names these ids."""
    setattr(request, SHOWN_ATTRIBUTE, sorted({int(i) for i in mentee_ids}))
