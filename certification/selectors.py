"""Reads of certifications and CE, scoped to the viewer, as CertificationRows:
status and CE progress derived in Python over a fixed number of queries; the
report filters, sorts, counts and pages in SQL (status.dated_status)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from core.dates import Calendars, on_each_calendar, program_today
from core.together import Later

from .models import (
    CECategoryRequirement,
    Certification,
    CertificationDocument,
    CertificationType,
    ContinuingEducation,
    ContinuingEducationQuerySet,
)
from .status import (
    ALLOWS_NEW_MENTEES,
    CE_PROGRESS_FIELDS,
    GOOD_STANDING,
    CertificationRow,
    Status,
    approved_hours_in_cycle,
    certification_rows,
    dated_days_left,
    dated_status,
    holder_calendars,
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
    return certifications_of_later(holder=holder, today=today).resolve()


def certifications_of_later(*, holder: User, today: date | None = None) -> Later:
    """certifications_of as three querysets read with others (core.together):
    the certifications with their types and holder's program, their types'
    CE requirements, the holder's CE entries."""
    certifications = Certification.objects.filter(holder=holder).select_related(
        "holder__program", "certification_type"
    )
    requirements = CECategoryRequirement.objects.filter(
        certification_type__in=certifications.values("certification_type_id")
    )
    entries = ContinuingEducation.objects.filter(holder=holder).only(*CE_PROGRESS_FIELDS)

    def shape(certifications, requirements, entries):
        by_type = defaultdict(list)
        for requirement in requirements:
            by_type[requirement.certification_type_id].append(requirement)
        for cert in certifications:
            ctype = cert.certification_type
            prefetched = ctype.category_requirements.all()
            prefetched._result_cache, prefetched._prefetch_done = by_type[ctype.pk], True
            ctype._prefetched_objects_cache = {"category_requirements": prefetched}
        return certification_rows(certifications, today, entries=entries)

    return Later(certifications, requirements, entries, shape=shape)


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


def document_list(*, user: User) -> QuerySet[CertificationDocument]:
    return CertificationDocument.objects.visible_to(user).order_by("-uploaded_at", "-pk")


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


PAGE_SIZE = 50


def _lower(path: str):
    return Lower(Coalesce(path, Value("")))


# Each sort in SQL, then the report's own order (expiry, nulls last; then pk)
# for ties, in both directions: what a stable sort of the rows would give.
SORTS = {
    "holder": lambda: _lower("holder__full_name"),
    "program": lambda: _lower("holder__program__name"),
    "county": lambda: _lower("holder__program__county"),
    "type": lambda: F("certification_type__name"),
    "status": lambda: F("report_status"),
    "expires_on": lambda: F("expires_on"),
    "ce": lambda: F("approved_hours"),
}


def empty_report() -> dict:
    """The report's shape with no rows (its filters were refused)."""
    return {
        "rows": [],
        "page": None,
        "total": 0,
        "counts": [(status.label, 0) for status in Status],
        "good_standing_share": 0,
        "holder_count": 0,
    }


def report_queryset(*, user: User, filters: ReportFilters, days: Calendars):
    """Every certification the viewer may see, filtered and sorted in SQL, each
    with `report_status` and `days_left` on its holder's calendar (`days`:
    status.holder_calendars): the status filter and sort are the same rule as
    derive_status (tests/certification/test_report_in_sql.py)."""
    queryset = Certification.objects.visible_to(user).annotate(
        report_status=dated_status(days), days_left=dated_days_left(days)
    )
    if filters.program:
        queryset = queryset.filter(holder__program_id=filters.program)
    if filters.county:
        queryset = queryset.filter(holder__program__county__iexact=filters.county)
    if filters.certification_type:
        queryset = queryset.filter(certification_type_id=filters.certification_type)
    if filters.status:
        queryset = queryset.filter(report_status=filters.status)
    if filters.expires_within is not None:
        within = timedelta(days=filters.expires_within)
        queryset = queryset.filter(
            on_each_calendar(
                days, lambda today: Q(expires_on__gte=today, expires_on__lte=today + within)
            )
        )
    key = filters.sort.lstrip("-")
    if key not in SORTS:
        key = "expires_on"
    if key == "ce":
        queryset = queryset.annotate(approved_hours=approved_hours_in_cycle())
    expression = SORTS[key]()
    descending = filters.sort.startswith("-")
    first = expression.desc(nulls_first=True) if descending else expression.asc(nulls_last=True)
    return queryset.order_by(first, F("expires_on").asc(nulls_last=True), "pk")


class _Counted(Paginator):
    """A paginator told its count (the summary has it): no COUNT query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self) -> int:
        return self._known


def _summary(queryset) -> dict:
    """How many rows of each status and how many holders (in all, and with a
    certification in good standing), in one query that works out each row's
    status once: an aggregate() over the annotation would repeat its
    expression in every count (nine times a row), and so would PostgreSQL
    were the subquery not fenced (OFFSET 0 keeps it from being merged in)."""
    rows = queryset.order_by().values("holder_id", "report_status")
    sql, params = rows.query.sql_with_params()
    if connection.vendor == "postgresql":
        sql += " OFFSET 0"
    good = sorted(GOOD_STANDING)
    counts = ", ".join("COUNT(*) FILTER (WHERE s = %s)" for _ in Status)
    query = (
        "SELECT COUNT(DISTINCT h), COUNT(DISTINCT h) FILTER (WHERE s IN "  # noqa: S608
        f"({', '.join(['%s'] * len(good))})), {counts} FROM ({sql}) AS report (h, s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [*good, *(status.value for status in Status), *params])
        holders, good_holders, *by_status = cursor.fetchone()
    return {
        "holders": holders,
        "good": good_holders,
        **{status.value: n for status, n in zip(Status, by_status, strict=True)},
    }


def certification_report(
    *,
    user: User,
    filters: ReportFilters,
    page: int | str | None = 1,
    strict: bool = False,
    now: datetime | None = None,
) -> dict:
    """One page (PAGE_SIZE rows) of the report and its summary by status over
    every row that matches: the zones, the summary, the page, its CE
    requirements and its holders' CE — five queries whatever the size. A page
    out of range is the nearest one, or InvalidPage when `strict` (the API)."""
    days = holder_calendars(now)
    queryset = report_queryset(user=user, filters=filters, days=days)
    summary = _summary(queryset)
    counts = [(status, summary[status.value]) for status in Status]
    total = sum(n for _, n in counts)
    paginator = _Counted(with_types(queryset), PAGE_SIZE, count=total)
    shown = paginator.page(page or 1) if strict else paginator.get_page(page)
    rows = certification_rows(shown.object_list, now=now)
    shown.object_list = rows
    holders = summary["holders"]
    return {
        "rows": rows,
        "page": shown,
        "total": total,
        "counts": [(status.label, n) for status, n in counts],
        "good_standing_share": round(100 * summary["good"] / holders) if holders else 0,
        "holder_count": holders,
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


def in_good_standing(holder_id, today: date) -> Exists:
    """billable_reason(...) == "" as an expression, so another query can carry
    it (a check-in's locked row): the holder has a certification in good
    standing on `today`. `holder_id`: an id or an OuterRef to one."""
    return Exists(
        Certification.objects.filter(holder=holder_id)
        .annotate(current_status=status_expression(today))
        .filter(current_status__in=GOOD_STANDING)
    )


# What the alerts panel counts, in the order it shows them.
ALERT_STATUSES = (Status.LAPSED, Status.EXPIRING, Status.WINDOW_OPEN)
# The panel's count of CE entries waiting for approval, beside the statuses.
WAITING = "ce_waiting"


def certification_alerts(*, user: User) -> dict:
    """See certification_alerts_later: its counts read now."""
    return certification_alerts_later(user=user).resolve()


def certification_alerts_later(*, user: User) -> Later:
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
    return Later(waiting_for_approval.union(*by_zone, all=True), shape=_alert_counts)


def _alert_counts(rows) -> dict:
    counts = {status: 0 for status in ALERT_STATUSES}
    waiting = 0
    for alert, n in rows:
        if alert == WAITING:
            waiting = n
        else:
            counts[Status(alert)] += n
    return {"counts": [(status, counts[status]) for status in ALERT_STATUSES], "waiting": waiting}
