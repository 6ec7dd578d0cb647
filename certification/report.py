"""The certification report as rows for CSV and JSON: one shape for both.

The JSON (the API) is a page of CertificationRows; the CSV is every row that
matches, streamed from a server-side cursor in chunks with every figure
(status, days left, CE hours) computed in SQL, so its memory stays flat, its
first line leaves at once and each row costs Python a list of cells."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.http import StreamingHttpResponse

from accounts.models import User
from core.csv_export import csv_download, csv_lines

from .models import CECategory, CertificationType
from .selectors import ReportFilters, report_queryset
from .status import (
    CEProgress,
    CertificationRow,
    Status,
    ce_hours_by_kind,
    ce_hours_in_cycle,
    holder_calendars,
)

CHUNK = 2000


@dataclass(frozen=True)
class ReportLine:
    """What the report says of one certification, in plain values."""

    holder: str
    email: str
    program: str
    county: str
    type: str
    number: str
    status: Status
    issued_on: date | None
    expires_on: date | None
    days_left: int | None
    ce: CEProgress
    background_check_on: date | None
    background_check_needed: bool

    @classmethod
    def of(cls, row: CertificationRow) -> "ReportLine":
        cert, holder = row.certification, row.certification.holder
        program = holder.program if holder.program_id else None
        return cls(
            holder=holder.full_name,
            email=holder.email,
            program=program.name if program else "",
            county=program.county if program else "",
            type=cert.certification_type.name,
            number=cert.number,
            status=row.status,
            issued_on=cert.issued_on,
            expires_on=cert.expires_on,
            days_left=row.days_left,
            ce=row.ce,
            background_check_on=cert.background_check_on,
            background_check_needed=row.background_check_needed,
        )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def report_row(row: CertificationRow | ReportLine) -> dict:
    """The JSON row: codes and booleans, for programs."""
    line = row if isinstance(row, ReportLine) else ReportLine.of(row)
    ce = line.ce
    return {
        "holder": line.holder,
        "email": line.email,
        "program": line.program,
        "county": line.county,
        "type": line.type,
        "number": line.number,
        "status": line.status.value,
        "issued_on": _iso(line.issued_on),
        "expires_on": _iso(line.expires_on),
        "days_left": line.days_left if line.days_left is not None else "",
        "ce_hours_approved": str(ce.approved),
        "ce_hours_required": str(ce.required),
        "ce_hours_pending": str(ce.pending),
        "ce_by_category": {
            code: {"approved": str(done), "required": str(needed)}
            for code, _, done, needed in ce.by_category
        },
        "background_check_on": _iso(line.background_check_on),
        "background_check_required": line.background_check_needed,
    }


CSV_COLUMNS = [
    "holder", "email", "program", "county", "type", "number", "status", "issued_on", "expires_on", "days_left",
    "ce_hours_approved", "ce_hours_required", "ce_hours_pending",
    "law_and_ethics_approved", "law_and_ethics_required", "background_check_on", "background_check_required",
]  # fmt: skip


def csv_cells(line: ReportLine) -> list:
    """The JSON row in the words the page uses: a spreadsheet is read by people,
    so "Renewal window open" and "Yes", not codes and booleans. The rule of a
    CSV line; `csv_rows` writes the same cells straight from SQL's values
    (tests/certification/test_report_csv.py holds the two together)."""
    ce = line.ce
    ethics = next(((str(d), str(n)) for c, _, d, n in ce.by_category if c == ETHICS), ("", ""))
    return [
        line.holder, line.email, line.program, line.county, line.type, line.number,
        line.status.label.capitalize(), _iso(line.issued_on), _iso(line.expires_on),
        line.days_left if line.days_left is not None else "",
        str(ce.approved), str(ce.required), str(ce.pending), *ethics,
        _iso(line.background_check_on), "Yes" if line.background_check_needed else "No",
    ]  # fmt: skip


ETHICS = CECategory.LAW_AND_ETHICS.value

# What a CSV line needs of each certification, every figure computed in SQL:
# status and days left on the holder's calendar (as the page filters them),
# and the cycle's CE hours (ce_progress's approved, pending and approved in law
# and ethics), so that no model instance is made and no CE row is read here.
FIELDS = (
    "holder__full_name", "holder__email", "holder__program__name", "holder__program__county",
    "certification_type_id", "number", "report_status", "issued_on", "expires_on", "days_left",
    "background_check_on",
)  # fmt: skip
CE_FIELDS = ("ce_approved", "ce_pending", "ce_ethics")


def _with_ce_hours(queryset):
    """Rows of FIELDS and, last, the CE hours [approved, pending, ethics]: on
    PostgreSQL from one subquery per row, elsewhere from three."""
    if connection.vendor == "postgresql":
        return queryset.annotate(ce=ce_hours_by_kind(ETHICS)).values_list(*FIELDS, "ce")
    rows = queryset.annotate(
        ce_approved=ce_hours_in_cycle(approved=True),
        ce_pending=ce_hours_in_cycle(approved=False),
        ce_ethics=ce_hours_in_cycle(approved=True, category=ETHICS),
    ).values_list(*FIELDS, *CE_FIELDS)
    return _Merged(rows)


class _Merged:
    """A values_list whose last three values come as one list (iterator only)."""

    def __init__(self, rows):
        self.rows = rows

    def iterator(self, chunk_size: int):
        for row in self.rows.iterator(chunk_size=chunk_size):
            yield (*row[:-3], list(row[-3:]))


class _Type(NamedTuple):
    """What a line says of its certification's type, worked out once."""

    name: str
    required: str
    ethics_required: str | None  # None: the type asks for no law and ethics hours
    checks: dict[str, bool]  # county -> needs a background check there


def _types() -> dict[int, _Type]:
    types = {}
    for ctype in CertificationType.objects.prefetch_related("category_requirements"):
        ethics = [r.hours for r in ctype.category_requirements.all() if r.category == ETHICS]
        types[ctype.pk] = _Type(
            ctype.name,
            str(ctype.ce_hours_required),
            str(ethics[0]) if ethics else None,
            KeyedCache(ctype.requires_background_check_in),
        )
    return types


class KeyedCache(dict):
    """A dict that fills itself from `compute` on a missing key."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


NO_CE = (None, None, None)


def _hours(value: Decimal | None) -> str:
    return "0" if value is None else str(value)


def csv_rows(
    *, user: User, filters: ReportFilters, now: datetime | None = None, chunk: int = CHUNK
) -> Iterator[list]:
    """Every line of the CSV (csv_cells' cells), in the page's order, from one
    server-side cursor over the certifications with every figure computed in
    SQL: one query for the time zones, one for the types and their
    requirements, then the cursor in a transaction, `chunk` rows at a time.
    Nothing is read before the first line is asked for, so the header leaves
    first."""
    days = holder_calendars(now)
    types = _types()
    # The reader's language, as the page says each status.
    labels = {status.value: status.label.capitalize() for status in Status}
    rows = _with_ce_hours(report_queryset(user=user, filters=filters, days=days))
    with transaction.atomic():
        yield from _cells(rows.iterator(chunk_size=chunk), types, labels)


def _whole_result_plan() -> None:
    """Outside a transaction Django declares its cursor WITH HOLD, which makes
    PostgreSQL compute every row before the first and keep them; inside one
    (csv_rows) the rows stream, but PostgreSQL would then pick a plan made to
    return the first tenth of them soon (cursor_tuple_fraction), twice as slow
    over all of them here. The CSV is read to its end: plan for all its rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1")


def _cells(rows, types: dict[int, _Type], labels: dict[str, str]) -> Iterator[list]:
    _whole_result_plan()
    for (
        holder, email, program, county, type_id, number, status, issued_on, expires_on,
        left, checked_on, ce,
    ) in rows:  # fmt: skip
        ctype = types[type_id]
        county = county or ""
        approved, pending, ethics = ce or NO_CE
        yield [
            holder, email, program or "", county, ctype.name, number, labels[status],
            issued_on.isoformat() if issued_on else "",
            expires_on.isoformat() if expires_on else "",
            "" if left is None else left,
            _hours(approved), ctype.required, _hours(pending),
            *(("", "") if ctype.ethics_required is None else (_hours(ethics), ctype.ethics_required)),
            checked_on.isoformat() if checked_on else "",
            "Yes" if ctype.checks[county] else "No",
        ]  # fmt: skip


def csv_response(*, user: User, filters: ReportFilters, today: date) -> StreamingHttpResponse:
    """The report as a streamed CSV, named after its day and its filters."""
    described = filters.describe()
    stem = f"peerpath-certifications-{today.isoformat()}{'-' + described if described else ''}"
    return csv_download(csv_lines(CSV_COLUMNS, csv_rows(user=user, filters=filters)), stem)
