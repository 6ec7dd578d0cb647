"""The certification report as rows for CSV and JSON: one shape for both.

The JSON (the API) is a page of CertificationRows; the CSV is every row that
matches, streamed from a server-side cursor in chunks (one CE query per chunk)
so its memory stays flat and its first line leaves at once."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from django.http import StreamingHttpResponse

from accounts.models import User
from core.csv_export import csv_download, csv_lines

from .models import CECategory, Certification, CertificationType, ContinuingEducation
from .selectors import ReportFilters, report_queryset
from .status import CEProgress, CertificationRow, Status, ce_progress, holder_calendars

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


def _csv_row(line: ReportLine) -> list:
    """The JSON row in the words the page uses: a spreadsheet is read by people,
    so "Renewal window open" and "Yes", not codes and booleans."""
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


class _Cycle:
    """What ce_progress reads of a certification, without a model instance
    (the CSV makes one per row): its cycle's dates and its type."""

    __slots__ = ("cycle_started_on", "issued_on", "expires_on", "certification_type")
    cycle_bounds = Certification.cycle_bounds

    def __init__(self, row: dict, ctype: CertificationType):
        self.cycle_started_on = row["cycle_started_on"]
        self.issued_on = row["issued_on"]
        self.expires_on = row["expires_on"]
        self.certification_type = ctype


class _Entry(NamedTuple):
    holder_id: int
    completed_on: date
    hours: Decimal
    category: str
    approved_at: datetime | None
    rejected_at: datetime | None
    voided_at: datetime | None


# What a line needs of each certification, read without making model instances.
FIELDS = (
    "pk", "holder_id", "holder__full_name", "holder__email", "holder__program__name",
    "holder__program__county", "certification_type_id", "number", "report_status", "days_left",
    "issued_on", "cycle_started_on", "expires_on", "background_check_on",
)  # fmt: skip


def _chunks(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def report_lines(
    *, user: User, filters: ReportFilters, now: datetime | None = None, chunk: int = CHUNK
) -> Iterator[ReportLine]:
    """Every line of the report, in its order: one server-side cursor over the
    certifications (status and days left from SQL, as the page filters them)
    and, per chunk of rows, one query for their holders' CE (ce_progress, the
    rule every page uses)."""
    days = holder_calendars(now)
    types = {t.pk: t for t in CertificationType.objects.prefetch_related("category_requirements")}
    requirements = {pk: list(t.category_requirements.all()) for pk, t in types.items()}
    checks: dict[tuple[int, str], bool] = {}
    rows = report_queryset(user=user, filters=filters, days=days).values(*FIELDS)
    for part in _chunks(rows.iterator(chunk_size=chunk), chunk):
        entries: dict[int, list[_Entry]] = defaultdict(list)
        for entry in ContinuingEducation.objects.filter(
            holder_id__in={row["holder_id"] for row in part}
        ).values_list(*_Entry._fields):
            entries[entry[0]].append(_Entry(*entry))
        for row in part:
            ctype = types[row["certification_type_id"]]
            county = row["holder__program__county"] or ""
            if (ctype.pk, county) not in checks:
                checks[ctype.pk, county] = ctype.requires_background_check_in(county)
            yield ReportLine(
                holder=row["holder__full_name"],
                email=row["holder__email"],
                program=row["holder__program__name"] or "",
                county=county,
                type=ctype.name,
                number=row["number"],
                status=Status(row["report_status"]),
                issued_on=row["issued_on"],
                expires_on=row["expires_on"],
                days_left=row["days_left"],
                ce=ce_progress(
                    _Cycle(row, ctype),  # type: ignore[arg-type]
                    entries[row["holder_id"]],
                    requirements[ctype.pk],
                ),
                background_check_on=row["background_check_on"],
                background_check_needed=checks[ctype.pk, county],
            )


def csv_response(*, user: User, filters: ReportFilters, today: date) -> StreamingHttpResponse:
    """The report as a streamed CSV, named after its day and its filters."""
    described = filters.describe()
    stem = f"peerpath-certifications-{today.isoformat()}{'-' + described if described else ''}"
    lines = report_lines(user=user, filters=filters)
    return csv_download(csv_lines(CSV_COLUMNS, (_csv_row(line) for line in lines)), stem)
