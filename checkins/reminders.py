"""The reminder sweeps. Each reads the programs' time zones once, then writes
each kind of notification with one INSERT … SELECT for every zone at once (a
row is dated on its own program's calendar: core.dates.on_each_calendar),
whatever the number of mentees, programs or zones. What was notified before
is left out by an anti-join on the notification key, so a rerun with nothing
new inserts nothing (notifications.services.notifications_insert_from).

"Today" is the program's own date, so a reminder for a Pacific program goes
out on the Pacific day, not the UTC one.
"""

from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate

from accounts.models import Program, Role, User
from accounts.selectors import program_days
from core.dates import dated_on, local_today, on_each_calendar, per_calendar, start_of_day
from mentorship.choices import MenteeStatus
from mentorship.models import MenteeProfile
from notifications.models import Notification
from notifications.services import NotificationSource, notifications_insert_from

from .models import CRISIS_DUE_KEY, CheckIn, CheckInSchedule, RecoveryCapitalAssessment
from .recovery_capital import REASSESS_EVERY_DAYS

CONTACT_GAP_THRESHOLDS = (14, 30)


def _as_text(expression):
    return Cast(expression, output_field=CharField())


def remind_checkins_due(*, now: datetime | None = None) -> int:
    """Mentors: a check-in is due tomorrow (their program's tomorrow)."""
    days = dated_on("assignment__mentee__program__time_zone", program_days(now))
    due = on_each_calendar(days, lambda today: Q(next_due_on=today + timedelta(days=1)))
    return notifications_insert_from(
        kind="checkin_due",
        subject_model=CheckInSchedule,
        queryset=CheckInSchedule.objects.active().filter(due),
        recipient=F("assignment__mentor_id"),
        subject=F("pk"),
        due_key=_as_text(F("next_due_on")),
    )


def alert_overdue_checkins(*, now: datetime | None = None) -> int:
    """Coordinators: a check-in is overdue by more than the program's grace days.
    Each overdue schedule's row is made once, then sent to each active
    coordinator of its program."""
    program = "assignment__mentee__program"
    groups = Program.objects.order_by().values_list("time_zone", "overdue_grace_days").distinct()
    overdue = reduce(
        or_,
        (
            Q(
                **{
                    f"{program}__time_zone": time_zone,
                    f"{program}__overdue_grace_days": grace,
                    "next_due_on__lt": local_today(time_zone, now) - timedelta(days=grace),
                }
            )
            for time_zone, grace in groups
        ),
        Q(pk__in=[]),
    )
    return notifications_insert_from(
        kind="checkin_overdue",
        subject_model=CheckInSchedule,
        queryset=CheckInSchedule.objects.active().filter(overdue),
        recipient=F(f"{program}_id"),
        subject=F("pk"),
        due_key=_as_text(F("next_due_on")),
        recipients_of=(User.objects.filter(role=Role.COORDINATOR, is_active=True), "program_id"),
    )


def flag_contact_gaps(*, now: datetime | None = None) -> int:
    """Coordinators: active mentees with no contact for 14 and for 30 days.

    The rule is checkins.selectors.mentees_without_contact_since (the
    coordinators' list): the gap runs from the program's day of the last
    contact, or from the assignment's start for a mentee never reached. Here
    it is asked the cheap way round — no contact since the line, which one
    index probe per mentee answers — and the gap's date is computed only for
    the mentees in one (tests/test_sweep_costs.py holds the two together)."""
    days = program_days(now)
    return notifications_insert_from(
        subject_model=MenteeProfile,
        sources=[
            NotificationSource(
                queryset=_in_a_gap(days, threshold),
                kind=f"contact_gap_{threshold}",
                # Each mentee's row once, then to each of its program's coordinators.
                recipient=F("program_id"),
                subject=F("pk"),
                # A new gap after a new contact is a new flag.
                due_key=Concat(Value(f"{threshold}d:"), _as_text(_gap_since(days))),
            )
            for threshold in CONTACT_GAP_THRESHOLDS
        ],
        recipients_of=(User.objects.filter(role=Role.COORDINATOR, is_active=True), "program_id"),
    )


def _in_a_gap(days: list[tuple[str, date]], threshold: int):
    """Active, assigned mentees not reached since the line: the kept, indexed
    MenteeProfile.last_contact_at (held to the check-ins by
    tests/checkins/test_contact_dates.py), no aggregate over the check-ins."""
    zone = "program__time_zone"
    if not days:
        return MenteeProfile.objects.none()
    # The latest of the calendars' lines, as one constant: the partial index
    # of active mentees' last contacts serves it (and "never reached"), so
    # only the mentees near a gap are read; the exact line of each mentee's
    # own calendar is then checked on those.
    latest_line = max(
        start_of_day(today - timedelta(days=threshold - 1), time_zone) for time_zone, today in days
    )
    return (
        MenteeProfile.objects.filter(
            Q(last_contact_at__lt=latest_line) | Q(last_contact_at__isnull=True),
            status=MenteeStatus.ACTIVE,
        )
        .annotate(
            # The gap's last day, and the first instant after it in the program's zone.
            gap_line=per_calendar(
                zone, days, lambda _, today: today - timedelta(days=threshold), DateField()
            ),
            contact_line=per_calendar(
                zone,
                days,
                lambda time_zone, today: start_of_day(
                    today - timedelta(days=threshold - 1), time_zone
                ),
                DateTimeField(),
            ),
        )
        .filter(
            Q(last_contact_at__lt=F("contact_line"))
            | Q(last_contact_at__isnull=True, assignments__started_on__lte=F("gap_line")),
            status=MenteeStatus.ACTIVE,
            assignments__ended_at__isnull=True,
        )
    )


def _gap_since(days: list[tuple[str, date]]):
    """The program's day of the last contact, else the assignment's start."""
    last_contact_day = Case(
        *(
            When(
                program__time_zone=time_zone,
                then=TruncDate("last_contact_at", tzinfo=ZoneInfo(time_zone)),
            )
            for time_zone, _ in days
        ),
        output_field=DateField(),
    )
    return Coalesce(last_contact_day, F("assignments__started_on"))


def remind_recovery_capital_due(*, now: datetime | None = None) -> int:
    """Mentors: a BARC-10 is due (none yet, or the last is 90 days old)."""
    days = program_days(now)
    assessments = RecoveryCapitalAssessment.objects.filter(mentee=OuterRef("pk"))
    last_assessed = Subquery(
        assessments.order_by().values("mentee").annotate(last=Max("assessed_on")).values("last")[:1]
    )
    due = MenteeProfile.objects.annotate(
        # Assessed after this day: not due yet.
        recent_line=per_calendar(
            "program__time_zone",
            days,
            lambda _, today: today - timedelta(days=REASSESS_EVERY_DAYS),
            DateField(),
        )
    ).filter(
        ~Exists(assessments.filter(assessed_on__gt=OuterRef("recent_line"))),
        status=MenteeStatus.ACTIVE,
        assignments__ended_at__isnull=True,
    )
    return notifications_insert_from(
        kind="recovery_capital_due",
        subject_model=MenteeProfile,
        queryset=due,
        recipient=F("assignments__mentor_id"),
        subject=F("pk"),
        due_key=Coalesce(_as_text(last_assessed), Value("intake")),
    )


def alert_unnotified_crises(*, now: datetime | None = None) -> int:
    """Coordinators: an open crisis check-in with no alert at all is alerted
    now. The outbox writes the alert with the check-in, so this finds only
    crises saved before it existed or while the program had no coordinator;
    a crisis already alerted is never alerted again to newcomers."""
    alerted = Notification.objects.filter(
        kind="crisis_flag",
        subject_type=ContentType.objects.get_for_model(CheckIn),
        subject_id=OuterRef("pk"),
    )
    crises = CheckIn.objects.filter(
        ~Exists(alerted),
        crisis_flag=True,
        crisis_handled_at__isnull=True,
        mentee__program__members__role=Role.COORDINATOR,
        mentee__program__members__is_active=True,
    )
    return notifications_insert_from(
        kind="crisis_flag",
        subject_model=CheckIn,
        queryset=crises,
        recipient=F("mentee__program__members__id"),
        subject=F("pk"),
        due_key=Value(CRISIS_DUE_KEY),
    )
