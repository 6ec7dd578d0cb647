"""Two answers to one follow-up request at once (two tabs, a double tap), on
PostgreSQL (the house pattern of tests/mentorship/test_people_races.py): the
first holds the request's lock; the second waits, then answers like the
first caller: the first answer stands, the requester is told once."""

import pytest

from notifications.models import Notification
from supervision import services
from supervision.models import FollowUpRequest
from tests.checkins.factories import make_checkin
from tests.mentorship.test_people_races import OK
from tests.referrals.test_races import PauseAfter
from tests.services import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_answers_at_once_keep_the_first(monkeypatch, coordinator, mentor, mentee_profile):
    require_postgres()
    follow_up = services.follow_up_request(
        by=coordinator, checkin=make_checkin(mentee_profile, mentor), text="Call again"
    )
    returned = {}

    def answer(words):
        def call():
            returned[words] = services.follow_up_resolve(
                follow_up=follow_up, by=mentor, answer=words
            )

        return call

    outcome = PauseAfter(monkeypatch, (services, "lock_follow_up")).run(
        answer("First answer"), answer("Second answer")
    )
    assert outcome == {"first": OK, "second": OK}
    stored = FollowUpRequest.objects.get()
    assert stored.answer == "First answer"
    assert returned["First answer"].answer == returned["Second answer"].answer == "First answer"
    assert returned["Second answer"].resolved_at == stored.resolved_at
    assert Notification.objects.filter(kind="follow_up_answered").count() == 1
