"""Generated data for the bench, written straight into the tables (bulk
INSERTs; the rules are tested on the services), with what each sweep should
find in it counted as it is written.

Every share below is drawn from a seeded generator, so two runs at one size
make the same data; every date is a program's own day (core.dates) at the
instant `now` the phase runs with.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max

from accounts.models import Program, Role, User
from certification.models import (
    CECategoryRequirement,
    Certification,
    CertificationType,
    ContinuingEducation,
)
from checkins.models import CheckIn, CheckInSchedule, RecoveryCapitalAssessment
from checkins.recovery_capital import REASSESS_EVERY_DAYS
from core.dates import local_today
from mentorship.models import Assignment, MenteeProfile, MentorProfile
from notifications.models import Notification
from recovery_plans.models import Goal, RecoveryPlan
from recovery_plans.reminders import REVIEW_NOTICE_DAYS

BATCH = 5000
COORDINATORS_PER_PROGRAM = 2
MENTEES_PER_MENTOR = 20
# The sweeps' programs: three on Pacific time, one on Eastern (two calendars).
SWEEP_PROGRAMS = [
    ("Bench North", "Sacramento", "America/Los_Angeles"),
    ("Bench Valley", "Fresno", "America/Los_Angeles"),
    ("Bench Bay", "Alameda", "America/Los_Angeles"),
    ("Bench East", "Kings", "America/New_York"),
]
GRACE_DAYS = 2


def bulk(model, rows, batch: int = BATCH) -> list:
    """bulk_create in batches; returns the rows with their keys."""
    made: list = []
    rows = list(rows)
    for start in range(0, len(rows), batch):
        made += model.objects.bulk_create(rows[start : start + batch])
    return made


class quiet_triggers:
    """Generated rows are not changes anyone made: PostgreSQL's change triggers
    (audit_changeevent) are skipped while they are written, where the role may
    (a superuser's session_replication_role). Elsewhere they run, only slower."""

    def __enter__(self):
        self.set = False
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                (superuser,) = cursor.fetchone()
                if superuser:
                    cursor.execute("SET session_replication_role = replica")
                    self.set = True
        return self

    def __exit__(self, *exc):
        if self.set:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")


def noon(day: date, zone: str) -> datetime:
    """Mid-day of a program's day: its date is the same in every reading."""
    return datetime.combine(day, time(12), tzinfo=ZoneInfo(zone))


def vacuum() -> None:
    """What autovacuum does a little after a bulk load: fresh planner
    statistics and the visibility map (so index-only scans need no heap).
    Outside any transaction (VACUUM refuses to run in one)."""
    if connection.vendor == "postgresql" and connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


# --- The sweeps' data ----------------------------------------------------------------


@dataclass
class SweepShape:
    mentees: int
    programs: int
    mentors: int
    coordinators: int
    checkins: int
    assessments: int
    plans: int
    old_notifications: int
    shares: dict[str, int] = field(default_factory=dict)  # mentees in each case
    expected: dict[str, int] = field(default_factory=dict)  # notifications per sweep


def _program(name: str, county: str, zone: str) -> Program:
    return Program.objects.create(
        name=name, county=county, time_zone=zone, overdue_grace_days=GRACE_DAYS
    )


def _staff(program: Program, role: str, count: int, tag: str) -> list[User]:
    users = bulk(
        User,
        (
            User(
                email=f"{tag}{i}.{program.pk}@bench.test",
                full_name=f"{role.title()} {tag}{i}",
                role=role,
                program=program,
            )
            for i in range(count)
        ),
    )
    if role == Role.MENTOR:
        bulk(
            MentorProfile,
            (MentorProfile(user=u, county=program.county, caseload_capacity=50) for u in users),
        )
    return users


@transaction.atomic
def sweep_data(n: int, now: datetime, seed: int = 13) -> SweepShape:
    """`n` active mentees across four programs, each assigned, scheduled,
    contacted, assessed and with an active plan, in realistic shares:

    - check-ins: 90% due in the coming week (a seventh of them tomorrow),
      10% overdue by 3 to 20 days (past the programs' 2 grace days);
    - last contact: 80% within 13 days, 12% 14 to 29 days ago, 5% 30 to 60
      days ago, 3% never (their assignment started 40 to 200 days ago);
      every contacted mentee has three contacts a week apart, 10% an attempt
      since (not a contact) and 1% a voided contact since (not counted);
    - BARC-10: 85% within 89 days, 10% 90 to 120 days ago, 5% never;
    - plan reviews: due from 10 days ago to 80 days ahead;
    - open crises without an alert: 0.2%;
    - notification history: one older check-in reminder per mentee, and an
      older contact-gap flag for a fifth of them.
    """
    rng = random.Random(seed)
    shares: Counter = Counter()
    expected: Counter = Counter()
    mentees_made = checkins_made = assessments_made = 0
    per_program = [n // len(SWEEP_PROGRAMS)] * len(SWEEP_PROGRAMS)
    per_program[0] += n - sum(per_program)
    mentors_total = coordinators_total = 0
    ctype_schedule = ContentType.objects.get_for_model(CheckInSchedule)
    ctype_mentee = ContentType.objects.get_for_model(MenteeProfile)
    old: list[Notification] = []
    with quiet_triggers():
        for (name, county, zone), size in zip(SWEEP_PROGRAMS, per_program, strict=True):
            if not size:
                continue
            today = local_today(zone, now)
            program = _program(name, county, zone)
            coordinators = _staff(program, Role.COORDINATOR, COORDINATORS_PER_PROGRAM, "c")
            mentors = _staff(program, Role.MENTOR, max(1, size // MENTEES_PER_MENTOR), "m")
            mentors_total += len(mentors)
            coordinators_total += len(coordinators)
            recipients = len(coordinators)
            mentees = bulk(
                MenteeProfile,
                (
                    MenteeProfile(
                        program=program,
                        preferred_name=f"P{i}",
                        created_by=coordinators[0],
                        status="active",
                        intake_date=today - timedelta(days=220),
                        status_changed_on=today - timedelta(days=220),
                    )
                    for i in range(size)
                ),
            )
            mentees_made += len(mentees)
            started = [today - timedelta(days=rng.randint(40, 200)) for _ in mentees]
            assignments = bulk(
                Assignment,
                (
                    Assignment(
                        mentee=m,
                        mentor=mentors[i % len(mentors)],
                        assigned_by=coordinators[0],
                        started_on=started[i],
                        started_at=noon(started[i], zone),
                    )
                    for i, m in enumerate(mentees)
                ),
            )
            schedules, checkins, assessments, plans = [], [], [], []
            for i, (mentee, assignment) in enumerate(zip(mentees, assignments, strict=True)):
                mentor = mentors[i % len(mentors)]
                # The schedule.
                if rng.random() < 0.9:
                    offset = rng.randint(0, 6)
                else:
                    offset = -rng.randint(GRACE_DAYS + 1, 20)
                due = today + timedelta(days=offset)
                schedules.append(CheckInSchedule(assignment=assignment, next_due_on=due))
                if offset == 1:
                    shares["due tomorrow"] += 1
                    expected["check-ins due"] += 1
                if due < today - timedelta(days=GRACE_DAYS):
                    shares["overdue"] += 1
                    expected["overdue"] += recipients
                # Contacts.
                draw = rng.random()
                if draw < 0.80:
                    last = rng.randint(0, 13)
                elif draw < 0.92:
                    last = rng.randint(14, 29)
                elif draw < 0.97:
                    last = rng.randint(30, 60)
                else:
                    last = None
                # A crisis is logged with the last contact (so it moves no gap).
                crisis = last is not None and rng.random() < 0.002
                if crisis:
                    shares["open crisis, not alerted"] += 1
                    expected["unalerted crises"] += recipients
                if last is None:
                    shares["never contacted"] += 1
                    gap_days = (today - started[i]).days
                else:
                    for k in range(3):
                        checkins.append(
                            _contact(
                                mentee,
                                mentor,
                                noon(today, zone),
                                last + 7 * k,
                                crisis_flag=crisis and k == 0,
                            )
                        )
                    if rng.random() < 0.10 and last > 1:
                        checkins.append(
                            _contact(mentee, mentor, noon(today, zone), 1, kind="attempt")
                        )
                    if rng.random() < 0.01 and last > 1:
                        checkins.append(
                            _contact(mentee, mentor, noon(today, zone), 1, voided_by=mentor)
                        )
                    gap_days = last
                for threshold in (14, 30):
                    if gap_days >= threshold:
                        shares[f"no contact for {threshold}+ days"] += 1
                        expected["contact gaps"] += recipients
                # BARC-10.
                draw = rng.random()
                assessed = (
                    rng.randint(0, 89)
                    if draw < 0.85
                    else rng.randint(90, 120)
                    if draw < 0.95
                    else None
                )
                if assessed is not None:
                    assessments.append(_barc(mentee, mentor, today - timedelta(days=assessed)))
                    if assessed > 60:
                        assessments.append(
                            _barc(mentee, mentor, today - timedelta(days=assessed + 90))
                        )
                if assessed is None or assessed >= REASSESS_EVERY_DAYS:
                    shares["BARC-10 due"] += 1
                    expected["BARC-10 due"] += 1
                # The plan.
                review = rng.randint(-10, 80)
                plans.append(
                    RecoveryPlan(
                        mentee=mentee,
                        status=RecoveryPlan.Status.ACTIVE,
                        created_by=mentor,
                        review_on=today + timedelta(days=review),
                    )
                )
                if review == REVIEW_NOTICE_DAYS or review < 0:
                    shares["plan review soon or past"] += 1
                    expected["plan reviews"] += 1
                # History: yesterday's sweeps, older keys.
                old.append(
                    Notification(
                        recipient=mentor,
                        kind="checkin_due",
                        subject_type=ctype_schedule,
                        subject_id=0,  # set below, once the schedules have keys
                        due_key=(today - timedelta(days=7 - offset % 7)).isoformat(),
                        state=Notification.State.SENT,
                        created_at=now - timedelta(days=7),
                        sent_at=now - timedelta(days=7),
                    )
                )
                if i % 5 == 0:
                    old.append(
                        Notification(
                            recipient=coordinators[0],
                            kind="contact_gap_14",
                            subject_type=ctype_mentee,
                            subject_id=mentee.pk,
                            due_key=f"14d:{(today - timedelta(days=400)).isoformat()}",
                            state=Notification.State.SENT,
                            created_at=now - timedelta(days=30),
                            sent_at=now - timedelta(days=30),
                        )
                    )
            schedules = bulk(CheckInSchedule, schedules)
            scheduled = iter(schedules)
            for row in old:
                if row.kind == "checkin_due" and row.subject_id == 0:
                    row.subject_id = next(scheduled).pk
            checkins_made += len(bulk(CheckIn, checkins))
            assessments_made += len(bulk(RecoveryCapitalAssessment, assessments))
            bulk(RecoveryPlan, plans)
        bulk(Notification, old)
        keep_last_contacts()
    return SweepShape(
        mentees=mentees_made,
        programs=len(SWEEP_PROGRAMS),
        mentors=mentors_total,
        coordinators=coordinators_total,
        checkins=checkins_made,
        assessments=assessments_made,
        plans=mentees_made,
        old_notifications=len(old),
        shares=dict(shares),
        expected=dict(expected),
    )


def keep_last_contacts() -> None:
    """MenteeProfile.last_contact_at as the services keep it (checkin_log,
    contact_dates_refresh): the check-ins here are written around them, so the
    column is set from the contacts that count, in one statement."""
    contacts = CheckIn.objects.contacts()
    sql, params = (
        contacts.order_by()
        .values("mentee_id")
        .annotate(last=Max("occurred_at"))
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {MenteeProfile._meta.db_table} AS m SET last_contact_at = c.last "  # noqa: S608
            f"FROM ({sql}) AS c WHERE c.mentee_id = m.id",
            params,
        )


def _contact(mentee, mentor, today_noon: datetime, days_ago: int, **fields) -> CheckIn:
    voided_by = fields.pop("voided_by", None)
    values = {
        "kind": CheckIn.Kind.CONTACT,
        "delivery_method": "phone",
        "duration_minutes": 20,
        "mood": 3,
        "craving_level": 2,
        "substance_use_days": 0,
    }
    if fields.get("kind") == "attempt":
        values = {"kind": "attempt", "delivery_method": "phone"}
    if voided_by is not None:
        fields |= {
            "voided_at": today_noon,
            "voided_by": voided_by,
            "void_reason": "Entered by mistake",
        }
    return CheckIn(
        mentee=mentee,
        mentor=mentor,
        author=mentor,
        occurred_at=today_noon - timedelta(days=days_ago),
        **(values | fields),
    )


def _barc(mentee, mentor, day: date) -> RecoveryCapitalAssessment:
    items = {f"item_{k}": 4 for k in range(1, 11)}
    return RecoveryCapitalAssessment(
        mentee=mentee, assessed_on=day, entered_by=mentor, total=40, **items
    )


# --- Certifications --------------------------------------------------------------------

CERT_PROGRAMS = [
    ("Cert North", "Sacramento", "America/Los_Angeles"),
    ("Cert Valley", "Fresno", "America/Los_Angeles"),
    ("Cert East", "Kings", "America/New_York"),
]
COUNTY_CHECKED = "Bench county-checked peer specialist"


@dataclass
class CertificationShape:
    certifications: int
    holders: int
    ce_entries: int
    statuses: dict[str, int] = field(default_factory=dict)


def certification_types() -> list[CertificationType]:
    """The two seeded types (put back if a test flushed them) and one whose
    window is 45 days and whose counties ask for a background check."""
    from importlib import import_module

    from django.apps import apps

    import_module("certification.migrations.0002_seed_certification_types").seed(apps, None)
    checked, made = CertificationType.objects.get_or_create(
        name=COUNTY_CHECKED,
        defaults={
            "issuing_body": "Bench board",
            "renewal_window_days": 45,
            "background_check_counties": ["fresno", "Kings "],
        },
    )
    if made:
        CECategoryRequirement.objects.create(
            certification_type=checked, category="crisis", hours=Decimal("4")
        )
    return list(CertificationType.objects.order_by("pk"))


@transaction.atomic
def certification_data(count: int, now: datetime, start: int = 0, seed: int = 4) -> int:
    """`count` certifications, two per holder (holders numbered from `start`
    so that more can be added later), spread over three programs and three
    types: expiries from 60 days ago to 25 months ahead, 3% in progress, 1%
    suspended; two CE entries per holder in the cycle (approved, pending,
    rejected or voided). Returns how many certifications were made."""
    rng = random.Random(seed + start)
    types = certification_types()
    programs = []
    for name, county, zone in CERT_PROGRAMS:
        program = Program.objects.filter(name=name).first() or _program(name, county, zone)
        programs.append(program)
    approver = User.objects.filter(role=Role.ADMIN, is_active=True).first() or User.objects.create(
        email="approver@bench.test", full_name="Approver", role=Role.ADMIN
    )
    holders_needed = (count + 1) // 2
    holders = bulk(
        User,
        (
            User(
                email=f"h{start + i}@bench.test",
                full_name=f"Holder {rng.randint(0, 10**6):06d} {start + i}",
                role=Role.MENTOR,
                program=programs[(start + i) % len(programs)],
            )
            for i in range(holders_needed)
        ),
    )
    certifications, entries = [], []
    for i, holder in enumerate(holders):
        program = programs[(start + i) % len(programs)]
        today = local_today(program.time_zone, now)
        for ctype in rng.sample(types, 2):
            if len(certifications) == count:
                break
            certifications.append(_certification(rng, holder, ctype, today))
        for k in range(2):
            entries.append(_ce(rng, holder, today - timedelta(days=30 + 200 * k), approver, now))
    with quiet_triggers():
        bulk(Certification, certifications)
        bulk(ContinuingEducation, entries)
    return len(certifications)


def _certification(rng, holder, ctype, today: date) -> Certification:
    draw = rng.random()
    if draw < 0.03:
        return Certification(holder=holder, certification_type=ctype, number="")
    expires = today + timedelta(days=rng.randint(-60, 760))
    issued = expires - timedelta(days=730)
    fields = {
        "number": f"B-{holder.pk}-{ctype.pk}",
        "training_completed_on": issued - timedelta(days=60),
        "exam_passed_on": issued - timedelta(days=30),
        "issued_on": issued,
        "cycle_started_on": issued,
        "expires_on": expires,
        "background_check_on": issued if rng.random() < 0.5 else None,
    }
    if draw < 0.04:
        fields |= {
            "manual_status": "suspended",
            "manual_status_reason": "Under review",
            "manual_status_on": today,
        }
    return Certification(holder=holder, certification_type=ctype, **fields)


def _ce(rng, holder, day: date, approver, now: datetime) -> ContinuingEducation:
    draw = rng.random()
    fields: dict = {}
    if draw < 0.6:
        fields = {"approved_by": approver, "approved_at": now}
    elif draw < 0.7:
        fields = {"rejected_by": approver, "rejected_at": now, "rejection_reason": "No evidence"}
    elif draw < 0.75:
        fields = {"voided_by": holder, "voided_at": now, "void_reason": "Twice"}
    return ContinuingEducation(
        holder=holder,
        course_title="Motivational interviewing",
        provider="CalMHSA",
        completed_on=day,
        hours=Decimal(rng.choice(["2", "4", "6", "8"])),
        category=rng.choice(["law_and_ethics", "crisis", "other"]),
        **fields,
    )


# --- The pages' data -------------------------------------------------------------------

WEB_MENTEES = 1000
WEB_MENTORS = 20
CASELOAD = 50
CHECKINS_PER_MENTEE = 10


@dataclass
class WebData:
    program: Program
    coordinator: User
    mentor: User  # the one with CASELOAD mentees
    mentees: int
    checkins: int
    caseload: list[int]  # the mentor's mentee ids


@transaction.atomic
def web_data(now: datetime, size: int = WEB_MENTEES, seed: int = 7) -> WebData:
    """One program (Pacific time) of `size` active mentees among
    WEB_MENTORS mentors, the first mentor with CASELOAD of them; each mentee
    with CHECKINS_PER_MENTEE check-ins over ten weeks, a BARC-10 and an active
    plan of three goals; a tenth of schedules overdue, an open crisis in 200."""
    from allauth.mfa.models import Authenticator

    rng = random.Random(seed)
    zone = "America/Los_Angeles"
    today = local_today(zone, now)
    program = _program("Bench Web", "Sacramento", zone)
    (coordinator,) = _staff(program, Role.COORDINATOR, 1, "webc")
    # A second factor on record, as every coordinator has after sign-in.
    Authenticator.objects.create(
        user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "BENCHBENCHBENCHB"}
    )
    mentors = _staff(program, Role.MENTOR, WEB_MENTORS, "webm")
    mentor = mentors[0]
    certification_types()
    medi_cal = CertificationType.objects.get(name="Medi-Cal Peer Support Specialist")
    Certification.objects.create(
        holder=mentor,
        certification_type=medi_cal,
        number="B-WEB-1",
        training_completed_on=today - timedelta(days=500),
        exam_passed_on=today - timedelta(days=480),
        issued_on=today - timedelta(days=400),
        cycle_started_on=today - timedelta(days=400),
        expires_on=today + timedelta(days=330),
    )
    with quiet_triggers():
        mentees = bulk(
            MenteeProfile,
            (
                MenteeProfile(
                    program=program,
                    preferred_name=f"{rng.choice(NAMES)} {i}",
                    legal_name=f"{rng.choice(NAMES)} {rng.choice(NAMES)}son",
                    county="Sacramento",
                    created_by=coordinator,
                    status="active",
                    remote_consent="video",
                    remote_consent_on=today - timedelta(days=100),
                    intake_date=today - timedelta(days=100),
                    status_changed_on=today - timedelta(days=100),
                )
                for i in range(size)
            ),
        )
        owner = [
            mentor if i < CASELOAD else mentors[1 + i % (WEB_MENTORS - 1)]
            for i in range(len(mentees))
        ]
        assignments = bulk(
            Assignment,
            (
                Assignment(
                    mentee=m,
                    mentor=owner[i],
                    assigned_by=coordinator,
                    started_on=today - timedelta(days=90),
                    started_at=noon(today - timedelta(days=90), zone),
                )
                for i, m in enumerate(mentees)
            ),
        )
        bulk(
            CheckInSchedule,
            (
                CheckInSchedule(
                    assignment=a,
                    next_due_on=today
                    + timedelta(days=-rng.randint(3, 9) if i % 10 == 0 else rng.randint(0, 6)),
                )
                for i, a in enumerate(assignments)
            ),
        )
        checkins = []
        for i, mentee in enumerate(mentees):
            last = rng.randint(0, 20)
            for k in range(CHECKINS_PER_MENTEE):
                checkins.append(
                    _contact(
                        mentee,
                        owner[i],
                        noon(today, zone),
                        last + 7 * k,
                        notes="Talked about the week.",
                        crisis_flag=(k == 0 and i % 200 == 0),
                        support_types=["emotional"],
                    )
                )
        bulk(CheckIn, checkins)
        keep_last_contacts()
        bulk(
            RecoveryCapitalAssessment,
            (
                _barc(m, owner[i], today - timedelta(days=rng.randint(0, 120)))
                for i, m in enumerate(mentees)
            ),
        )
        plans = bulk(
            RecoveryPlan,
            (
                RecoveryPlan(
                    mentee=m,
                    status=RecoveryPlan.Status.ACTIVE,
                    created_by=owner[i],
                    review_on=today + timedelta(days=rng.randint(-10, 80)),
                    activated_at=now - timedelta(days=60),
                )
                for i, m in enumerate(mentees)
            ),
        )
        bulk(
            Goal,
            (
                Goal(plan=p, domain=domain, description=f"A goal about {domain}", order=k)
                for p in plans
                for k, domain in enumerate(["health", "home", "purpose"])
            ),
        )
    return WebData(
        program=program,
        coordinator=coordinator,
        mentor=mentor,
        mentees=len(mentees),
        checkins=len(checkins),
        caseload=[m.pk for m in mentees[:CASELOAD]],
    )


NAMES = [
    "Alex", "Sam", "Jordan", "Casey", "Riley", "Morgan", "Taylor", "Jamie", "Avery", "Quinn",
    "Rosa", "Luis", "Mei", "Tariq", "Nia", "Omar", "Ines", "Kofi", "Hana", "Ravi",
]  # fmt: skip
