"""The demo: supervisors, assignments, sessions this month and last, a mentor
below the minimum, open crisis debriefs; running it twice adds
nothing."""

import pytest
from django.core.management import call_command

from accounts.models import Program
from core.dates import program_today
from supervision import selectors
from supervision.models import CrisisDebrief, SupervisionSession, Supervisor, SupervisorAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _certification_types():
    from tests.certification.factories import seeded_types

    seeded_types()


def test_the_demo_has_supervision_and_is_idempotent():
    call_command("seed_demo")
    for program in Program.objects.all():
        today = program_today(program)
        assert Supervisor.objects.filter(program=program).count() == 2
        assert SupervisorAssignment.objects.filter(mentor__program=program).current().exists()
        kinds = set(
            SupervisionSession.objects.filter(program=program).values_list("kind", flat=True)
        )
        assert kinds == {"individual", "group"}
        assert selectors.mentors_below_minimum(program=program, day=today).exists()
    # One program requires approvals, with a graduation waiting.
    from supervision.models import ApprovalRequest

    waiting = ApprovalRequest.objects.get(status="requested")
    assert (waiting.action, waiting.program.supervision_settings.approvals_required) == (
        "mentee_graduation",
        True,
    )
    # Every crisis check-in has its debrief; each program's newest stays open.
    assert CrisisDebrief.objects.open().exists()
    # Follow-up requests: open and answered ones in each program with mentees.
    from supervision.models import FollowUpRequest

    assert FollowUpRequest.objects.open().exists()
    assert FollowUpRequest.objects.resolved().exists()
    assert FollowUpRequest.objects.filter(plan__isnull=False).exists()
    counts = (
        Supervisor.objects.count(),
        SupervisionSession.objects.count(),
        FollowUpRequest.objects.count(),
    )
    call_command("seed_demo")
    assert (
        Supervisor.objects.count(),
        SupervisionSession.objects.count(),
        FollowUpRequest.objects.count(),
    ) == counts
