"""The reminder sweeps. Each is a handful of set-based statements whatever the
number of mentees: one read of the programs' time zones (and grace days), then
one INSERT … SELECT per group, made idempotent by the notification key.

"Today" is the program's own date, so a reminder for a Pacific program goes
out on the Pacific day, not the UTC one.
"""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat

from accounts.models import Program, Role, User
from core.dates import local_today
from mentorship.choices import MenteeStatus
from mentorship.models import MenteeProfile
from notifications.models import Notification
from notifications.services import notifications_insert_from

from .models import CRISIS_DUE_KEY, CheckIn, CheckInSchedule, RecoveryCapitalAssessment
from .recovery_capital import REASSESS_EVERY_DAYS
from .selectors import mentees_without_contact_since

CONTACT_GAP_THRESHOLDS = (14, 30)


def _as_text(expression):
    return Cast(expression, output_field=CharField())


def remind_checkins_due(*, now: datetime | None = None) -> int:
    """Mentors: a check-in is due tomorrow (their program's tomorrow)."""
    created = 0
    for time_zone in Program.objects.values_list("time_zone", flat=True).distinct():
        tomorrow = local_today(time_zone, now) + timedelta(days=1)
        created += notifications_insert_from(
            kind="checkin_due",
            subject_model=CheckInSchedule,
            queryset=CheckInSchedule.objects.active().filter(
                next_due_on=tomorrow, assignment__mentee__program__time_zone=time_zone
            ),
            recipient=F("assignment__mentor_id"),
            subject=F("pk"),
            due_key=_as_text(F("next_due_on")),
        )
    return created


def alert_overdue_checkins(*, now: datetime | None = None) -> int:
    """Coordinators: a check-in is overdue by more than the program's grace days."""
    created = 0
    groups = Program.objects.values_list("time_zone", "overdue_grace_days").distinct()
    for time_zone, grace in groups:
        overdue_before = local_today(time_zone, now) - timedelta(days=grace)
        prefix = "program__mentees__assignments"
        coordinators = User.objects.filter(
            role=Role.COORDINATOR,
            is_active=True,
            program__time_zone=time_zone,
            program__overdue_grace_days=grace,
            program__mentees__status=MenteeStatus.ACTIVE,
            **{
                f"{prefix}__ended_at__isnull": True,
                f"{prefix}__schedule__next_due_on__lt": overdue_before,
            },
        )
        created += notifications_insert_from(
            kind="checkin_overdue",
            subject_model=CheckInSchedule,
            queryset=coordinators,
            recipient=F("pk"),
            subject=F(f"{prefix}__schedule__id"),
            due_key=_as_text(F(f"{prefix}__schedule__next_due_on")),
        )
    return created


def flag_contact_gaps(*, now: datetime | None = None) -> int:
    """Coordinators: active mentees with no contact for 14 and for 30 days."""
    created = 0
    for time_zone in Program.objects.values_list("time_zone", flat=True).distinct():
        today = local_today(time_zone, now)
        for threshold in CONTACT_GAP_THRESHOLDS:
            gaps = mentees_without_contact_since(
                today - timedelta(days=threshold), time_zone=time_zone
            ).filter(
                program__time_zone=time_zone,
                program__members__role=Role.COORDINATOR,
                program__members__is_active=True,
            )
            created += notifications_insert_from(
                kind=f"contact_gap_{threshold}",
                subject_model=MenteeProfile,
                queryset=gaps,
                recipient=F("program__members__id"),
                subject=F("pk"),
                # A new gap after a new contact is a new flag.
                due_key=Concat(Value(f"{threshold}d:"), _as_text(F("gap_since"))),
            )
    return created


def remind_recovery_capital_due(*, now: datetime | None = None) -> int:
    """Mentors: a BARC-10 is due (none yet, or the last is 90 days old)."""
    created = 0
    last_assessed = Subquery(
        RecoveryCapitalAssessment.objects.filter(mentee=OuterRef("pk"))
        .order_by()
        .values("mentee")
        .annotate(last=Max("assessed_on"))
        .values("last")[:1]
    )
    for time_zone in Program.objects.values_list("time_zone", flat=True).distinct():
        today = local_today(time_zone, now)
        due = (
            MenteeProfile.objects.filter(
                status=MenteeStatus.ACTIVE,
                assignments__ended_at__isnull=True,
                program__time_zone=time_zone,
            )
            .annotate(last_assessed_on=last_assessed)
            .filter(
                Q(last_assessed_on__isnull=True)
                | Q(last_assessed_on__lte=today - timedelta(days=REASSESS_EVERY_DAYS))
            )
        )
        created += notifications_insert_from(
            kind="recovery_capital_due",
            subject_model=MenteeProfile,
            queryset=due,
            recipient=F("assignments__mentor_id"),
            subject=F("pk"),
            due_key=Coalesce(_as_text(F("last_assessed_on")), Value("intake")),
        )
    return created


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
