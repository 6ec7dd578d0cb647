"""Reads of mentors, mentees and assignments, scoped to the viewer."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)

from accounts.models import Program, Role, User
from core.dates import month_day
from core.links import link_to
from core.together import Later

from . import mentee_list as mentee_list_columns
from .choices import OPEN_STATUSES, MenteeStatus
from .eligibility import (
    mentors_with_eligibility_queryset,
    with_eligibility,
)
from .mentee_list import ACTIVE_ASSIGNMENT
from .models import (
    Assignment,
    MenteeProfile,
    MenteeProfileQuerySet,
    MenteeStatusChange,
    MentorProfile,
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
            **{
                ACTIVE_ASSIGNMENT: FilteredRelation(
                    "assignments", condition=Q(assignments__ended_at__isnull=True)
                )
            }
        )
        .annotate(
            current_mentor_id=F(f"{ACTIVE_ASSIGNMENT}__mentor_id"),
            current_mentor_name=F(f"{ACTIVE_ASSIGNMENT}__mentor__full_name"),
            assigned_on=F(f"{ACTIVE_ASSIGNMENT}__started_on"),
        )
    )
    qs = filter_mentees(qs, status=status, mentor_id=mentor_id, county=county, name=name)
    if unassigned:
        qs = qs.filter(current_mentor_id__isnull=True, status__in=OPEN_STATUSES)
    qs = mentee_list_columns.with_columns(qs)
    if risk:
        qs = mentee_list_columns.at_risk(qs, risk)
    return mentee_list_columns.sorted_by(qs, sort)


def mentee_rows(*, user: User) -> MenteeProfileQuerySet:
    """The API's mentee list: the columns its serializer reads
    (api.serializers.MenteeListSerializer) and the current mentor, by name;
    the same filters apply (filter_mentees). One query a page."""
    return (
        MenteeProfile.objects.visible_to(user)
        .annotate(
            **{
                ACTIVE_ASSIGNMENT: FilteredRelation(
                    "assignments", condition=Q(assignments__ended_at__isnull=True)
                )
            }
        )
        .annotate(current_mentor_id=F(f"{ACTIVE_ASSIGNMENT}__mentor_id"))
        .only(*MENTEE_ROW_FIELDS)
        .order_by(*mentee_list_columns.BY_NAME.order_by)
    )


MENTEE_ROW_FIELDS = (
    "id", "program_id", "user_id", "preferred_name", "county", "status", "status_changed_on",
    "intake_date",
)  # fmt: skip


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


def status_change_list(*, user: User) -> QuerySet[MenteeStatusChange]:
    """The status histories the user sees on mentee pages: those of the
    mentees they reach and manage (their program's coordinators; admins with
    a grant). Mentors and mentees are not shown one."""
    mentees = MenteeProfile.objects.visible_to(user)
    if user.is_coordinator:
        mentees = mentees.filter(program_id=user.program_id)
    elif not user.is_admin:
        return MenteeStatusChange.objects.none()
    return MenteeStatusChange.objects.filter(mentee__in=mentees).order_by("-created_at", "-pk")


def current_mentor_of(*, mentee_user: User) -> MentorProfile | None:
    return MentorProfile.objects.visible_to(mentee_user).select_related("user").first()


@dataclass(frozen=True, slots=True)
class UnassignedRow:
    """An open case waiting for a mentor, labelled for the dashboard."""

    pk: int
    name: str
    status_label: str
    intake_label: str
    url: str


def program_overview(*, program: Program) -> dict:
    """What the coordinator's dashboard shows: unassigned mentees, each mentor's
    load against capacity, mentees by status. Two queries whatever the size:
    the mentors, and the counts by status with the unassigned mentees (a UNION
    ALL of the two, each row saying which it is)."""
    return program_overview_later(program=program).resolve()


def program_overview_later(*, program: Program) -> Later:
    """program_overview, its rows read with others (core.together)."""
    has_active_assignment = Exists(
        Assignment.objects.filter(mentee=OuterRef("pk"), ended_at__isnull=True)
    )
    no_day = Value(None, output_field=DateField())
    counts = (
        program.mentees.order_by()
        .values("status")
        .annotate(
            row_kind=Value("count"),
            row_n=Count("pk"),
            row_id=Value(None, output_field=IntegerField()),
            row_name=Value(""),
            row_day=no_day,
        )
        .values_list("row_kind", "status", "row_n", "row_id", "row_name", "row_day")
    )
    unassigned = (
        program.mentees.filter(status__in=OPEN_STATUSES)
        .filter(~has_active_assignment)
        .annotate(
            row_kind=Value("unassigned"),
            row_status=F("status"),
            row_n=Value(0),
            row_id=F("pk"),
            row_name=F("preferred_name"),
            row_day=F("intake_date"),
        )
        .order_by("intake_date", "pk")
        .values_list("row_kind", "row_status", "row_n", "row_id", "row_name", "row_day")
    )
    return Later(
        counts.union(unassigned, all=True),
        mentors_with_eligibility_queryset(program),
        shape=lambda rows, mentors: _overview(program, rows, mentors),
    )


def _overview(program: Program, rows, mentors) -> dict:
    by_status = dict.fromkeys(MenteeStatus.values, 0)
    labels = dict(MenteeStatus.choices)
    detail_url = link_to("mentorship:mentee_detail")
    waiting = []
    for kind, status, n, pk, name, day in rows:
        if kind == "count":
            by_status[status] = n
        else:
            waiting.append(
                UnassignedRow(
                    pk, name, str(labels.get(status, status)), month_day(day), detail_url(pk)
                )
            )
    return {
        "by_status": [(labels[s], n) for s, n in by_status.items()],
        "unassigned": waiting,
        "mentors": with_eligibility(program, mentors),
    }
