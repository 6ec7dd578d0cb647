"""Two deciders at once, on PostgreSQL (the house pattern of
tests/referrals/test_races.py): the first locks the request and stops; the
second waits on the lock; then the first goes on. The second answers like
the first caller (the same decision) or with a plain refusal: never a 500,
never the action twice."""

import pytest

from core import approvals
from mentorship.models import MenteeStatusChange
from mentorship.services import mentee_transition
from supervision import services
from supervision.models import ApprovalRequest
from tests.mentorship.test_people_races import FIRST, OK, SECOND
from tests.referrals.test_races import PauseAfter
from tests.services import require_postgres
from tests.supervision.approval_factories import approvals_on, supervise

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def request_waiting(mentee_profile, mentor, other_mentor, coordinator, program):
    require_postgres()
    approvals_on(program)
    supervise(mentor, other_mentor, coordinator)
    asked = mentee_transition(mentee=mentee_profile, to_status="graduated", changed_by=mentor)
    return approvals.approval_request_of(asked)


def race(monkeypatch, first, second):
    return PauseAfter(monkeypatch, (services, "_lock_approval")).run(first, second)


def test_two_approvals_at_once_graduate_once(
    monkeypatch, request_waiting, coordinator, other_mentor
):
    outcome = race(
        monkeypatch,
        lambda: services.approval_decide(
            approval=request_waiting, by=coordinator, approve=True, comment="Yes."
        ),
        lambda: services.approval_decide(
            approval=request_waiting, by=other_mentor, approve=True, comment="Agreed."
        ),
    )
    assert outcome == {FIRST: OK, SECOND: OK}, outcome
    decided = ApprovalRequest.objects.get()
    assert (decided.status, decided.decided_by_id, decided.comment) == (
        "approved",
        coordinator.pk,
        "Yes.",
    )
    assert MenteeStatusChange.objects.filter(to_status="graduated").count() == 1


def test_an_approval_and_a_rejection_at_once_the_second_is_told(
    monkeypatch, request_waiting, coordinator, other_mentor
):
    outcome = race(
        monkeypatch,
        lambda: services.approval_decide(
            approval=request_waiting, by=other_mentor, approve=False, comment="Not yet."
        ),
        lambda: services.approval_decide(
            approval=request_waiting, by=coordinator, approve=True, comment="Yes."
        ),
    )
    assert outcome == {FIRST: OK, SECOND: ["This request is already rejected."]}, outcome
    assert not MenteeStatusChange.objects.filter(to_status="graduated").exists()
