"""Reads of check-ins, schedules and assessments, scoped to the viewer."""

import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate

from accounts.models import Program, User
from core.dates import program_date, program_today
from mentorship.choices import MenteeStatus
from mentorship.models import Assignment, MenteeProfile

from .models import CheckIn, CheckInDraft, CheckInSchedule, RecoveryCapitalAssessment
from .timeline_events import TimelineEvent, timeline_events

WATCH_LIMIT = 50  # rows per list on the coordinator's dashboard; counts show the rest
# A mentee not reached for this many days shows as a contact gap.
CONTACT_GAP_DAYS = 14


def _open_crisis():
    return Exists(
        CheckIn.objects.counted().filter(
            mentee=OuterRef("mentee_id"), crisis_flag=True, crisis_handled_at__isnull=True
        )
    )


def caseload_with_checkins(*, mentor: User) -> list[Assignment]:
    """A mentor's active assignments with last contact, next due date and
    crisis badge, in one query."""
    rows = list(
        Assignment.objects.visible_to(mentor)
        .filter(mentor=mentor)
        .select_related("mentee__program")
        .annotate(
            last_contact_at=last_contact_subquery("mentee_id"),
            next_due_on=F("schedule__next_due_on"),
            open_crisis=_open_crisis(),
        )
        .order_by("mentee__preferred_name")
    )
    program = mentor.program
    today = program_today(program)
    for row in rows:
        row.days_since_contact = (
            (today - program_date(row.last_contact_at, program)).days
            if row.last_contact_at
            else None
        )
        row.overdue = row.next_due_on is not None and row.next_due_on < today
    return rows


def coordinator_watch(*, program: Program, today: date | None = None) -> dict:
    """Overdue check-ins, open crisis flags and contact gaps of a program: six
    queries (a list and a count each) whatever its size."""
    today = today or program_today(program)
    overdue = CheckInSchedule.objects.active().filter(
        assignment__mentee__program=program,
        next_due_on__lt=today - timedelta(days=program.overdue_grace_days),
    )
    crises = CheckIn.objects.counted().filter(
        mentee__program=program, crisis_flag=True, crisis_handled_at__isnull=True
    )
    gaps = mentees_without_contact_since(
        today - timedelta(days=CONTACT_GAP_DAYS), time_zone=program.time_zone
    ).filter(program=program)
    return {
        "overdue": list(
            overdue.select_related("assignment__mentee", "assignment__mentor").order_by(
                "next_due_on"
            )[:WATCH_LIMIT]
        ),
        "overdue_count": overdue.count(),
        "crises": list(
            crises.select_related("mentee", "author").order_by("occurred_at")[:WATCH_LIMIT]
        ),
        "crisis_count": crises.count(),
        "gaps": [
            (mentee, (today - mentee.gap_since).days)
            for mentee in gaps.order_by("gap_since")[:WATCH_LIMIT]
        ],
        "gap_count": gaps.count(),
        "today": today,
    }


def timeline(*, mentee: MenteeProfile) -> dict:
    """Everything that happened with a mentee, newest first: two queries, and
    one per registered provider of other apps' events."""
    checkins = list(
        CheckIn.objects.filter(mentee=mentee).select_related("author").order_by("-occurred_at")
    )
    assessments = list(
        RecoveryCapitalAssessment.objects.filter(mentee=mentee).order_by("assessed_on")
    )
    events: list[tuple[date, str, CheckIn | RecoveryCapitalAssessment | TimelineEvent]] = [
        (program_date(c.occurred_at, mentee.program), "checkin", c) for c in checkins
    ]
    events += [(a.assessed_on, "assessment", a) for a in assessments]
    # Other apps' events (referrals): one query per provider.
    events += [(e.day, "other", e) for e in timeline_events(mentee)]
    events.sort(key=lambda e: (e[0], e[1] == "checkin"), reverse=True)
    return {"checkins": checkins, "assessments": assessments, "events": events}


def last_checkin(*, mentee: MenteeProfile) -> CheckIn | None:
    return CheckIn.objects.filter(mentee=mentee).contacts().order_by("-occurred_at").first()


def key_is_used(key) -> bool:
    """Whether a check-in was already made with this idempotency key."""
    try:
        parsed = uuid.UUID(str(key))
    except ValueError:
        return False
    return CheckIn.objects.filter(idempotency_key=parsed).exists()


def draft_values(draft: CheckInDraft) -> dict:
    """A draft's filled-in values for the form, never a used idempotency key:
    offering one would answer the next check-in with the old row."""
    values = {key: value for key, value in draft.data.items() if value not in ("", None)}
    if key_is_used(values.get("idempotency_key")):
        values.pop("idempotency_key")
    return values


def draft_for(*, author: User, mentee: MenteeProfile) -> CheckInDraft | None:
    return CheckInDraft.objects.filter(author=author, mentee=mentee).first()


def checkin_list(*, user: User) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.visible_to(user)
        .select_related("mentee", "author", "mentor")
        .prefetch_related("goals_discussed")
    )


def schedule_for(*, mentee: MenteeProfile) -> CheckInSchedule | None:
    return (
        CheckInSchedule.objects.filter(assignment__mentee=mentee, assignment__ended_at__isnull=True)
        .select_related("assignment")
        .first()
    )


def last_contact_subquery(mentee_ref: str = "pk"):
    """When the mentee was last reached (a check-in with contact made)."""
    return Subquery(
        CheckIn.objects.contacts()
        .filter(mentee=OuterRef(mentee_ref))
        .order_by()
        .values("mentee")
        .annotate(last=Max("occurred_at"))
        .values("last")[:1]
    )


def mentees_without_contact_since(day: date, *, time_zone: str):
    """Active, assigned mentees whose last contact (or, never contacted, their
    assignment's start) is on or before `day`, contacts dated on the calendar
    of `time_zone` (the program's)."""
    return (
        MenteeProfile.objects.filter(status=MenteeStatus.ACTIVE, assignments__ended_at__isnull=True)
        .annotate(
            last_contact_at=last_contact_subquery(),
            gap_since=Coalesce(
                TruncDate(last_contact_subquery(), tzinfo=ZoneInfo(time_zone)),
                F("assignments__started_on"),
            ),
        )
        .filter(gap_since__lte=day)
    )


def checkins_by_goal(plan) -> dict[int, list[CheckIn]]:
    """For each goal of a recovery plan, the check-ins that discussed it, newest
    first (one query). The plan page asks for it through the provider that
    apps.py registers with recovery_plans.goal_activity."""
    rows = (
        CheckIn.goals_discussed.through.objects.filter(
            goal__plan=plan, checkin__voided_at__isnull=True
        )
        .select_related("checkin")
        .order_by("-checkin__occurred_at")
    )
    by_goal: dict[int, list[CheckIn]] = {}
    for row in rows:
        by_goal.setdefault(row.goal_id, []).append(row.checkin)
    return by_goal
