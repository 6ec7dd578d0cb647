"""The hash chain: each event's hash covers its content and the previous
event's hash, so altering, inserting or removing a row breaks the chain at
that row. Appends are serialised by locking the chain's head row (SQLite
takes its write lock at BEGIN anyway) so concurrent writers never fork it.

On PostgreSQL an append is two statements in one transaction: the head row
is locked, moved on by one and read (UPDATE ... RETURNING: the waiting writer
reads the head its predecessor committed), then one statement inserts the
event and its mentee index and records the event's hash on the head. The head
stays locked from the first statement to the commit, so the chain never forks
and its head always names the last event and its hash (audit.chain.verify)."""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC

from django.db import connection, transaction
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


def append(*, end_request_tag: bool = False, **fields) -> AccessEvent:
    """Append one event. `end_request_tag` also clears the change trail's
    request id (audit.middleware) in the same statement, on PostgreSQL."""
    if connection.vendor == "postgresql":
        return _append_postgresql(fields, end_request_tag)
    # Four statements (five with mentees): lock the head, insert the event and
    # its mentee index, move the head.
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


_MOVE_HEAD = (
    "UPDATE audit_chainhead SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id, last_hash"
)
_EVENT_COLUMNS = ("id", "at", "prev_hash", "hash", *HASHED_FIELDS[1:])
_INSERT_EVENT = f"""
WITH event AS (
    INSERT INTO audit_accessevent ({", ".join(_EVENT_COLUMNS)})
    VALUES ({", ".join("%s::jsonb" if c == "mentee_ids" else "%s" for c in _EVENT_COLUMNS)})
    RETURNING id, hash
), indexed AS (
    INSERT INTO audit_accesseventmentee (event_id, mentee_id)
    SELECT event.id, mentee_id FROM event, unnest(%s::bigint[]) AS mentee_id
), head AS (
    UPDATE audit_chainhead SET last_hash = event.hash FROM event WHERE audit_chainhead.id = 1
)
SELECT CASE WHEN %s THEN set_config('peerpath.request_id', '', false) END
"""  # noqa: S608 - table and column names are constants


def _append_postgresql(fields: dict, end_request_tag: bool) -> AccessEvent:
    # No savepoint of its own: an append that fails raises, and whatever
    # encloses it fails with it (an event is never lost silently).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_MOVE_HEAD)
        head = cursor.fetchone()
        if head is None:
            _locked_head()  # the first append ever: make the head, then move it
            cursor.execute(_MOVE_HEAD)
            head = cursor.fetchone()
        event = AccessEvent(id=head[0], at=timezone.now(), prev_hash=head[1], **fields)
        event.hash = content_hash(event)
        values = [
            json.dumps(event.mentee_ids) if column == "mentee_ids" else getattr(event, column)
            for column in _EVENT_COLUMNS
        ]
        cursor.execute(_INSERT_EVENT, [*values, list(event.mentee_ids), end_request_tag])
    event._state.adding, event._state.db = False, connection.alias
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
