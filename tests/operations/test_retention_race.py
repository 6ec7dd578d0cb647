"""Two admins confirm the same purge at once, on PostgreSQL (the house
pattern of tests/referrals/test_races.py): the first holds the mentee's row
lock; the second waits on it, then finds the case gone and answers like the
first caller (purged), never a 500 or a second audit event."""

from datetime import date

import pytest

from audit.chain import verify
from audit.models import AccessEvent
from mentorship.models import MenteeProfile
from operations import retention
from tests.mentorship.factories import MenteeProfileFactory
from tests.mentorship.test_people_races import FIRST, OK, SECOND
from tests.referrals.test_races import PauseAfter
from tests.services import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_purges_at_once_answer_like_the_first(monkeypatch, program, admin_user):
    require_postgres()
    case = MenteeProfileFactory(
        program=program, status="graduated", status_changed_on=date(2010, 1, 4)
    )
    returned: dict[str, object] = {}

    def purge(who):
        def call():
            returned[who] = retention.retention_purge(
                mentee_id=case.pk, by=admin_user, confirmation=str(case.pk)
            )

        return call

    # The first caller pauses once it holds the lock (retention_of runs after it).
    outcome = PauseAfter(monkeypatch, (retention, "retention_of")).run(purge(FIRST), purge(SECOND))
    assert outcome == {FIRST: OK, SECOND: OK}
    assert returned == {FIRST: True, SECOND: False}
    assert not MenteeProfile.objects.filter(pk=case.pk).exists()
    assert AccessEvent.objects.filter(action="delete", object_type="mentee").count() == 1
    assert verify()[1] is None
