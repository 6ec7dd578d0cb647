"""The id filter every API list uses: a whole number from 1 to the largest
bigint, checked on PostgreSQL too (DATABASE_URL) where 2**63 would not fit."""

import pytest
from django.urls import reverse

from core.api.filters import BIGINT_MAX
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.mentorship.factories import MenteeProfileFactory
from tests.recovery_plans.factories import make_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("0", 400),
        ("1", 200),
        (str(BIGINT_MAX), 200),
        (str(BIGINT_MAX + 1), 400),
        ("-1", 400),
        ("1.5", 400),
        (" 7 ", 200),
        ("", 200),
    ],
)
def test_an_id_filter_takes_1_to_the_largest_bigint(coordinator, value, status):
    response = api_client_for(coordinator).get(reverse("api:checkin-list"), {"mentee": value})
    assert response.status_code == status
    if status == 400:
        assert list(api_errors(response)) == ["mentee"]
    else:
        assert response.json()["count"] == 0


def test_an_id_filter_filters(coordinator, mentee_profile):
    other = MenteeProfileFactory(program=mentee_profile.program, created_by=coordinator)
    make_plan(mentee_profile, coordinator)
    make_plan(other, coordinator)
    api = api_client_for(coordinator)
    rows = api.get(reverse("api:plan-list"), {"mentee": mentee_profile.pk}).json()["results"]
    assert [row["mentee"] for row in rows] == [mentee_profile.pk]
    assert api.get(reverse("api:plan-list")).json()["count"] == 2
