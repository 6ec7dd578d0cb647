"""What every reminder sweep costs, whatever it sweeps: the same few queries
at two sizes, in programs on two calendars, with one admin or five; and a
rerun that finds nothing new does not insert to find that out (an anti-join
on the notification key: not one identity value is drawn). bench/run.py
times them at 100,000 mentees; this pins what can be pinned in a test."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from accounts.models import Role, User
from certification.models import Certification, CertificationType
from certification.reminders import send_renewal_alerts
from checkins import reminders
from checkins.models import CheckIn, CheckInSchedule
from checkins.selectors import mentees_without_contact_since
from checkins.services import contact_dates_refresh
from mentorship.models import Assignment, MenteeProfile, MentorProfile
from notifications.models import Notification
from recovery_plans.models import RecoveryPlan
from recovery_plans.reminders import remind_plan_reviews
from tests.accounts.factories import ProgramFactory, UserFactory
from tests.certification.factories import medi_cal
from tests.services import require_postgres

pytestmark = pytest.mark.django_db

# Noon UTC: early morning in California, already afternoon in New York.
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
ZONES = ["America/Los_Angeles", "America/Los_Angeles", "America/New_York"]


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def local_noon(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(12), tzinfo=ZoneInfo(zone))


def populate(n: int) -> None:
    """n mentees over three programs (two on Pacific time, one on Eastern),
    each program with a coordinator and mentors; every mentee gives every
    sweep something to do: half due tomorrow and half overdue, no contact
    since their assignment started 40 days ago, no BARC-10, a plan review
    past; one open crisis per program, never alerted; a certification per
    mentor in its renewal window, short of CE."""
    UserFactory(admin=True)
    ctype = medi_cal()
    # A type some counties ask a background check for: that alert's statement runs too.
    CertificationType.objects.create(
        name="County-checked", issuing_body="Board", background_check_counties=["Fresno"]
    )
    for p, zone in enumerate(ZONES):
        program = ProgramFactory(time_zone=zone)
        today = NOW.astimezone(ZoneInfo(zone)).date()
        coordinator = UserFactory(coordinator=True, program=program)
        mentors = User.objects.bulk_create(
            User(email=f"m{p}.{i}@example.org", role=Role.MENTOR, program=program)
            for i in range(max(1, n // 10))
        )
        MentorProfile.objects.bulk_create(MentorProfile(user=m) for m in mentors)
        Certification.objects.bulk_create(
            Certification(
                holder=m,
                certification_type=ctype,
                training_completed_on=today - timedelta(days=800),
                exam_passed_on=today - timedelta(days=790),
                issued_on=today - timedelta(days=650),
                cycle_started_on=today - timedelta(days=650),
                expires_on=today + timedelta(days=80 - i % 90),
            )
            for i, m in enumerate(mentors)
        )
        mentees = MenteeProfile.objects.bulk_create(
            MenteeProfile(
                program=program, preferred_name=f"P{i}", created_by=coordinator, status="active"
            )
            for i in range(n)
        )
        assignments = Assignment.objects.bulk_create(
            Assignment(
                mentee=m,
                mentor=mentors[i % len(mentors)],
                assigned_by=coordinator,
                started_on=today - timedelta(days=40),
            )
            for i, m in enumerate(mentees)
        )
        CheckInSchedule.objects.bulk_create(
            CheckInSchedule(assignment=a, next_due_on=today + timedelta(days=1 if i % 2 else -10))
            for i, a in enumerate(assignments)
        )
        RecoveryPlan.objects.bulk_create(
            RecoveryPlan(
                mentee=m, status="active", created_by=coordinator, review_on=today - timedelta(3)
            )
            for m in mentees
        )
        CheckIn.objects.create(
            mentee=mentees[0],
            author=mentors[0],
            kind="attempt",
            delivery_method="phone",
            occurred_at=NOW - timedelta(hours=1),
            crisis_flag=False,
        )
        CheckIn.objects.create(
            mentee=mentees[-1],
            author=mentors[0],
            kind="self",
            occurred_at=NOW - timedelta(hours=1),
            crisis_flag=True,
        )


def warm_content_types() -> None:
    """Django caches content types per process: each test counts the sweep's
    own queries, whichever test ran before it."""
    for model in (CheckInSchedule, MenteeProfile, CheckIn, RecoveryPlan, Certification):
        ContentType.objects.get_for_model(model)


# One query for the programs' calendars, then one INSERT … SELECT for every
# kind the sweep writes (both gap thresholds, both plan-review kinds),
# whatever the number of programs and time zones. Renewal alerts also read
# the types and their CE requirements, then write the expiry bands and lapses
# in one statement, CE shortfalls in one and missing background checks in
# one, each to the holder and every admin at once.
BUDGETS = {
    reminders.remind_checkins_due: 2,
    reminders.alert_overdue_checkins: 2,
    reminders.flag_contact_gaps: 2,
    reminders.remind_recovery_capital_due: 2,
    remind_plan_reviews: 2,
    reminders.alert_unnotified_crises: 1,
    send_renewal_alerts: 6,
}
SWEEPS = list(BUDGETS)


def sweep_id(sweep) -> str:
    return sweep.__name__


@pytest.mark.parametrize("size", [6, 300])
@pytest.mark.parametrize("sweep", SWEEPS, ids=sweep_id)
def test_each_sweep_runs_its_few_queries_at_any_size(size, sweep, django_assert_num_queries):
    populate(size)
    warm_content_types()
    with django_assert_num_queries(BUDGETS[sweep]):
        created = sweep()
    assert created >= len(ZONES)


@pytest.mark.parametrize("sweep", SWEEPS, ids=sweep_id)
def test_more_admins_and_programs_cost_no_query(sweep):
    from django.test.utils import CaptureQueriesContext

    populate(6)
    warm_content_types()
    with CaptureQueriesContext(connection) as before:
        sweep()
    Notification.objects.all().delete()
    UserFactory.create_batch(4, admin=True)
    for zone in ("America/Chicago", "America/Denver", "Pacific/Honolulu"):
        ProgramFactory(time_zone=zone)
        ProgramFactory(time_zone=zone)
    with CaptureQueriesContext(connection) as after:
        sweep()
    assert len(after) == len(before) == BUDGETS[sweep]


def identity_values_drawn() -> int:
    """How far the notification table's identity sequence has gone: an INSERT
    … ON CONFLICT DO NOTHING draws a value for every row it tries."""
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"SELECT last_value FROM {sequence}")  # noqa: S608 (a name from the catalogue)
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.parametrize("sweep", SWEEPS, ids=sweep_id)
def test_a_rerun_with_nothing_new_tries_no_insert(sweep):
    require_postgres()
    populate(20)
    assert sweep() > 0
    drawn = identity_values_drawn()
    assert sweep() == 0
    assert identity_values_drawn() == drawn


# --- The contact-gap sweep and the coordinators' gap list are one rule ------------------


# 05:30 UTC: already the 27th in New York, still the 26th in Los Angeles. The
# sweeps' dates are one constant when every calendar shows the same day (NOW)
# and a value per zone when they do not (core.dates.per_calendar): both kept.
SPLIT = datetime(2026, 11, 27, 5, 30, tzinfo=UTC)
OTHER_ZONE = {"America/Los_Angeles": "America/New_York", "America/New_York": "America/Los_Angeles"}


@pytest.mark.parametrize("clock", [NOW, SPLIT], ids=["one day everywhere", "two days"])
@pytest.mark.parametrize("zone", ["America/Los_Angeles", "America/New_York"])
def test_the_gap_sweep_flags_the_dashboards_gaps_on_every_boundary_day(zone, clock):
    """Last contacts just after midnight and just before, on each side of the
    14- and 30-day lines, and mentees never contacted whose assignment
    started on those days: the sweep flags exactly the mentees the
    coordinators' list shows (checkins.selectors.mentees_without_contact_since),
    under the same gap date; with a program in the other zone, on the same
    day as this one or not."""
    program = ProgramFactory(time_zone=zone)
    ProgramFactory(time_zone=OTHER_ZONE[zone])
    today = clock.astimezone(ZoneInfo(zone)).date()
    coordinator = UserFactory(coordinator=True, program=program)
    mentor = UserFactory(program=program)
    days = [12, 13, 14, 15, 28, 29, 30, 31]
    for n, ago in enumerate(days):
        day = today - timedelta(days=ago)
        for k, at in enumerate((time(0, 30), time(23, 30))):
            contacted = MenteeProfile.objects.create(
                program=program, preferred_name=f"C{n}.{k}", created_by=coordinator, status="active"
            )
            Assignment.objects.create(
                mentee=contacted,
                mentor=mentor,
                assigned_by=coordinator,
                started_on=today - timedelta(90),
            )
            CheckIn.objects.create(
                mentee=contacted,
                author=mentor,
                delivery_method="in_person",
                occurred_at=datetime.combine(day, at, tzinfo=ZoneInfo(zone)),
            )
            # Written around the services: the kept last contact follows, as
            # for the demo data.
            contact_dates_refresh(mentee=contacted)
        never = MenteeProfile.objects.create(
            program=program, preferred_name=f"N{n}", created_by=coordinator, status="active"
        )
        Assignment.objects.create(
            mentee=never, mentor=mentor, assigned_by=coordinator, started_on=day
        )
    reminders.flag_contact_gaps(now=clock)
    for threshold in (14, 30):
        gaps = mentees_without_contact_since(today - timedelta(days=threshold), time_zone=zone)
        expected = {(m.pk, f"{threshold}d:{m.gap_since.isoformat()}") for m in gaps}
        flagged = set(
            Notification.objects.filter(
                kind=f"contact_gap_{threshold}", recipient=coordinator
            ).values_list("subject_id", "due_key")
        )
        assert flagged == expected
        # Both sides of each line are in the grid.
        assert 0 < len(expected) < 3 * len(days)


def test_a_crisis_alerted_once_is_not_alerted_to_a_new_coordinator(program, coordinator):
    """The crisis sweep's anti-join is on the crisis, not on who was told."""
    mentor = UserFactory(program=program)
    mentee = MenteeProfile.objects.create(
        program=program, preferred_name="P", created_by=coordinator, status="active"
    )
    CheckIn.objects.create(
        mentee=mentee,
        author=mentor,
        kind="self",
        occurred_at=NOW - timedelta(hours=2),
        crisis_flag=True,
        crisis_notes="",
    )
    assert reminders.alert_unnotified_crises() == 1
    UserFactory(coordinator=True, program=program)
    assert reminders.alert_unnotified_crises() == 0


def test_renewal_alerts_reach_the_holder_and_every_admin_in_one_statement(program):
    """Five admins: each band's alert goes to the holder and the five."""
    admins = UserFactory.create_batch(5, admin=True)
    holder = UserFactory(program=program)
    today = NOW.astimezone(ZoneInfo(program.time_zone)).date()
    Certification.objects.create(
        holder=holder,
        certification_type=medi_cal(),
        training_completed_on=today - timedelta(days=800),
        exam_passed_on=today - timedelta(days=790),
        issued_on=today - timedelta(days=720),
        cycle_started_on=today - timedelta(days=720),
        expires_on=today + timedelta(days=5),
    )
    send_renewal_alerts()
    told = Notification.objects.filter(kind="cert_expiring_7")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [holder.pk, *(a.pk for a in admins)]
    )


def test_a_gap_is_flagged_to_each_active_coordinator_of_the_program_only(program, coordinator):
    """The gap rows are made once per mentee, then sent to the program's
    coordinators: not to one who left, a mentor, or another program's."""
    second = UserFactory(coordinator=True, program=program)
    UserFactory(coordinator=True, program=program, is_active=False)
    UserFactory(coordinator=True, program=ProgramFactory(time_zone=program.time_zone))
    mentor = UserFactory(program=program)
    mentee = MenteeProfile.objects.create(
        program=program, preferred_name="P", created_by=coordinator, status="active"
    )
    Assignment.objects.create(
        mentee=mentee, mentor=mentor, assigned_by=coordinator, started_on=NOW.date() - timedelta(40)
    )
    assert reminders.flag_contact_gaps() == 4  # 14 and 30 days, to two coordinators
    told = Notification.objects.values_list("recipient_id", "kind")
    assert sorted(told) == sorted(
        (person.pk, kind)
        for person in (coordinator, second)
        for kind in ("contact_gap_14", "contact_gap_30")
    )


@pytest.mark.parametrize("clock", [NOW, SPLIT], ids=["one day everywhere", "two days"])
def test_barc10_and_plan_reviews_are_dated_on_each_programs_calendar(clock):
    """In each of two programs (Los Angeles, New York), a mentee assessed 90
    days before its program's today (due) and one assessed 89 days before
    (not yet); a plan review a week after its today (soon), one on its today
    (neither) and one the day before (past). Whether or not the two
    calendars show the same day, each is dated on its own."""
    due, plans = set(), {}
    for zone in ZONES[1:]:
        program = ProgramFactory(time_zone=zone)
        today = clock.astimezone(ZoneInfo(zone)).date()
        coordinator = UserFactory(coordinator=True, program=program)
        mentor = UserFactory(program=program)
        for ago, review_in, review_kind in (
            (90, 7, "plan_review_soon"),
            (89, 0, None),
            (91, -1, "plan_review_past"),
        ):
            mentee = MenteeProfile.objects.create(
                program=program, preferred_name="P", created_by=coordinator, status="active"
            )
            Assignment.objects.create(
                mentee=mentee,
                mentor=mentor,
                assigned_by=coordinator,
                started_on=today - timedelta(200),
            )
            mentee.recovery_capital_assessments.create(
                entered_by=mentor,
                assessed_on=today - timedelta(days=ago),
                **{f"item_{n}": 4 for n in range(1, 11)},
            )
            if ago >= 90:
                due.add((mentee.pk, (today - timedelta(days=ago)).isoformat()))
            plan = RecoveryPlan.objects.create(
                mentee=mentee,
                status="active",
                created_by=coordinator,
                review_on=today + timedelta(days=review_in),
            )
            if review_kind:
                plans[plan.pk] = review_kind
    reminders.remind_recovery_capital_due(now=clock)
    remind_plan_reviews(now=clock)
    assert (
        set(
            Notification.objects.filter(kind="recovery_capital_due").values_list(
                "subject_id", "due_key"
            )
        )
        == due
    )
    assert (
        dict(
            Notification.objects.filter(kind__startswith="plan_review").values_list(
                "subject_id", "kind"
            )
        )
        == plans
    )


@pytest.mark.parametrize(
    ("sweep", "newcomer"),
    [
        (reminders.flag_contact_gaps, "coordinator"),
        (reminders.alert_overdue_checkins, "coordinator"),
        (send_renewal_alerts, "admin"),
    ],
    ids=["contact gaps", "overdue", "renewal"],
)
def test_a_rerun_tells_only_a_newcomer_what_the_others_were_told(sweep, newcomer):
    """A row that goes to several people is looked up once for all of them:
    after someone joins, the rerun writes their copies and nobody else's."""
    populate(6)
    sweep()
    before = set(Notification.objects.values_list("kind", "subject_id", "recipient_id", "due_key"))
    program = MenteeProfile.objects.first().program
    if newcomer == "admin":
        person = UserFactory(admin=True)
        # Each alert once more, to the new admin: what the first admin has.
        first_admin = User.objects.filter(role=Role.ADMIN).exclude(pk=person.pk).first()
        wanted = {
            (kind, subject, person.pk, due)
            for kind, subject, recipient, due in before
            if recipient == first_admin.pk
        }
    else:
        person = UserFactory(coordinator=True, program=program)
        told = program.members.filter(role=Role.COORDINATOR).exclude(pk=person.pk).first()
        wanted = {
            (kind, subject, person.pk, due)
            for kind, subject, recipient, due in before
            if recipient == told.pk
        }
    assert wanted
    assert sweep() == len(wanted)
    after = set(Notification.objects.values_list("kind", "subject_id", "recipient_id", "due_key"))
    assert after - before == wanted
    assert sweep() == 0
