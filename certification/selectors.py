"""Reads of certifications and CE, scoped to the viewer, as CertificationRows:
status and CE progress derived in Python over a fixed number of queries."""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from core.dates import program_today

from .models import (
    CECategoryRequirement,
    Certification,
    CertificationType,
    ContinuingEducation,
    ContinuingEducationQuerySet,
)
from .status import (
    ALLOWS_NEW_MENTEES,
    GOOD_STANDING,
    CertificationRow,
    Status,
    certification_rows,
    status_expression,
)


def with_types(queryset):
    return queryset.select_related("holder__program", "certification_type").prefetch_related(
        Prefetch(
            "certification_type__category_requirements",
            queryset=CECategoryRequirement.objects.all(),
        )
    )


def certifications_of(*, holder: User, today: date | None = None) -> list[CertificationRow]:
    return certification_rows(with_types(Certification.objects.filter(holder=holder)), today)


def certification_detail(
    *, certification: Certification, today: date | None = None
) -> CertificationRow:
    (row,) = certification_rows(
        with_types(Certification.objects.filter(pk=certification.pk)), today
    )
    return row


def ce_list(*, user: User) -> ContinuingEducationQuerySet:
    return ContinuingEducation.objects.visible_to(user).select_related(
        "holder", "approved_by", "voided_by"
    )


def type_list() -> QuerySet[CertificationType]:
    return CertificationType.objects.prefetch_related("category_requirements")


@dataclass(frozen=True)
class ReportFilters:
    program: int | None = None
    county: str = ""
    certification_type: int | None = None
    status: str = ""
    expires_within: int | None = None
    sort: str = "expires_on"

    def describe(self) -> str:
        """For file names: the filters that are set, in words without spaces."""
        parts = []
        for name in ("program", "county", "certification_type", "status", "expires_within"):
            value = getattr(self, name)
            if value not in (None, ""):
                parts.append(f"{name}-{value}".replace(" ", "_"))
        return "_".join(parts)


def _program_field(row: CertificationRow, name: str) -> str:
    holder = row.certification.holder
    return (getattr(holder.program, name) if holder.program_id else "").lower()


def _expiry(row: CertificationRow) -> tuple[bool, date]:
    expires_on = row.certification.expires_on
    return (expires_on is None, expires_on or date.max)


SORTS = {
    "holder": lambda r: r.certification.holder.full_name.lower(),
    "program": lambda r: _program_field(r, "name"),
    "county": lambda r: _program_field(r, "county"),
    "type": lambda r: r.certification.certification_type.name,
    "status": lambda r: r.status,
    "expires_on": _expiry,
    "ce": lambda r: r.ce.approved,
}


def empty_report() -> dict:
    """The report's shape with no rows (its filters were refused)."""
    return {
        "rows": [],
        "counts": [(status.label, 0) for status in Status],
        "good_standing_share": 0,
        "holder_count": 0,
    }


def certification_report(*, user: User, filters: ReportFilters, today: date | None = None) -> dict:
    """Every certification the viewer may see, filtered and sorted, with a
    summary by status: three queries (certifications, requirements, CE)."""
    queryset = Certification.objects.visible_to(user)
    if filters.program:
        queryset = queryset.filter(holder__program_id=filters.program)
    if filters.county:
        queryset = queryset.filter(holder__program__county__iexact=filters.county)
    if filters.certification_type:
        queryset = queryset.filter(certification_type_id=filters.certification_type)
    rows = certification_rows(with_types(queryset), today)
    # Status and days left are filtered here, not in SQL: each row is dated on
    # its holder's program's calendar, which status_expression cannot do alone.
    if filters.status:
        rows = [row for row in rows if row.status == filters.status]
    if filters.expires_within is not None:
        rows = [
            row
            for row in rows
            if row.days_left is not None and 0 <= row.days_left <= filters.expires_within
        ]
    descending = filters.sort.startswith("-")
    rows.sort(key=SORTS.get(filters.sort.lstrip("-"), SORTS["expires_on"]), reverse=descending)
    counts = {status: 0 for status in Status}
    for row in rows:
        counts[row.status] += 1
    holders = {row.certification.holder_id for row in rows}
    good = {row.certification.holder_id for row in rows if row.status in GOOD_STANDING}
    return {
        "rows": rows,
        "counts": [(status.label, counts[status]) for status in Status],
        "good_standing_share": round(100 * len(good) / len(holders)) if holders else 0,
        "holder_count": len(holders),
    }


def holders_allowed_new_mentees(holder_ids: set[int], today: date) -> set[int]:
    """Holders with a certification that is in progress or in good standing on
    `today` — not lapsed, suspended or revoked (status.ALLOWS_NEW_MENTEES)."""
    return set(
        Certification.objects.filter(holder_id__in=holder_ids)
        .alias(status=status_expression(today))
        .filter(status__in=sorted(ALLOWS_NEW_MENTEES))
        .values_list("holder_id", flat=True)
    )


def allows_new_mentees(holder_ref: str, today: date) -> Exists:
    """holders_allowed_new_mentees as an annotation: whether the holder in
    `holder_ref` has such a certification on `today` (no query of its own)."""
    return Exists(
        Certification.objects.filter(holder=OuterRef(holder_ref))
        .alias(status=status_expression(today))
        .filter(status__in=sorted(ALLOWS_NEW_MENTEES))
    )


def billable_reason(*, holder: User, today: date | None = None) -> str:
    """Empty when the holder's check-ins are billable; else why they are not.
    One query: the statuses in SQL (status_expression), on `today` or the
    holder's program's day. It runs on every check-in a mentor logs."""
    if today is None:
        today = program_today(holder.program if holder.program_id else None)
    statuses = list(
        Certification.objects.filter(holder=holder)
        .annotate(current_status=status_expression(today))
        .values_list("current_status", flat=True)
    )
    if any(status in GOOD_STANDING for status in statuses):
        return ""
    if not statuses:
        return gettext("You have no certification on record")
    if all(status == Status.IN_PROGRESS for status in statuses):
        return gettext("Your certification is still in progress")
    named = " / ".join(sorted({str(Status(s).label) for s in statuses}))
    return gettext("Your certification is %(statuses)s") % {"statuses": named}


# What the alerts panel counts, in the order it shows them.
ALERT_STATUSES = (Status.LAPSED, Status.EXPIRING, Status.WINDOW_OPEN)
# The panel's count of CE entries waiting for approval, beside the statuses.
WAITING = "ce_waiting"


def certification_alerts(*, user: User) -> dict:
    """For the admins' and coordinators' dashboards: how many certifications
    in reach have lapsed, are expiring or have their renewal window open, each
    dated on its holder's program's calendar, and how many CE entries wait
    for the viewer's decision. One query (a count per status for each time
    zone of the programs in reach, and the CE count, as a UNION ALL); an
    admin's dashboard first asks which zones there are."""
    in_reach = Certification.objects.visible_to(user).exclude(holder__is_active=False)
    if user.is_coordinator and user.program is not None:
        zones = [user.program.time_zone]  # their program's holders: no query
    else:
        zones = list(
            in_reach.order_by().values_list("holder__program__time_zone", flat=True).distinct()
        )
    now = timezone.now()
    by_zone = [
        in_reach.filter(holder__program__time_zone=zone)
        .annotate(alert=status_expression(now.astimezone(ZoneInfo(zone or "UTC")).date()))
        .filter(alert__in=[s.value for s in ALERT_STATUSES])
        .order_by()
        .values("alert")
        .annotate(n=Count("pk"))
        .values_list("alert", "n")
        for zone in zones
    ]
    waiting_for_approval = (
        ce_list(user=user)
        .counted()
        .filter(approved_at__isnull=True, rejected_at__isnull=True)
        .exclude(holder=user)
        .annotate(alert=Value(WAITING))
        .order_by()
        .values("alert")
        .annotate(n=Count("pk"))
        .values_list("alert", "n")
    )
    counts = {status: 0 for status in ALERT_STATUSES}
    waiting = 0
    for alert, n in waiting_for_approval.union(*by_zone, all=True):
        if alert == WAITING:
            waiting = n
        else:
            counts[Status(alert)] += n
    return {"counts": [(status, counts[status]) for status in ALERT_STATUSES], "waiting": waiting}
