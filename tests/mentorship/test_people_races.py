"""The people page's changes racing an assignment, on PostgreSQL, in both orders.

A mentor made coordinator, deactivated or moved to another program while a
coordinator assigns them a mentee; a mentee moved to another program while
they are being assigned a mentor. Whichever caller is first (holds its locks
when the other arrives) succeeds, and the other gets a plain refusal: never a
deadlock (a 500), never an active assignment to someone who is no longer an
active mentor of the mentee's program, never an assignment ended unseen.

Each race is run by hand, not left to chance: the first caller stops inside
its transaction at a chosen point (`pause_at`), the second is started and
runs until it waits on a lock (or ends), then the first goes on.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import F

from accounts import services as account_services
from accounts.models import Role, User
from mentorship import services
from mentorship.models import Assignment, MenteeProfile
from tests.mentorship.factories import MenteeProfileFactory
from tests.services import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)

OK = "ok"
FIRST, SECOND = "first", "second"
WAIT_SECONDS = 10


class Race:
    """Two callers, each in its own thread and connection; `outcome` says
    what each got: OK, the refusal's messages, or the exception's repr."""

    def __init__(self, monkeypatch, pause_at):
        self.reached = threading.Event()
        self.go_on = threading.Event()
        self.outcome: dict[str, object] = {}
        module, name = pause_at
        original = getattr(module, name)

        def pausing(*args, **kwargs):
            if threading.current_thread().name == FIRST and not self.go_on.is_set():
                self.reached.set()
                self.go_on.wait(WAIT_SECONDS)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, pausing)

    def _call(self, who, function):
        try:
            function()
            self.outcome[who] = OK
        except ValidationError as exc:
            self.outcome[who] = exc.messages
        except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
            self.outcome[who] = repr(exc)
        finally:
            connections.close_all()

    def run(self, first, second) -> dict[str, object]:
        one = threading.Thread(target=self._call, args=(FIRST, first), name=FIRST)
        two = threading.Thread(target=self._call, args=(SECOND, second), name=SECOND)
        one.start()
        assert self.reached.wait(WAIT_SECONDS), f"the first caller never paused: {self.outcome}"
        two.start()
        self._until_waiting_or_done(two)
        self.go_on.set()
        one.join(30)
        two.join(30)
        assert not one.is_alive() and not two.is_alive(), "a caller is still waiting"
        return self.outcome

    @staticmethod
    def _until_waiting_or_done(thread) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while thread.is_alive() and time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    return
            time.sleep(0.02)


def refused(outcome) -> bool:
    """A plain refusal: a ValidationError's messages, in words."""
    return isinstance(outcome, list) and all(" " in message for message in outcome)


@pytest.fixture
def setup(program, other_program, admin_user, coordinator, mentor):
    require_postgres()
    return {"mentee": MenteeProfileFactory(program=program, created_by=coordinator)}


# What the admin does to the mentor, and what they are afterwards.
MENTOR_CHANGES = {
    "made coordinator": lambda person, admin, other_program: account_services.person_change_role(
        person=person, role=Role.COORDINATOR, changed_by=admin
    ),
    "deactivated": lambda person, admin, other_program: account_services.person_deactivate(
        person=person, deactivated_by=admin
    ),
    "moved": lambda person, admin, other_program: account_services.person_move(
        person=person, program=other_program, moved_by=admin
    ),
}


def still_an_active_mentor_of(user: User, program) -> bool:
    user.refresh_from_db()
    return user.is_active and user.role == Role.MENTOR and user.program_id == program.pk


def no_assignment_to_a_non_mentor() -> bool:
    return (
        not Assignment.objects.active()
        .exclude(
            mentor__role=Role.MENTOR,
            mentor__is_active=True,
            mentor__program=F("mentee__program"),
        )
        .exists()
    )


@pytest.mark.parametrize("change", MENTOR_CHANGES)
def test_a_mentor_changed_first_is_not_assigned(
    monkeypatch, setup, change, program, other_program, admin_user, coordinator, mentor
):
    # The admin's change stops right after it has locked the mentor's login.
    race = Race(monkeypatch, pause_at=(account_services, "refusals"))
    outcome = race.run(
        lambda: MENTOR_CHANGES[change](mentor, admin_user, other_program),
        lambda: services.assignment_create(
            mentee=setup["mentee"], mentor=mentor, assigned_by=coordinator
        ),
    )
    assert outcome[FIRST] == OK, outcome
    assert refused(outcome[SECOND]), outcome
    assert not Assignment.objects.filter(mentor=mentor).exists()
    assert not still_an_active_mentor_of(mentor, program)
    assert no_assignment_to_a_non_mentor()


@pytest.mark.parametrize("change", MENTOR_CHANGES)
def test_a_mentor_assigned_first_is_not_changed(
    monkeypatch, setup, change, program, other_program, admin_user, coordinator, mentor
):
    # The assignment stops once it holds the mentee and the mentor, before
    # deciding whether the mentor may take them.
    race = Race(monkeypatch, pause_at=(services, "ineligibility_reasons"))
    outcome = race.run(
        lambda: services.assignment_create(
            mentee=setup["mentee"], mentor=mentor, assigned_by=coordinator
        ),
        lambda: MENTOR_CHANGES[change](mentor, admin_user, other_program),
    )
    assert outcome[FIRST] == OK, outcome
    assert refused(outcome[SECOND]), outcome
    assert any("hand the mentee over" in message for message in outcome[SECOND]), outcome
    assert Assignment.objects.active().get(mentee=setup["mentee"]).mentor == mentor
    assert still_an_active_mentor_of(mentor, program)


def test_a_mentee_moved_first_is_not_assigned_in_the_old_program(
    monkeypatch, program, other_program, admin_user, coordinator, mentor, mentee
):
    require_postgres()
    record = MenteeProfileFactory(program=program, user=mentee, created_by=coordinator)
    # The move stops once its rules have passed, before the record moves.
    race = Race(monkeypatch, pause_at=(account_services, "after_change"))
    outcome = race.run(
        lambda: account_services.person_move(
            person=mentee, program=other_program, moved_by=admin_user
        ),
        lambda: services.assignment_create(mentee=record, mentor=mentor, assigned_by=coordinator),
    )
    assert outcome[FIRST] == OK, outcome
    assert refused(outcome[SECOND]), outcome
    assert not Assignment.objects.filter(mentee=record).exists()
    assert MenteeProfile.objects.get(pk=record.pk).program == other_program


def test_a_mentee_assigned_first_is_not_moved_without_a_handoff(
    monkeypatch, program, other_program, admin_user, coordinator, mentor, mentee
):
    require_postgres()
    record = MenteeProfileFactory(program=program, user=mentee, created_by=coordinator)
    race = Race(monkeypatch, pause_at=(services, "ineligibility_reasons"))
    outcome = race.run(
        lambda: services.assignment_create(mentee=record, mentor=mentor, assigned_by=coordinator),
        lambda: account_services.person_move(
            person=mentee, program=other_program, moved_by=admin_user
        ),
    )
    assert outcome[FIRST] == OK, outcome
    assert refused(outcome[SECOND]), outcome
    assert any("write a handoff summary" in message for message in outcome[SECOND]), outcome
    assert Assignment.objects.active().get(mentee=record).mentor == mentor
    assert MenteeProfile.objects.get(pk=record.pk).program == program


@pytest.mark.parametrize("second", ["deactivate", "change role", "move back"])
def test_two_admins_changing_one_person_queue_and_neither_fails(
    monkeypatch, program, other_program, admin_user, coordinator, second
):
    """The person's row is locked before anything is read: the second admin
    waits, then sees the first one's change (never a vanished row, a 500)."""
    require_postgres()
    from tests.accounts.factories import UserFactory

    other_admin = UserFactory(admin=True)
    seconds = {
        "deactivate": lambda: account_services.person_deactivate(
            person=coordinator, deactivated_by=other_admin
        ),
        "change role": lambda: account_services.person_change_role(
            person=coordinator, role=Role.MENTOR, changed_by=other_admin
        ),
        "move back": lambda: account_services.person_move(
            person=coordinator, program=program, moved_by=other_admin
        ),
    }
    race = Race(monkeypatch, pause_at=(account_services, "refusals"))
    outcome = race.run(
        lambda: account_services.person_move(
            person=coordinator, program=other_program, moved_by=admin_user
        ),
        seconds[second],
    )
    assert outcome[FIRST] == OK, outcome
    assert outcome[SECOND] == OK, outcome
    coordinator.refresh_from_db()
    assert coordinator.program == (program if second == "move back" else other_program)
