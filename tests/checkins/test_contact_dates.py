"""The last contact (kept on the mentee) and the next due date (kept on the
active assignment's schedule) are denormalised: after every service that can
move them they equal what the check-ins say, computed here from scratch."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db.models import Max
from django.utils import timezone

from checkins import services
from checkins.models import CheckIn, CheckInSchedule
from checkins.services import next_due_on
from core.dates import program_date
from mentorship import services as mentorship_services
from mentorship.models import Assignment, MenteeProfile
from tests.accounts.factories import ProgramFactory, program_day
from tests.checkins.test_rules import a_moment_ago_today

pytestmark = pytest.mark.django_db


def computed(mentee: MenteeProfile):
    """(last contact, next due date of the active assignment) from the rows."""
    contacts = CheckIn.objects.filter(mentee=mentee, kind="contact", voided_at__isnull=True)
    last = contacts.aggregate(last=Max("occurred_at"))["last"]
    assignment = Assignment.objects.filter(mentee=mentee, ended_at__isnull=True).first()
    if assignment is None:
        return last, None
    cadence = CheckInSchedule.objects.get(assignment=assignment).cadence_days
    latest = contacts.order_by("-occurred_at", "-pk").first()
    day = program_date(latest.occurred_at, mentee.program) if latest else None
    if day is not None and day >= assignment.started_on:
        due = latest.next_checkin_on or day + timedelta(days=cadence)
    else:
        due = assignment.started_on + timedelta(days=cadence)
    return last, due


def stored(mentee: MenteeProfile):
    mentee = MenteeProfile.objects.get(pk=mentee.pk)
    schedule = CheckInSchedule.objects.filter(
        assignment__mentee=mentee, assignment__ended_at__isnull=True
    ).first()
    return mentee.last_contact_at, schedule.next_due_on if schedule else None


def assert_kept(mentee):
    assert stored(mentee) == computed(mentee)


def log(mentee, author, *, ago=timedelta(hours=1), **fields):
    values = {
        "occurred_at": timezone.now() - ago,
        "delivery_method": "in_person",
        "duration_minutes": 30,
    }
    return services.checkin_log(author=author, mentee=mentee, **(values | fields))


@pytest.fixture
def since_a_month(mentee_profile):
    """The assignment started 30 days ago: contacts of the last weeks count.
    (Its schedule is set as it would have been then.)"""
    mentee_profile.assignments.update(started_on=program_day() - timedelta(days=30))
    services.contact_dates_refresh(mentee=mentee_profile)
    return mentee_profile


# --- The rule, on its boundary ---------------------------------------------


@pytest.mark.parametrize(
    ("contact_offset", "counts"),
    [(-1, False), (0, True), (1, True)],
)
def test_a_contact_sets_the_schedule_from_the_assignments_first_day_on(contact_offset, counts):
    start = program_day() - timedelta(days=10)
    day = start + timedelta(days=contact_offset)
    due = next_due_on(started_on=start, cadence_days=7, last_contact_on=day, next_checkin_on=None)
    assert due == (day + timedelta(days=7) if counts else start + timedelta(days=7))


def test_the_next_date_a_contact_gives_wins_over_the_cadence():
    start = program_day() - timedelta(days=10)
    asked = program_day() + timedelta(days=2)
    assert (
        next_due_on(
            started_on=start, cadence_days=7, last_contact_on=program_day(), next_checkin_on=asked
        )
        == asked
    )


# --- After every service that moves them -----------------------------------


def test_logging_a_contact(since_a_month, mentor):
    assert_kept(since_a_month)
    log(since_a_month, mentor, ago=timedelta(days=3))
    assert_kept(since_a_month)
    log(since_a_month, mentor, ago=timedelta(hours=1), next_checkin_on=program_day())
    assert_kept(since_a_month)
    assert stored(since_a_month)[1] == program_day()


def test_logging_a_back_dated_contact_after_a_later_one(since_a_month, mentor):
    log(since_a_month, mentor, ago=timedelta(hours=1))
    log(since_a_month, mentor, ago=timedelta(days=5), next_checkin_on=program_day())
    assert_kept(since_a_month)


def test_logging_two_contacts_at_the_same_moment(since_a_month, mentor, coordinator):
    moment = timezone.now() - timedelta(hours=2)
    log(since_a_month, mentor, ago=timezone.now() - moment, next_checkin_on=program_day())
    log(since_a_month, coordinator, ago=timezone.now() - moment, duration_minutes=20)
    assert_kept(since_a_month)


def test_an_attempt_and_a_self_checkin_move_nothing(since_a_month, mentor, mentee):
    log(since_a_month, mentor, ago=timedelta(days=2))
    before = stored(since_a_month)
    log(since_a_month, mentor, kind="attempt", delivery_method="telephone")
    services.self_checkin_submit(user=mentee, mood=4, craving_level=1, substance_use_days=0)
    assert stored(since_a_month) == before
    assert_kept(since_a_month)


def test_a_contact_before_the_assignment_started(mentee_profile, coordinator):
    log(mentee_profile, coordinator, ago=timedelta(days=3))
    assert_kept(mentee_profile)


def test_correcting_a_contact_moves_them_both_ways(since_a_month, mentor):
    first = log(since_a_month, mentor, ago=timedelta(days=4))
    latest = log(since_a_month, mentor, ago=timedelta(hours=1))
    services.checkin_correct(
        checkin=latest, editor=mentor, occurred_at=timezone.now() - timedelta(days=6)
    )
    assert_kept(since_a_month)
    assert stored(since_a_month)[0] == first.occurred_at
    services.checkin_correct(checkin=first, editor=mentor, next_checkin_on=program_day())
    assert_kept(since_a_month)
    assert stored(since_a_month)[1] == program_day()


def test_voiding_the_latest_contact_and_an_earlier_one(since_a_month, mentor):
    first = log(since_a_month, mentor, ago=timedelta(days=4))
    latest = log(since_a_month, mentor, ago=timedelta(hours=1))
    services.checkin_void(checkin=latest, by=mentor, reason="Wrong person")
    assert_kept(since_a_month)
    services.checkin_void(checkin=first, by=mentor, reason="Wrong person")
    assert_kept(since_a_month)
    assert stored(since_a_month)[0] is None


def test_a_new_assignment_reassignment_and_its_end(program, coordinator, mentor, other_mentor):
    from tests.mentorship.factories import MenteeProfileFactory

    mentee = MenteeProfileFactory(program=program)
    mentorship_services.assignment_create(mentee=mentee, mentor=mentor, assigned_by=coordinator)
    assert_kept(mentee)
    log(mentee, coordinator, ago=timedelta(minutes=5), next_checkin_on=program_day())
    mentorship_services.assignment_create(
        mentee=mentee, mentor=other_mentor, assigned_by=coordinator, end_reason="mentee_request"
    )
    # The new assignment starts today, with today's contact and its next date.
    assert_kept(mentee)
    assert stored(mentee)[1] == program_day()
    mentorship_services.assignment_end(
        assignment=Assignment.objects.get(mentee=mentee, ended_at__isnull=True),
        ended_by=coordinator,
        reason="mentee_request",
    )
    assert_kept(mentee)


def test_status_changes_and_a_move_to_another_program(
    since_a_month, mentor, coordinator, admin_user
):
    log(since_a_month, mentor, ago=timedelta(days=2))
    mentorship_services.mentee_transition(
        mentee=since_a_month, to_status="on_hold", changed_by=coordinator
    )
    assert_kept(since_a_month)
    mentorship_services.mentee_transition(
        mentee=since_a_month, to_status="active", changed_by=coordinator
    )
    assert_kept(since_a_month)
    mentorship_services.mentee_move_program(
        user=since_a_month.user, program=ProgramFactory(), moved_by=admin_user
    )
    assert_kept(since_a_month)
    mentorship_services.mentee_transition(
        mentee=MenteeProfile.objects.get(pk=since_a_month.pk),
        to_status="discharged",
        reason="moved",
        changed_by=admin_user,
    )
    assert_kept(since_a_month)


def test_the_page_and_the_api_keep_them(since_a_month, mentor, mentor_client):
    from django.urls import reverse

    from tests.accounts.test_api import api_client_for
    from tests.checkins.test_api import payload
    from tests.checkins.test_pages import form_data

    mentor_client.post(reverse("checkins:log", args=[since_a_month.pk]), form_data())
    assert_kept(since_a_month)
    api_client_for(mentor).post(
        reverse("api:checkin-list"),
        payload(since_a_month, occurred_at=a_moment_ago_today(since_a_month).isoformat()),
        format="json",
    )
    assert_kept(since_a_month)


def test_a_change_in_the_admin_is_brought_back_in_line(since_a_month, mentor, admin_client):
    from django.urls import reverse

    checkin = log(since_a_month, mentor, ago=timedelta(hours=1))
    response = admin_client.post(
        reverse("admin:checkins_checkin_delete", args=[checkin.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert_kept(since_a_month)
    assert stored(since_a_month)[0] is None


def test_the_migration_fills_the_last_contact_of_existing_mentees(since_a_month, mentor):
    log(since_a_month, mentor, ago=timedelta(days=2))
    log(since_a_month, mentor, ago=timedelta(hours=3))
    log(since_a_month, mentor, ago=timedelta(hours=1), kind="attempt")
    MenteeProfile.objects.update(last_contact_at=None)
    migration = importlib.import_module(
        "checkins.migrations.0008_open_crisis_index_and_last_contact"
    )
    migration.fill_last_contact(apps, None)
    assert_kept(since_a_month)
