"""The chain: appended events verify; an event altered, inserted or removed
behind the application's back is named by verify_audit; the application
itself cannot change or remove one."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

import audit
from audit.chain import GENESIS, content_hash, verify
from audit.models import AccessEvent, AppendOnlyError
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_events(coordinator):
    return [
        audit.record(coordinator, action="read", mentee_ids=[n], object_type="mentee", object_id=n)
        for n in (7, 8, 9)
    ]


def run_verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_events_link_to_the_previous_one_and_verify(three_events):
    first, second, third = three_events
    assert [e.id for e in three_events] == [1, 2, 3]
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert all(content_hash(e) == e.hash for e in three_events)
    assert run_verify() == "Audit chain intact: 3 events.\n"


def test_an_empty_trail_verifies():
    assert verify() == (0, None)


def test_an_altered_event_is_named(three_events):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accessevent SET object_id = '99' WHERE id = 2")
    with pytest.raises(CommandError, match=r"after 1 good events: event 2: altered"):
        run_verify()


def test_an_altered_mentee_index_is_named(three_events):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesseventmentee SET mentee_id = 99 WHERE event_id = 3")
    with pytest.raises(CommandError, match=r"event 3: its mentee index was altered"):
        run_verify()


def test_a_removed_event_is_named(three_events):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesseventmentee WHERE event_id = 2")
        cursor.execute("DELETE FROM audit_accessevent WHERE id = 2")
    with pytest.raises(CommandError, match=r"event 2: missing \(the next event is 3\)"):
        run_verify()


def test_an_inserted_event_is_named(three_events):
    # Remove the last event and put a forged one in its place: its content is
    # hashed correctly, but it cannot know the hash it was meant to follow.
    forged = AccessEvent.objects.get(id=3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesseventmentee WHERE event_id = 3")
        cursor.execute("DELETE FROM audit_accessevent WHERE id = 3")
    forged.prev_hash = "f" * 64
    forged.object_id = "forged"
    forged.hash = content_hash(forged)
    forged._state.adding = True
    forged.save()
    audit.models.AccessEventMentee.objects.create(event=forged, mentee_id=9)
    with pytest.raises(CommandError, match=r"event 3: inserted or re-linked"):
        run_verify()


def test_the_application_cannot_update_or_delete_an_event(three_events):
    event = AccessEvent.objects.get(id=1)
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(id=1).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()
    assert verify() == (3, None)


def test_an_unknown_action_is_refused(coordinator):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record(coordinator, action="peek", mentee_ids=[1])
    assert not AccessEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(coordinator):
    from django.db import connections

    require_postgres()
    start = threading.Barrier(4)
    errors = []

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(10):
                audit.record(coordinator, action="read", mentee_ids=[n * 100 + i])
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert verify() == (40, None)


def test_events_removed_from_the_end_are_named(three_events):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesseventmentee WHERE event_id = 3")
        cursor.execute("DELETE FROM audit_accessevent WHERE id = 3")
    with pytest.raises(CommandError, match=r"event 3: missing \(the chain's head says 3 events\)"):
        run_verify()


def test_appending_after_the_head_row_was_lost_continues_the_chain(three_events, coordinator):
    from audit.models import ChainHead

    ChainHead.objects.all().delete()
    event = audit.record(coordinator, action="read", mentee_ids=[1])
    assert (event.id, event.prev_hash) == (4, three_events[-1].hash)
    assert verify() == (4, None)
