"""Reads of check-ins, schedules and assessments, scoped to the viewer."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from accounts.models import Program, User
from core import drafts
from core.dates import month_day, program_date, program_today
from core.links import link_to
from core.models import FormDraft
from core.together import Later
from mentorship.choices import MenteeStatus
from mentorship.models import Assignment, MenteeProfile, mentee_scope

from .models import (
    CheckIn,
    CheckInSchedule,
    GroupAttendance,
    GroupSession,
    RecoveryCapitalAssessment,
)
from .timeline_events import TimelineEvent, timeline_events

WATCH_LIMIT = 50  # rows per list on the coordinator's dashboard; counts show the rest
# A mentee not reached for this many days shows as a contact gap.
CONTACT_GAP_DAYS = 14


def open_crisis(mentee_ref: str = "pk") -> Exists:
    """Whether the mentee has a crisis flag nobody has handled yet (an index
    probe: checkin_open_crisis holds only open crises)."""
    return Exists(
        CheckIn.objects.filter(
            mentee=OuterRef(mentee_ref),
            crisis_flag=True,
            crisis_handled_at__isnull=True,
            voided_at__isnull=True,
        )
    )


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One mentee of a mentor's caseload, labelled for the page: the links,
    dates and phrases are worked out here, once for the list, so that the
    template only places them (a tag or a filter per cell costs more than
    the row's query)."""

    mentee_id: int
    name: str
    status_label: str
    timeline_url: str
    log_url: str
    detail_url: str  # only with a handoff note, which it links to
    assigned: str  # "today", "3 days ago"
    assigned_line: str  # "assigned 3 days ago" (HTML: escaped, marked safe)
    log_label: str  # the Log button's words with the mentee's name for screen readers (HTML)
    days_since_contact: int | None
    last_contact: str  # "16 days ago", "none yet"
    gap_badge: str  # "14+ days", "30+ days" or ""
    next_due: str  # "Nov 3" or "—"
    overdue: bool
    open_crisis: bool


@lru_cache(maxsize=1024)
def _days_ago(language: str | None, days: int) -> str:
    """The phrase for `days` in `language` (the active one: the key of the
    cache, which spares a translation lookup per row)."""
    if days == 0:
        return gettext("today")
    return ngettext("%(days)d day ago", "%(days)d days ago", days) % {"days": days}


@lru_cache(maxsize=16)
def _phrases(language: str | None) -> dict[str, str]:
    return {
        "none yet": gettext("none yet"),
        "14+": gettext("14+ days"),
        "30+": gettext("30+ days"),
        # The template's own words (the same messages), placed once per row
        # here rather than by a {% blocktranslate %} per row.
        "assigned": gettext("assigned %(when)s"),
        "log": gettext('Log<span class="visually-hidden"> a check-in with %(name)s</span>'),
    }


def _gap_badge(language: str | None, days: int | None) -> str:
    if days is None or days < CONTACT_GAP_DAYS:
        return ""
    return _phrases(language)["30+" if days >= 30 else "14+"]


def caseload_with_checkins(*, mentor: User) -> list[CaseloadRow]:
    """A mentor's active assignments with last contact, next due date and
    crisis badge, in one query (the last contact is kept on the mentee, the
    next due date on the assignment's schedule)."""
    return caseload_later(mentor=mentor).resolve()


def caseload_later(*, mentor: User) -> Later:
    """caseload_with_checkins, its rows read with others (core.together)."""
    rows = (
        Assignment.objects.visible_to(mentor)
        .filter(mentor=mentor)
        .annotate(
            has_handoff=ExpressionWrapper(~Q(handoff_summary=""), output_field=BooleanField()),
            open_crisis=open_crisis("mentee_id"),
        )
        .order_by("mentee__preferred_name", "mentee_id")
        .values_list(
            "mentee_id",
            "mentee__preferred_name",
            "mentee__status",
            "has_handoff",
            "started_on",
            "mentee__last_contact_at",
            "schedule__next_due_on",
            "open_crisis",
        )
    )
    return Later(rows, shape=lambda rows: _caseload_rows(mentor, rows))


def _caseload_rows(mentor: User, rows) -> list[CaseloadRow]:
    program = mentor.program
    today = program_today(program)
    statuses = dict(MenteeStatus.choices)
    timeline_url = link_to("checkins:timeline")
    log_url = link_to("checkins:log")
    detail_url = link_to("mentorship:mentee_detail")
    language = get_language()
    phrases = _phrases(language)
    none_yet = phrases["none yet"]
    caseload = []
    for mentee_id, name, status, has_handoff, started_on, last_contact_at, due, crisis in rows:
        since = (today - program_date(last_contact_at, program)).days if last_contact_at else None
        assigned = _days_ago(language, (today - started_on).days)
        caseload.append(
            CaseloadRow(
                mentee_id=mentee_id,
                name=name,
                status_label=statuses.get(status, status),
                timeline_url=timeline_url(mentee_id),
                log_url=log_url(mentee_id),
                detail_url=detail_url(mentee_id) if has_handoff else "",
                assigned=assigned,
                assigned_line=mark_safe(phrases["assigned"] % {"when": escape(assigned)}),  # noqa: S308 - escaped
                log_label=mark_safe(phrases["log"] % {"name": escape(name)}),  # noqa: S308 - escaped
                days_since_contact=since,
                last_contact=none_yet if since is None else _days_ago(language, since),
                gap_badge=_gap_badge(language, since),
                next_due=month_day(due) if due else "—",
                overdue=due is not None and due < today,
                open_crisis=crisis,
            )
        )
    return caseload


@dataclass(frozen=True, slots=True)
class WatchRow:
    """A row of one of the coordinator's watch lists, labelled for the page."""

    pk: int  # the schedule's, the check-in's or the mentee's, by list
    mentee_id: int
    name: str
    url: str  # the mentee's timeline, or the crisis check-in
    person: str  # the mentor (overdue) or the author (crisis)
    label: str  # "Nov 3" (due), "Nov 3, 14:05" (flagged) or "20" (days without contact)
    days: int = 0
    handled_url: str = ""  # where a crisis is marked handled
    # "by Ana" (crisis), "due Nov 3" (overdue), "20 days" (gap): the
    # template's own words placed here once per row (HTML: escaped, safe).
    phrase: str = ""


WATCH_LISTS = ("overdue", "crisis", "gap")


def coordinator_watch(*, program: Program, today: date | None = None) -> dict:
    """Overdue check-ins, open crisis flags and contact gaps of a program, up
    to WATCH_LIMIT rows each with the count of all: one query whatever its
    size (the three lists as a UNION ALL, each counted by a window)."""
    return coordinator_watch_later(program=program, today=today).resolve()


def coordinator_watch_later(*, program: Program, today: date | None = None) -> Later:
    """coordinator_watch, its rows read with others (core.together)."""
    today = today or program_today(program)

    def shaped(queryset, watch: str, **columns):
        # Every column an annotation, in the same order in each list, so the
        # three SELECTs line up in the UNION.
        return queryset.annotate(
            watch=Value(watch), **columns, total=Window(Count("*"))
        ).values_list("watch", *columns, "total")

    no_day = Value(None, output_field=DateField())
    no_moment = Value(None, output_field=DateTimeField())
    overdue = shaped(
        CheckInSchedule.objects.active()
        .filter(
            assignment__mentee__program=program,
            next_due_on__lt=today - timedelta(days=program.overdue_grace_days),
        )
        .order_by("next_due_on", "pk"),
        "overdue",
        row_id=F("pk"),
        row_mentee=F("assignment__mentee_id"),
        row_name=F("assignment__mentee__preferred_name"),
        row_person=F("assignment__mentor__full_name"),
        row_day=F("next_due_on"),
        row_moment=no_moment,
    )[:WATCH_LIMIT]
    crises = shaped(
        CheckIn.objects.counted()
        .filter(mentee__program=program, crisis_flag=True, crisis_handled_at__isnull=True)
        .order_by("occurred_at", "pk"),
        "crisis",
        row_id=F("pk"),
        row_mentee=F("mentee_id"),
        row_name=F("mentee__preferred_name"),
        row_person=F("author__full_name"),
        row_day=no_day,
        row_moment=F("occurred_at"),
    )[:WATCH_LIMIT]
    gaps = shaped(
        mentees_without_contact_since(
            today - timedelta(days=CONTACT_GAP_DAYS), time_zone=program.time_zone
        )
        .filter(program=program)
        .order_by("gap_since", "pk"),
        "gap",
        row_id=F("pk"),
        row_mentee=F("pk"),
        row_name=F("preferred_name"),
        row_person=Value(""),
        row_day=F("gap_since"),
        row_moment=no_moment,
    )[:WATCH_LIMIT]
    return Later(
        overdue.union(crises, gaps, all=True),
        shape=lambda rows: _watch_lists(program, today, rows),
    )


def _watch_lists(program: Program, today: date, rows) -> dict:
    lists: dict[str, list[WatchRow]] = {name: [] for name in WATCH_LISTS}
    counts = dict.fromkeys(WATCH_LISTS, 0)
    timeline_url = link_to("checkins:timeline")
    detail_url = link_to("checkins:detail")
    handled_url = link_to("checkins:crisis_handled")
    zone = ZoneInfo(program.time_zone)
    by, due = gettext("by %(name)s"), gettext("due %(on)s")
    for watch, pk, mentee_id, name, person, day, moment, total in rows:
        counts[watch] = total
        if watch == "crisis":
            local = moment.astimezone(zone)
            row = WatchRow(
                pk,
                mentee_id,
                name,
                detail_url(pk),
                person,
                f"{month_day(local.date())}, {local:%H:%M}",
                handled_url=handled_url(pk),
                phrase=mark_safe(by % {"name": escape(person)}),  # noqa: S308 - escaped
            )
        elif watch == "overdue":
            label = month_day(day)
            phrase = mark_safe(due % {"on": escape(label)})  # noqa: S308 - escaped
            row = WatchRow(
                pk, mentee_id, name, timeline_url(mentee_id), person, label, phrase=phrase
            )
        else:
            days = (today - day).days
            count = ngettext("%(label)s day", "%(label)s days", days) % {"label": days}
            row = WatchRow(
                pk, mentee_id, name, timeline_url(mentee_id), person, str(days), days, phrase=count
            )
        lists[watch].append(row)
    return {
        "overdue": lists["overdue"],
        "overdue_count": counts["overdue"],
        "crises": lists["crisis"],
        "crisis_count": counts["crisis"],
        "gaps": lists["gap"],
        "gap_count": counts["gap"],
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


def draft_form(mentee: MenteeProfile) -> str:
    """What a check-in's draft (core.drafts) is of: the form's own path."""
    return reverse("checkins:log", args=[mentee.pk])


def draft_values(draft: FormDraft) -> dict:
    """A draft's filled-in values for the form, never a used idempotency key:
    offering one would answer the next check-in with the old row."""
    values = {key: value for key, value in draft.data.items() if value not in ("", None)}
    if key_is_used(values.get("idempotency_key")):
        values.pop("idempotency_key")
    return values


def draft_for(*, author: User, mentee: MenteeProfile) -> FormDraft | None:
    return drafts.kept(author=author, form=draft_form(mentee))


def checkin_list(*, user: User) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.visible_to(user)
        .select_related("mentee", "author", "mentor")
        .prefetch_related("goals_discussed")
    )


def checkin_rows(*, user: User) -> QuerySet[CheckIn]:
    """The check-in list's rows: the columns its serializer reads
    (api.serializers.CheckInListSerializer), no notes, no goals."""
    return CheckIn.objects.visible_to(user).only(*CHECKIN_ROW_FIELDS)


CHECKIN_ROW_FIELDS = (
    "id", "mentee_id", "mentor_id", "author_id", "kind", "occurred_at", "delivery_method",
    "duration_minutes", "support_types", "substance_use_days", "craving_level", "mood",
    "crisis_flag", "crisis_handled_at", "next_checkin_on", "billable", "voided_at", "created_at",
)  # fmt: skip


def assessment_list(*, user: User) -> QuerySet[RecoveryCapitalAssessment]:
    """The BARC-10s of the mentees the user reaches (the API's list and detail)."""
    return RecoveryCapitalAssessment.objects.visible_to(user).order_by("-assessed_on", "-pk")


def schedule_list(*, user: User) -> QuerySet:
    """The check-in schedules of the current assignments of the mentees the
    user reaches, as the timeline and the mentee's own page show them."""
    return (
        CheckInSchedule.objects.visible_to(user)
        .filter(assignment__ended_at__isnull=True)
        .annotate(mentee_id=F("assignment__mentee_id"))
        .order_by("next_due_on", "pk")
    )


def schedule_for(*, mentee: MenteeProfile) -> CheckInSchedule | None:
    return (
        CheckInSchedule.objects.filter(assignment__mentee=mentee, assignment__ended_at__isnull=True)
        .select_related("assignment")
        .first()
    )


def last_contact_subquery(mentee_ref: str = "pk"):
    """When the mentee was last reached (a check-in with contact made),
    computed from the check-ins: the value MenteeProfile.last_contact_at
    keeps (the tests hold the column to it)."""
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
    of `time_zone` (the program's). Annotated with `gap_since`, that day."""
    return (
        MenteeProfile.objects.annotate(
            active_assignment=FilteredRelation(
                "assignments", condition=Q(assignments__ended_at__isnull=True)
            )
        )
        .filter(status=MenteeStatus.ACTIVE, active_assignment__isnull=False)
        .annotate(
            gap_since=Coalesce(
                TruncDate("last_contact_at", tzinfo=ZoneInfo(time_zone)),
                F("active_assignment__started_on"),
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


def group_session_list(*, user: User) -> QuerySet[GroupSession]:
    """The groups the user reaches (GroupSession.visible_to), each with the
    attendance of the mentees the user reaches still (a mentee reassigned
    away drops out of a mentor's view of past groups): two queries."""
    scope = mentee_scope(user, "mentee__")
    attendance = GroupAttendance.objects.select_related("mentee").order_by(
        "mentee__preferred_name", "pk"
    )
    attendance = attendance.filter(scope) if scope is not None else attendance.none()
    return (
        GroupSession.objects.visible_to(user)
        .select_related("facilitator", "co_facilitator")
        .prefetch_related(Prefetch("attendance", queryset=attendance, to_attr="attendees"))
    )
