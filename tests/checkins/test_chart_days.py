"""One "today": a check-in is charted on its program's date, the same day the
timeline shows, whoever reads it and whatever zone the server runs in."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from checkins.selectors import timeline
from tests.checkins.factories import make_checkin

pytestmark = pytest.mark.django_db

# 23:30 in Los Angeles on Nov 20 is 07:30 UTC on Nov 21.
LATE_EVENING = dt.datetime(2026, 11, 21, 7, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("reader", ["admin_client", "coordinator_client", "mentor_client"])
def test_a_late_evening_checkin_is_charted_on_the_programs_day(
    request, reader, mentee_profile, mentor, admin_user
):
    if reader == "admin_client":
        from mentorship.services import break_glass_open

        break_glass_open(user=admin_user, mentee_id=mentee_profile.pk, reason="Phone call")
    make_checkin(mentee_profile, mentor, occurred_at=LATE_EVENING, mood=2)
    client = request.getfixturevalue(reader)
    with timezone.override(dt.UTC):  # a server, or an admin, in UTC
        response = client.get(reverse("checkins:timeline", args=[mentee_profile.pk]))
    (mood,) = [c for c in response.context["charts"] if c.title == "Mood"]
    assert mood.points == [(dt.date(2026, 11, 20), 2)]
    (event_day, _kind, _item) = timeline(mentee=mentee_profile)["events"][0]
    assert event_day == dt.date(2026, 11, 20)
