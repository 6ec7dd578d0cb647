"""The supervision sweeps: the monthly reminder to the supervisor of a
supervisee below the minimum (from the program's 20th), overdue crisis
debriefs and overdue supervisor training, each sent once whatever the reruns,
on the program's calendar."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from notifications.models import Notification
from supervision import reminders, services
from supervision.models import CrisisDebrief, Supervisor
from tests.checkins.factories import make_checkin
from tests.supervision.factories import designate, make_session

pytestmark = pytest.mark.django_db


def at_program_day(day: date) -> datetime:
    """06:00 UTC the next day: 22:00 (winter) or 23:00 (summer) on `day` in
    Sacramento, when the UTC date is already the next one."""
    return datetime(day.year, day.month, day.day, 6, tzinfo=UTC) + timedelta(days=1)


def sent(kind, user=None):
    rows = Notification.objects.filter(kind=kind)
    if user is not None:
        rows = rows.filter(recipient=user)
    return list(rows.values_list("subject_id", "due_key"))


@pytest.fixture
def supervised(coordinator, mentor, other_mentor):
    with time_machine.travel(at_program_day(date(2026, 11, 2)), tick=False):
        sup = designate(other_mentor, coordinator)
        assignment = services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    return sup, assignment


@pytest.mark.parametrize(("day", "reminded"), [(19, False), (20, True), (21, True)])
def test_the_supervisor_is_reminded_from_the_20th_once_a_month(
    supervised, other_mentor, day, reminded
):
    _, assignment = supervised
    with time_machine.travel(at_program_day(date(2026, 11, day)), tick=False):
        created = reminders.remind_supervision_minimum()
        assert reminders.remind_supervision_minimum() == 0
    assert created == (1 if reminded else 0)
    expected = [(assignment.pk, "2026-11")] if reminded else []
    assert sent("supervision_below_minimum", other_mentor) == expected


def test_a_supervisee_at_the_minimum_is_not_reminded_of(supervised, other_mentor, mentor):
    with time_machine.travel(at_program_day(date(2026, 11, 20)), tick=False):
        make_session(other_mentor, [mentor], minutes=120, held_on=date(2026, 11, 3))
        assert reminders.remind_supervision_minimum() == 0


def test_the_next_month_is_a_new_reminder(supervised, other_mentor):
    for day in (date(2026, 11, 25), date(2026, 12, 20)):
        with time_machine.travel(at_program_day(day), tick=False):
            assert reminders.remind_supervision_minimum() == 1
    assert sorted(k for _, k in sent("supervision_below_minimum")) == ["2026-11", "2026-12"]


def test_the_program_day_decides_not_the_utc_day(supervised):
    # 06:00 UTC on Nov 20 is still Nov 19 in Sacramento.
    with time_machine.travel(datetime(2026, 11, 20, 6, tzinfo=UTC), tick=False):
        assert reminders.remind_supervision_minimum() == 0


@pytest.mark.parametrize(("days_after_due", "alerted"), [(0, False), (1, True), (2, True)])
def test_an_overdue_debrief_is_alerted_once_to_coordinators_and_the_supervisor(
    supervised, mentee_profile, mentor, coordinator, other_mentor, days_after_due, alerted
):
    with time_machine.travel(at_program_day(date(2026, 11, 10)), tick=False):
        make_checkin(mentee_profile, mentor, crisis_flag=True)
    debrief = CrisisDebrief.objects.get()
    assert debrief.due_on == date(2026, 11, 13)
    with time_machine.travel(at_program_day(date(2026, 11, 13 + days_after_due)), tick=False):
        created = reminders.alert_overdue_debriefs()
        assert reminders.alert_overdue_debriefs() == 0
    assert created == (2 if alerted else 0)
    expected = [(debrief.pk, "2026-11-13")] if alerted else []
    assert sent("crisis_debrief_overdue", coordinator) == expected
    assert sent("crisis_debrief_overdue", other_mentor) == expected


def test_a_closed_debrief_is_not_alerted(supervised, mentee_profile, mentor, other_mentor):
    with time_machine.travel(at_program_day(date(2026, 11, 10)), tick=False):
        make_checkin(mentee_profile, mentor, crisis_flag=True)
        make_session(other_mentor, [mentor], topics=["crisis_debrief"],
                     debriefs=list(CrisisDebrief.objects.all()))  # fmt: skip
    with time_machine.travel(at_program_day(date(2026, 11, 20)), tick=False):
        assert reminders.alert_overdue_debriefs() == 0


@pytest.mark.parametrize(("days_after_due", "alerted"), [(0, False), (1, True)])
def test_missed_training_is_alerted_once(
    supervised, coordinator, other_mentor, days_after_due, alerted
):
    sup, _ = supervised
    assert sup.training_due_on == date(2027, 5, 2)
    with time_machine.travel(at_program_day(date(2027, 5, 2 + days_after_due)), tick=False):
        created = reminders.alert_overdue_training()
        assert reminders.alert_overdue_training() == 0
    assert created == (2 if alerted else 0)
    assert sent("supervisor_training_overdue", other_mentor) == (
        [(sup.pk, "2027-05-02")] if alerted else []
    )


def test_completed_training_is_not_alerted(supervised, coordinator):
    sup, _ = supervised
    Supervisor.objects.filter(pk=sup.pk).update(training_completed_on=date(2027, 1, 5))
    with time_machine.travel(at_program_day(date(2027, 6, 1)), tick=False):
        assert reminders.alert_overdue_training() == 0


@pytest.mark.parametrize("size", [2, 12])
def test_the_sweeps_cost_the_same_queries_at_any_size(
    size, coordinator, program, mentee_profile, django_assert_num_queries
):
    from tests.mentorship.factories import make_mentor

    with time_machine.travel(at_program_day(date(2026, 11, 2)), tick=False):
        sup = designate(coordinator, coordinator, qualification="licensed", license_number="L")
        for n in range(size):
            mentor = make_mentor(program, email=f"m{n}@example.org")
            services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    with time_machine.travel(at_program_day(date(2027, 11, 21)), tick=False):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        # Each of the three sweeps: 1 the zones, 1 its content type, then one
        # insert per zone (the one), two for the debriefs and the training
        # (to the coordinators and to one person): 3 + 3 + 5.
        with django_assert_num_queries(11):
            # A reminder per supervisee; the training alert once (the
            # supervisor is the program's one coordinator).
            assert reminders.supervision_sweeps() == size + 1


def test_the_sweeps_run_daily_on_beat():
    from config.celery import app
    from supervision import tasks

    entry = app.conf.beat_schedule["supervision-sweeps"]
    assert entry["task"] == tasks.supervision_sweeps.name == "supervision.tasks.supervision_sweeps"
