"""Reads for pages, the API and the sweeps: scoped to the viewer, with their joins."""

from datetime import date

from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from accounts.models import Role, User
from mentorship.models import MenteeProfile

from .models import (
    DEFAULT_MONTHLY_MINIMUM_MINUTES,
    ActionItem,
    ApprovalRequest,
    CrisisDebrief,
    SessionMentor,
    SupervisionSession,
    Supervisor,
    SupervisorAssignment,
)


def month_bounds(day: date) -> tuple[date, date]:
    """The first day of `day`'s month and the first day of the next."""
    first = day.replace(day=1)
    following = (first.replace(year=first.year + 1, month=1) if first.month == 12
                 else first.replace(month=first.month + 1))  # fmt: skip
    return first, following


def minutes_in_month(day: date, mentor_ref: str = "pk") -> Coalesce:
    """A subquery: minutes of supervision of the mentor (OuterRef(mentor_ref))
    in `day`'s month. Session dates are the program's calendar."""
    first, following = month_bounds(day)
    total = (
        SessionMentor.objects.filter(
            mentor_id=OuterRef(mentor_ref),
            session__held_on__gte=first,
            session__held_on__lt=following,
        )
        .order_by()
        .values("mentor_id")
        .annotate(total=Sum("session__duration_minutes"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def minimum_of(path: str = "program__") -> Coalesce:
    from django.db.models import F

    return Coalesce(
        F(f"{path}supervision_settings__monthly_minimum_minutes"),
        Value(DEFAULT_MONTHLY_MINIMUM_MINUTES),
    )


def mentor_hours(*, program, day: date) -> QuerySet:
    """Every active mentor of the program with their minutes this month, the
    program's minimum and their current supervisor: one query."""
    current = SupervisorAssignment.objects.current().filter(mentor_id=OuterRef("pk"))
    return (
        User.objects.filter(program=program, role=Role.MENTOR, is_active=True)
        .annotate(
            minutes=minutes_in_month(day),
            minimum=minimum_of(),
            supervisor_name=Subquery(current.values("supervisor__user__full_name")[:1]),
        )
        .order_by("full_name", "pk")
    )


def mentors_below_minimum(*, program, day: date) -> QuerySet:
    from django.db.models import F

    return mentor_hours(program=program, day=day).filter(minutes__lt=F("minimum"))


def supervisor_list(*, user) -> QuerySet:
    return Supervisor.objects.visible_to(user).select_related("user", "program")


def assignment_history(*, user) -> QuerySet:
    return SupervisorAssignment.objects.visible_to(user).select_related(
        "mentor", "supervisor__user"
    )


def session_list(*, user) -> QuerySet:
    return (
        SupervisionSession.objects.visible_to(user)
        .select_related("supervisor")
        .prefetch_related("attendance__mentor")
    )


def supervision_log(*, mentor: User) -> QuerySet:
    """The mentor's supervision, newest first: one row per session."""
    return (
        SessionMentor.objects.filter(mentor=mentor)
        .select_related("session__supervisor")
        .order_by("-session__held_on", "-session_id")
    )


def open_debriefs(*, user) -> QuerySet:
    return (
        CrisisDebrief.objects.visible_to(user)
        .open()
        .select_related("mentor")
        .order_by("due_on", "pk")
    )


def open_action_items(*, mentor: User) -> QuerySet:
    return ActionItem.objects.filter(mentor=mentor, done_at__isnull=True).select_related("session")


def supervisees(*, supervisor_user: User) -> QuerySet:
    return User.objects.filter(
        Q(supervisor_assignments__supervisor__user=supervisor_user)
        & Q(supervisor_assignments__ended_on__isnull=True)
    )


def supervision_figure(program_ids, first_day: date, last_day: date):
    """The outcome report's supervision figure (core.report_figures): for each
    month of the period, the hours of supervision the program's mentors
    received (an hour of a group session counts once for each mentor in it),
    how many mentors were supervised and in how many sessions, in one grouped
    query. It describes mentors, never mentees, so no cell is a small cell
    about mentees (`mentees=0`)."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from core.dates import add_months
    from core.report_figures import RawCell, RawFigure, RawRow

    by_month = {
        row["month"]: row
        for row in SessionMentor.objects.filter(
            session__program_id__in=list(program_ids),
            session__held_on__gte=first_day,
            session__held_on__lte=last_day,
        )
        .annotate(month=TruncMonth("session__held_on"))
        .values("month")
        .annotate(
            minutes=Sum("session__duration_minutes"),
            mentors=Count("mentor", distinct=True),
            sessions=Count("session", distinct=True),
        )
        .order_by()
    }
    rows = []
    month = first_day.replace(day=1)
    while month <= last_day:
        row = by_month.get(month, {"minutes": 0, "mentors": 0, "sessions": 0})
        rows.append(
            RawRow(
                f"{month.year}-{month.month:02d}",
                [
                    RawCell(round(row["minutes"] / 60, 1), 0),
                    RawCell(row["mentors"], 0),
                    RawCell(row["sessions"], 0),
                ],
            )
        )
        month = add_months(month, 1)
    return RawFigure(
        key="supervision",
        title=gettext("Supervision hours per month"),
        definition=gettext(
            "Hours of supervision the program's mentors received each month (an "
            "hour of group supervision counts once for each mentor in it), how many "
            "mentors were supervised and in how many sessions."
        ),
        columns=[
            gettext("Hours of supervision"),
            gettext("Mentors supervised"),
            gettext("Sessions"),
        ],
        rows=rows,
        charted_columns=(0,),
    )


# --- Follow-up requests ---------------------------------------------------------


def follow_up_list(*, user) -> QuerySet:
    """The follow-up requests the user reaches, with who asked and who answers."""
    from .models import FollowUpRequest

    return FollowUpRequest.objects.visible_to(user).select_related("mentor", "requested_by")


def open_follow_ups(*, user) -> QuerySet:
    """Open requests for a dashboard panel, soonest due first: one query."""
    from .models import FollowUpRequest

    return (
        FollowUpRequest.objects.visible_to(user)
        .open()
        .select_related("mentor", "requested_by")
        .order_by("due_on", "created_at", "pk")
    )


# --- Approvals ------------------------------------------------------------------


def approval_list(*, user) -> QuerySet:
    """The requests the user reaches, with what a row shows."""
    return ApprovalRequest.objects.visible_to(user).select_related(
        "requested_by", "decided_by", "plan", "mentor"
    )


def approval_queue(*, user) -> QuerySet:
    """Waiting for this user's decision: open requests they reach and did not
    make, of the program (coordinators) or of their supervisees."""
    found = approval_list(user=user).filter(status="requested").exclude(requested_by=user)
    if user.is_admin or user.is_coordinator:
        return found
    supervisees = SupervisorAssignment.objects.current().filter(
        supervisor__user=user, supervisor__ended_on__isnull=True
    )
    return found.filter(mentor__in=supervisees.values("mentor_id"))


def reachable_mentees(*, user, mentee_ids) -> dict[int, str]:
    """{mentee id: preferred name} of those the reader reaches (one query):
    an approval names a mentee only to who may open their record."""
    return dict(
        MenteeProfile.objects.visible_to(user)
        .filter(pk__in=set(mentee_ids))
        .values_list("pk", "preferred_name")
    )
