"""The admins' audit search, with a CSV export of what it finds."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from core.csv_export import csv_download, csv_lines

from . import record
from .forms import AuditSearchForm
from .models import Action
from .selectors import search

PAGE_SIZE = 50
CSV_HEADER = [
    "event", "time (UTC)", "user id", "user email", "role", "action", "outcome",
    "object type", "object id", "mentee ids", "reason", "ip", "request id",
]  # fmt: skip


def _require_admin(user) -> None:
    if not getattr(user, "is_admin", False):
        raise PermissionDenied


@login_required
def audit_search(request):
    _require_admin(request.user)
    form = AuditSearchForm(request.GET or None)
    page = Paginator(search(form.criteria()), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "events": page.object_list, "query": query.urlencode()},
    )


@login_required
def audit_export(request):
    _require_admin(request.user)
    form = AuditSearchForm(request.GET or None)
    criteria = form.criteria()
    # An export of the trail is itself an access to whatever mentees it names.
    record(
        request,
        action=Action.EXPORT,
        mentee_ids=[criteria.mentee_id] if criteria.mentee_id else [],
        object_type="audit_search",
    )
    rows = (
        [
            e.pk,
            e.at.isoformat(),
            e.user_id or "",
            e.user.email if e.user else "",
            e.role,
            e.action,
            e.outcome,
            e.object_type,
            e.object_id,
            " ".join(str(i) for i in e.mentee_ids),
            e.reason,
            e.ip,
            e.request_id,
        ]  # fmt: skip
        for e in search(criteria).iterator(chunk_size=1000)
    )
    return csv_download(csv_lines(CSV_HEADER, rows), "audit-events")
