"""The hash chain: each event's hash covers its content and the previous
event's hash, so altering, inserting or removing a row breaks the chain at
that row. Appends are serialised by locking the chain's head row (SQLite
takes its write lock at BEGIN anyway) so concurrent writers never fork it."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from .models import AccessEvent, AccessEventMentee, ChainHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "id",
    "user_id",
    "role",
    "mentee_ids",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "reason",
    "ip",
    "request_id",
    "user_agent",
)


def content_hash(event: AccessEvent) -> str:
    content = {name: getattr(event, name) for name in HASHED_FIELDS}
    content["at"] = event.at.astimezone(UTC).isoformat()
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((canonical + event.prev_hash).encode()).hexdigest()


def append(**fields) -> AccessEvent:
    """Four statements (five with mentees): lock the head, insert the event
    and its mentee index, move the head."""
    with transaction.atomic():
        head = _locked_head()
        event = AccessEvent(
            id=head.last_id + 1, at=timezone.now(), prev_hash=head.last_hash, **fields
        )
        event.hash = content_hash(event)
        event.save()
        AccessEventMentee.objects.bulk_create(
            AccessEventMentee(event=event, mentee_id=mentee_id) for mentee_id in event.mentee_ids
        )
        ChainHead.objects.filter(pk=head.pk).update(last_id=event.id, last_hash=event.hash)
    return event


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # The first append ever (or after a test flushed the tables): start the
        # head at the last event, if any; a concurrent first append is
        # absorbed by ignore_conflicts and both then queue on the lock.
        last = AccessEvent.objects.order_by("-id").values("id", "hash").first()
        ChainHead.objects.bulk_create(
            [
                ChainHead(
                    pk=1,
                    last_id=last["id"] if last else 0,
                    last_hash=last["hash"] if last else GENESIS,
                )
            ],
            ignore_conflicts=True,
        )
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


@dataclass(frozen=True)
class Break:
    event_id: int
    problem: str

    def __str__(self) -> str:
        return f"event {self.event_id}: {self.problem}"


def verify(batch: int = 2000) -> tuple[int, Break | None]:
    """Walk the chain in id order: (events checked, the first break or None)."""
    expected_id, prev_hash, count = 1, GENESIS, 0
    for event in _walk(batch):
        if event.id != expected_id:
            return count, Break(expected_id, f"missing (the next event is {event.id})")
        if event.prev_hash != prev_hash:
            return count, Break(
                event.id, "inserted or re-linked (its link to the previous event is broken)"
            )
        if content_hash(event) != event.hash:
            return count, Break(event.id, "altered (its content does not match its hash)")
        indexed = sorted(m.mentee_id for m in event.indexed_mentees)  # type: ignore[attr-defined]
        if indexed != sorted(event.mentee_ids):
            return count, Break(event.id, "its mentee index was altered")
        expected_id, prev_hash, count = event.id + 1, event.hash, count + 1
    head = ChainHead.objects.filter(pk=1).values_list("last_id", "last_hash").first()
    if head is not None and head[0] > expected_id - 1:
        return count, Break(expected_id, f"missing (the chain's head says {head[0]} events)")
    if head is not None and head != (expected_id - 1, prev_hash):
        return count, Break(expected_id - 1, "altered or re-linked (the chain's head disagrees)")
    return count, None


def _walk(batch: int) -> Iterator[AccessEvent]:
    last_id = 0
    while True:
        events = list(
            AccessEvent.objects.filter(id__gt=last_id)
            .order_by("id")
            .prefetch_related(_prefetch_mentees())[:batch]
        )
        if not events:
            return
        yield from events
        last_id = events[-1].id


def _prefetch_mentees():
    from django.db.models import Prefetch

    return Prefetch("mentees", queryset=AccessEventMentee.objects.all(), to_attr="indexed_mentees")
