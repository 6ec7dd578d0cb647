"""The reminder sweeps: who is told, once, whatever the reruns; and a constant
number of queries whatever the number of mentees."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from checkins import reminders
from checkins.models import CheckInSchedule, RecoveryCapitalAssessment
from mentorship.models import Assignment, MenteeProfile
from notifications.models import Notification
from notifications.services import notifications_send_pending
from tests.checkins.factories import make_checkin

pytestmark = pytest.mark.django_db

# Noon UTC on Nov 26: early morning of the same day in Sacramento.
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def due_on(mentee_profile, day):
    CheckInSchedule.objects.filter(assignment__mentee=mentee_profile).update(next_due_on=day)


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_mentor_is_reminded_the_day_before_once_however_often_it_runs(mentee_profile, mentor):
    due_on(mentee_profile, TODAY + timedelta(days=1))
    assert reminders.remind_checkins_due() == 1
    assert reminders.remind_checkins_due() == 0
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert reminders.remind_checkins_due() == 0
    assert kinds_for(mentor) == ["checkin_due"]
    assert notifications_send_pending() == 1 and notifications_send_pending() == 0
    assert [m.to for m in mail.outbox] == [[mentor.email]]


def test_no_reminder_when_the_due_date_is_not_tomorrow(mentee_profile, mentor):
    due_on(mentee_profile, TODAY + timedelta(days=2))
    assert reminders.remind_checkins_due() == 0


def test_tomorrow_is_the_programs_tomorrow(mentee_profile, mentor, program):
    # 03:00 UTC on Nov 27 is still Nov 26 in Sacramento: tomorrow is Nov 27 there.
    due_on(mentee_profile, date(2026, 11, 27))
    with time_machine.travel(datetime(2026, 11, 27, 3, tzinfo=UTC), tick=False):
        assert reminders.remind_checkins_due() == 1


def test_coordinators_hear_of_checkins_overdue_beyond_the_grace_days(
    mentee_profile, coordinator, program
):
    due_on(mentee_profile, TODAY - timedelta(days=program.overdue_grace_days))
    assert reminders.alert_overdue_checkins() == 0  # within grace
    due_on(mentee_profile, TODAY - timedelta(days=program.overdue_grace_days + 1))
    assert reminders.alert_overdue_checkins() == 1
    assert reminders.alert_overdue_checkins() == 0
    assert kinds_for(coordinator) == ["checkin_overdue"]


def test_ended_assignments_and_other_programs_are_not_reminded(mentee_profile, mentor, outsider):
    due_on(mentee_profile, TODAY - timedelta(days=10))
    Assignment.objects.filter(mentee=mentee_profile).update(
        ended_at=timezone.now(), end_reason="other"
    )
    assert reminders.alert_overdue_checkins() == 0
    assert reminders.remind_checkins_due() == 0
    assert kinds_for(outsider) == []


def test_contact_gaps_at_14_and_30_days_once_each(mentee_profile, mentor, coordinator):
    Assignment.objects.filter(mentee=mentee_profile).update(started_on=TODAY - timedelta(days=60))
    make_checkin(mentee_profile, mentor, days_ago=13)
    assert reminders.flag_contact_gaps() == 0
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert reminders.flag_contact_gaps() == 1
        assert reminders.flag_contact_gaps() == 0
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        assert reminders.flag_contact_gaps() == 0  # the next day: still the same gap
    with time_machine.travel(NOW + timedelta(days=17), tick=False):
        assert reminders.flag_contact_gaps() == 1  # now 30 days
    assert kinds_for(coordinator) == ["contact_gap_14", "contact_gap_30"]


def test_an_attempt_does_not_end_a_contact_gap(mentee_profile, mentor, coordinator):
    Assignment.objects.filter(mentee=mentee_profile).update(started_on=TODAY - timedelta(days=20))
    make_checkin(
        mentee_profile,
        mentor,
        days_ago=1,
        kind="attempt",
        mood=None,
        craving_level=None,
        substance_use_days=None,
        duration_minutes=None,
    )
    assert reminders.flag_contact_gaps() == 1


def test_a_new_gap_after_contact_is_flagged_again(mentee_profile, mentor, coordinator):
    Assignment.objects.filter(mentee=mentee_profile).update(started_on=TODAY - timedelta(days=60))
    make_checkin(mentee_profile, mentor, days_ago=20)
    assert reminders.flag_contact_gaps() == 1
    make_checkin(mentee_profile, mentor, days_ago=0)
    with time_machine.travel(NOW + timedelta(days=15), tick=False):
        assert reminders.flag_contact_gaps() == 1
    assert kinds_for(coordinator) == ["contact_gap_14", "contact_gap_14"]


def test_barc10_is_due_at_intake_and_every_90_days(mentee_profile, mentor):
    assert reminders.remind_recovery_capital_due() == 1  # none yet
    assert reminders.remind_recovery_capital_due() == 0
    RecoveryCapitalAssessment.objects.create(
        mentee=mentee_profile,
        entered_by=mentor,
        assessed_on=TODAY - timedelta(days=89),
        **{f"item_{n}": 4 for n in range(1, 11)},
    )
    Notification.objects.all().delete()
    assert reminders.remind_recovery_capital_due() == 0
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert reminders.remind_recovery_capital_due() == 1
    assert kinds_for(mentor) == ["recovery_capital_due"]


# --- Scale: constant queries for 10 and for 1,000 mentees. ---------------------


def populate(program, mentor, n: int) -> None:
    """n active mentees of `mentor`, all due tomorrow, overdue for the
    coordinators' sweep too (half), and never contacted for 40 days."""
    profile = mentor.mentor_profile
    profile.caseload_capacity = 50
    profile.save()
    creator = program.members.filter(role="coordinator").first()
    mentees = MenteeProfile.objects.bulk_create(
        MenteeProfile(program=program, preferred_name=f"M{i}", created_by=creator, status="active")
        for i in range(n)
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(
            mentee=m, mentor=mentor, assigned_by=creator, started_on=TODAY - timedelta(days=40)
        )
        for m in mentees
    )
    CheckInSchedule.objects.bulk_create(
        CheckInSchedule(
            assignment=a,
            cadence_days=7,
            next_due_on=TODAY + timedelta(days=1) if i % 2 else TODAY - timedelta(days=5),
        )
        for i, a in enumerate(assignments)
    )


SWEEPS = [
    reminders.remind_checkins_due,
    reminders.alert_overdue_checkins,
    reminders.flag_contact_gaps,
    reminders.remind_recovery_capital_due,
]


@pytest.mark.parametrize("size", [10, 1000])
@pytest.mark.parametrize("sweep", SWEEPS, ids=lambda f: f.__name__)
def test_sweeps_run_a_constant_number_of_queries(
    size, sweep, program, mentor, coordinator, django_assert_num_queries
):
    from django.contrib.contenttypes.models import ContentType

    populate(program, mentor, size)
    # Django caches content types per process; this test counts the sweep's
    # own queries whichever test ran before it.
    for model in (CheckInSchedule, MenteeProfile):
        ContentType.objects.get_for_model(model)
    # The programs' time zones (and grace days): 1 query; then one INSERT … SELECT
    # for every zone (both thresholds of contact gaps at once): 2 whatever the
    # number of programs and zones (tests/test_sweep_costs.py).
    with django_assert_num_queries(2):
        created = sweep()
    assert created >= size // 2
