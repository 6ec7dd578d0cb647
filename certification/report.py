"""The certification report as rows for CSV and JSON: one shape for both."""

from django.http import StreamingHttpResponse

from core.csv_export import csv_download, csv_lines

from .models import CECategory
from .status import CertificationRow

CATEGORY_LABELS = dict(CECategory.choices)


def report_row(row: CertificationRow) -> dict:
    cert, holder, ce = row.certification, row.certification.holder, row.ce
    categories = {code: (str(done), str(needed)) for code, _, done, needed in ce.by_category}
    return {
        "holder": holder.full_name,
        "email": holder.email,
        "program": holder.program.name if holder.program_id else "",
        "county": holder.program.county if holder.program_id else "",
        "type": cert.certification_type.name,
        "number": cert.number,
        "status": row.status.value,
        "issued_on": cert.issued_on.isoformat() if cert.issued_on else "",
        "expires_on": cert.expires_on.isoformat() if cert.expires_on else "",
        "days_left": row.days_left if row.days_left is not None else "",
        "ce_hours_approved": str(ce.approved),
        "ce_hours_required": str(ce.required),
        "ce_hours_pending": str(ce.pending),
        "ce_by_category": {
            code: {"approved": d, "required": n} for code, (d, n) in categories.items()
        },
        "background_check_on": cert.background_check_on.isoformat()
        if cert.background_check_on
        else "",
        "background_check_required": row.background_check_needed,
    }


CSV_COLUMNS = [
    "holder", "email", "program", "county", "type", "number", "status", "issued_on", "expires_on", "days_left",
    "ce_hours_approved", "ce_hours_required", "ce_hours_pending",
    "law_and_ethics_approved", "law_and_ethics_required", "background_check_on", "background_check_required",
]  # fmt: skip


def _csv_row(row: CertificationRow) -> list:
    """The JSON row in the words the page uses: a spreadsheet is read by people,
    so "Renewal window open" and "Yes", not codes and booleans."""
    values = report_row(row)
    ethics = values["ce_by_category"].get("law_and_ethics", {"approved": "", "required": ""})
    values |= {
        "status": row.status.label.capitalize(),
        "background_check_required": "Yes" if row.background_check_needed else "No",
        "law_and_ethics_approved": ethics["approved"],
        "law_and_ethics_required": ethics["required"],
    }
    return [values[column] for column in CSV_COLUMNS]


def csv_response(rows, filters, today) -> StreamingHttpResponse:
    """The report as a streamed CSV, named after its day and its filters."""
    described = filters.describe()
    stem = f"peerpath-certifications-{today.isoformat()}{'-' + described if described else ''}"
    return csv_download(csv_lines(CSV_COLUMNS, (_csv_row(row) for row in rows)), stem)
