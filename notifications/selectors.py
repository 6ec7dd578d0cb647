from collections import defaultdict

from django.db.models import QuerySet

from . import kinds
from .models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.visible_to(user)


def unread_count(*, user) -> int:
    return Notification.objects.visible_to(user).unread().count()


def name_mentees(*, user, notifications) -> set[int]:
    """Set `mentee` ((id, name) or None) on each notification of a page, one
    query per kind shown, only for mentees the reader still reaches. Returns
    the ids of the mentees named, for the audit trail."""
    by_kind: dict[str, list[Notification]] = defaultdict(list)
    for notification in notifications:
        notification.mentee = None
        by_kind[notification.kind].append(notification)
    named: set[int] = set()
    for code, rows in by_kind.items():
        kind = kinds.get(code)
        if kind is None or kind.mentees is None:
            continue
        found = kind.mentees(user, {row.subject_id for row in rows})
        for row in rows:
            row.mentee = found.get(row.subject_id)
            if row.mentee is not None:
                named.add(row.mentee[0])
    return named


def failed_emails(*, limit: int = 50) -> tuple[list[Notification], int]:
    """The most recent emails given up on (kind, attempts, reason; the
    recipient by id only), and how many there are in all: two queries."""
    failed = Notification.objects.filter(
        state=Notification.State.FAILED, channel=Notification.Channel.EMAIL
    )
    return list(failed.order_by("-created_at", "-pk")[:limit]), failed.count()
