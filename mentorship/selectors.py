"""Reads of mentors, mentees and assignments, scoped to the viewer."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from accounts.models import Program, Role, User

from . import mentee_list as mentee_list_columns
from .choices import OPEN_STATUSES, MenteeStatus
from .eligibility import program_mentors_with_eligibility
from .models import (
    Assignment,
    MenteeProfile,
    MenteeProfileQuerySet,
    MenteeStatusChange,
    MentorProfile,
)


def _active_assignment(field: str):
    return Subquery(
        Assignment.objects.filter(mentee=OuterRef("pk"), ended_at__isnull=True).values(field)[:1]
    )


def mentee_list(
    *,
    user: User,
    status: str = "",
    mentor_id: int | None = None,
    county: str = "",
    name: str = "",
    unassigned: bool = False,
    risk: str = "",
    sort: str = "",
) -> MenteeProfileQuerySet:
    """Mentees the viewer may see, each with its current mentor and the
    columns other apps register (mentorship.mentee_list), in one query; a
    risk filter may cost one more."""
    qs = (
        MenteeProfile.objects.visible_to(user)
        .select_related("program")
        .annotate(
            current_mentor_id=_active_assignment("mentor_id"),
            current_mentor_name=_active_assignment("mentor__full_name"),
            assigned_on=_active_assignment("started_on"),
        )
    )
    qs = filter_mentees(qs, status=status, mentor_id=mentor_id, county=county, name=name)
    if unassigned:
        qs = qs.filter(current_mentor_id__isnull=True, status__in=OPEN_STATUSES)
    qs = mentee_list_columns.with_columns(qs)
    if risk:
        qs = mentee_list_columns.at_risk(qs, risk)
    return mentee_list_columns.sorted_by(qs, sort)


def filter_mentees(
    qs: MenteeProfileQuerySet,
    *,
    status: str = "",
    mentor_id: int | None = None,
    county: str = "",
    name: str = "",
) -> MenteeProfileQuerySet:
    """The page's and the API's mentee filters, on a `mentee_list` queryset."""
    if status:
        qs = qs.filter(status=status)
    if mentor_id:
        qs = qs.filter(current_mentor_id=mentor_id)
    if county:
        qs = qs.filter(county__iexact=county)
    if name:
        qs = qs.filter(Q(preferred_name__icontains=name) | Q(legal_name__icontains=name))
    return qs


def mentor_choices(*, user: User) -> QuerySet[User]:
    """Mentors the viewer may filter or assign by."""
    return (
        User.objects.visible_to(user).filter(role=Role.MENTOR, is_active=True).order_by("full_name")
    )


def mentor_profile_list(*, user: User) -> QuerySet[MentorProfile]:
    return (
        MentorProfile.objects.visible_to(user)
        .with_active_caseload()
        .select_related("user__program")
        .order_by("user__full_name")
    )


def assignment_list(*, user: User) -> QuerySet[Assignment]:
    return Assignment.objects.visible_to(user).select_related("mentor", "mentee", "assigned_by")


def assignment_history(*, mentee: MenteeProfile) -> QuerySet[Assignment]:
    """Every assignment of a mentee the viewer already may see (caller checked)."""
    return mentee.assignments.select_related("mentor", "assigned_by", "ended_by").order_by(
        "-started_at"
    )


def status_history(*, mentee: MenteeProfile) -> QuerySet[MenteeStatusChange]:
    return mentee.status_changes.select_related("changed_by")


def current_mentor_of(*, mentee_user: User) -> MentorProfile | None:
    return MentorProfile.objects.visible_to(mentee_user).select_related("user").first()


def program_overview(*, program: Program) -> dict:
    """What the coordinator's dashboard shows: unassigned mentees, each mentor's
    load against capacity, mentees by status. Four queries whatever the size."""
    by_status = {s: 0 for s in MenteeStatus.values}
    rows = program.mentees.values("status").annotate(n=Count("pk"))
    by_status.update({row["status"]: row["n"] for row in rows})
    has_active_assignment = Exists(
        Assignment.objects.filter(mentee=OuterRef("pk"), ended_at__isnull=True)
    )
    unassigned = (
        program.mentees.filter(status__in=OPEN_STATUSES)
        .filter(~has_active_assignment)
        .order_by("intake_date", "pk")
    )
    return {
        "by_status": [(MenteeStatus(s).label, n) for s, n in by_status.items()],
        "unassigned": list(unassigned),
        "mentors": program_mentors_with_eligibility(program),
    }
