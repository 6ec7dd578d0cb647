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


def test_a_chart_names_each_point_and_dates_its_axis():
    from checkins.charts import chart

    days = [dt.date(2026, 11, d) for d in (1, 5, 11)]
    mood = chart("Mood", zip(days, [2, 4, 5], strict=True), y_min=1, y_max=5)
    assert [spoken for *_xy, _value, spoken in mood.marks] == [
        "Mood, Nov 1: 2",
        "Mood, Nov 5: 4",
        "Mood, Nov 11: 5",
    ]
    assert [(text, anchor) for _x, text, anchor in mood.date_labels] == [
        ("Nov 1", "start"),
        ("Nov 6", "middle"),
        ("Nov 11", "end"),
    ]


@pytest.mark.parametrize(("span", "labels"), [(0, 1), (3, 2), (4, 3)])
def test_a_short_span_gets_fewer_dates(span, labels):
    from checkins.charts import chart

    first = dt.date(2026, 11, 1)
    points = [(first, 3), (first + dt.timedelta(days=span), 4)] if span else [(first, 3)]
    assert len(chart("Mood", points, y_min=1, y_max=5).date_labels) == labels


def test_points_take_the_keyboard_and_show_their_value_on_focus(
    mentor_client, mentee_profile, mentor
):
    make_checkin(mentee_profile, mentor, mood=4)
    page = mentor_client.get(
        reverse("checkins:timeline", args=[mentee_profile.pk])
    ).content.decode()
    assert 'class="chart__point" tabindex="0" role="img" aria-label="Mood, ' in page
    assert 'class="chart__value">4</text>' in page


@pytest.mark.parametrize("reader", ["admin_client", "coordinator_client"])
def test_a_mentee_records_times_read_in_the_programs_zone_by_an_admin_too(
    request, reader, mentee_profile, mentor, admin_user
):
    from mentorship.services import break_glass_open

    break_glass_open(user=admin_user, mentee_id=mentee_profile.pk, reason="Phone call")
    checkin = make_checkin(mentee_profile, mentor, occurred_at=LATE_EVENING)
    client = request.getfixturevalue(reader)
    page = client.get(reverse("checkins:detail", args=[checkin.pk])).content.decode()
    assert "Nov 20, 2026 23:30" in page  # Los Angeles, not 07:30 on the 21st in UTC


@pytest.mark.parametrize("reader", ["admin_client", "coordinator_client"])
def test_a_plans_history_reads_in_the_programs_zone_by_an_admin_too(
    request, reader, mentee_profile, mentee, mentor, admin_user
):
    import time_machine

    from mentorship.services import break_glass_open
    from recovery_plans import services as plan_services
    from tests.recovery_plans.factories import first_step, make_plan

    break_glass_open(user=admin_user, mentee_id=mentee_profile.pk, reason="Phone call")
    plan = make_plan(mentee_profile, mentor)
    with time_machine.travel(LATE_EVENING, tick=False):
        plan_services.step_set_done(step=first_step(plan), by=mentor, done=True)
        plan_services.plan_acknowledge(plan=plan, user=mentee)
    client = request.getfixturevalue(reader)
    with timezone.override(dt.UTC):  # a server, or an admin, in UTC
        history = client.get(reverse("recovery_plans:history", args=[plan.pk])).content.decode()
    assert "Nov 20, 2026 23:30" in history  # Los Angeles, not 07:30 on the 21st in UTC
