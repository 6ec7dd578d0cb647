from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from . import kinds, preferences
from .models import Notification, NotificationPreference


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


@dataclass(frozen=True)
class PreferenceRow:
    """One kind of notification as its reader sees it: also by email or not."""

    kind: str
    label: str
    email: bool
    protected: bool


def offered_kinds(*, user) -> list[str]:
    """The kinds the user's role can receive, in the registry's order."""
    if not user.is_authenticated:
        return []
    return [code for code in kinds.codes() if preferences.offered_to(code, user.role)]


def preference_list(*, user) -> list[PreferenceRow]:
    """The user's own preferences, one per kind their role receives: one query."""
    codes = offered_kinds(user=user)
    off = set(
        NotificationPreference.objects.visible_to(user)
        .filter(email=False, kind__in=codes)
        .values_list("kind", flat=True)
    )
    return [
        PreferenceRow(
            kind=code,
            label=kinds.label(code),
            email=preferences.is_protected(code) or code not in off,
            protected=preferences.is_protected(code),
        )
        for code in codes
    ]


def preference_get(*, user, kind: str) -> PreferenceRow:
    """One of the user's own preferences; a kind their role does not receive
    (or no kind at all) is 404."""
    for row in preference_list(user=user):
        if row.kind == kind:
            return row
    raise Http404
