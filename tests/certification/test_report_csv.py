"""The certification CSV writes every figure from SQL (status, days left, the
cycle's CE hours) and no model instance: its file must be, byte for byte,
what the Python rule gives (certification_rows -> ReportLine -> csv_cells)
for every row, with CE entries on each side of each cycle boundary, in every
state (approved, pending, rejected, voided), for a type with a law and ethics
requirement and one without, an in-progress certification (no dates: all
its holder's CE counts), a holder without a program, and in Spanish."""

import types
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, User
from certification import report
from certification.models import (
    CECategoryRequirement,
    Certification,
    CertificationType,
    ContinuingEducation,
)
from certification.report import CSV_COLUMNS, ReportLine, csv_cells, csv_rows
from certification.selectors import SORTS, ReportFilters, report_queryset, with_types
from certification.status import certification_rows, holder_calendars
from core.csv_export import csv_lines
from core.dates import program_today
from tests.accounts.factories import ProgramFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 11, 5, tzinfo=UTC)  # Mar 10 in California, Mar 11 in UTC


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


STATES = ["approved", "pending", "rejected", "voided"]


def _entry(holder, day, hours, category, state, admin):
    fields = {}
    if state == "approved":
        fields = {"approved_by": admin, "approved_at": NOW}
    elif state == "rejected":
        fields = {"rejected_by": admin, "rejected_at": NOW, "rejection_reason": "No proof"}
    elif state == "voided":
        fields = {"voided_by": holder, "voided_at": NOW, "void_reason": "Twice"}
    return ContinuingEducation(
        holder=holder,
        course_title="Course",
        provider="P",
        completed_on=day,
        hours=Decimal(hours),
        category=category,
        **fields,
    )


@pytest.fixture
def certifications(admin_user):
    ethics = CertificationType.objects.create(
        name="With ethics",
        issuing_body="Board",
        ce_hours_required=Decimal("12.5"),
        background_check_counties=["Kings"],
    )
    CECategoryRequirement.objects.create(
        certification_type=ethics, category="law_and_ethics", hours=Decimal("6")
    )
    plain = CertificationType.objects.create(name="=Plain", issuing_body="Board")
    programs = [
        ProgramFactory(time_zone="America/Los_Angeles", name="Pacific", county="Kings"),
        ProgramFactory(time_zone="America/New_York", name="+Eastern", county="Sacramento"),
        None,
    ]
    entries = []
    n = 0
    for program in programs:
        today = program_today(program, NOW)
        # Each holder's CE sits on one side of one boundary of the certifications'
        # cycle (both types: the same dates), one entry per state and category.
        for edge in ("start", "end"):
            for side in (-1, 0, 1):
                n += 1
                holder = User.objects.create(
                    email=f"h{n}@example.org",
                    full_name=f"@Holder {n}",
                    role=Role.MENTOR if program else Role.ADMIN,
                    program=program,
                )
                expires = today + timedelta(days=(n * 37) % 500 - 60)
                start = expires - timedelta(days=730)
                for ctype in (ethics, plain):
                    Certification.objects.create(
                        holder=holder,
                        certification_type=ctype,
                        number=f"-{n}" if ctype == plain else f"N{n}",
                        training_completed_on=start - timedelta(days=60),
                        exam_passed_on=start - timedelta(days=30),
                        issued_on=start,
                        # Some cycles start on the issue day by default.
                        cycle_started_on=start if n % 2 else None,
                        expires_on=expires,
                        background_check_on=start if n % 3 else None,
                    )
                day = (start if edge == "start" else expires) + timedelta(days=side)
                hours = Decimal("0.5")
                for state in STATES:
                    for category in ("law_and_ethics", "other"):
                        entries.append(_entry(holder, day, hours, category, state, admin_user))
                        hours += 1
        # In progress: no dates, so every day of the holder's CE counts.
        n += 1
        holder = User.objects.create(
            email=f"h{n}@example.org",
            full_name=f"Holder {n}",
            role=Role.MENTOR if program else Role.ADMIN,
            program=program,
        )
        Certification.objects.create(holder=holder, certification_type=ethics)
        for k, state in enumerate(STATES):
            entries.append(
                _entry(
                    holder,
                    today - timedelta(days=900 * k),
                    "3",
                    "law_and_ethics",
                    state,
                    admin_user,
                )
            )
        # No CE at all, a suspension, no start date (no lower bound).
        n += 1
        holder = (
            User.objects.create(
                email=f"h{n}@example.org",
                full_name=f"Holder {n}",
                role=Role.MENTOR,
                program=program,
            )
            if program
            else holder
        )
        Certification.objects.create(
            holder=holder,
            certification_type=plain,
            expires_on=today + timedelta(days=10),
            training_completed_on=today - timedelta(days=900),
            exam_passed_on=today - timedelta(days=800),
            manual_status="suspended",
            manual_status_reason="Audit",
            manual_status_on=today,
        )
    ContinuingEducation.objects.bulk_create(entries)
    return list(Certification.objects.all())


def python_lines(user, filters):
    """The CSV by the Python rule, in the report's order."""
    order = list(
        report_queryset(user=user, filters=filters, days=holder_calendars(NOW)).values_list(
            "pk", flat=True
        )
    )
    rows = certification_rows(with_types(Certification.objects.filter(pk__in=order)), now=NOW)
    by_pk = {row.certification.pk: row for row in rows}
    return [csv_cells(ReportLine.of(by_pk[pk])) for pk in order]


def text(rows) -> str:
    return "".join(csv_lines(CSV_COLUMNS, rows))


@pytest.mark.parametrize("sort", ["expires_on", "-status", "ce", "-holder"])
def test_the_csv_is_the_python_rule_byte_for_byte(certifications, admin_user, admin_client, sort):
    filters = ReportFilters(sort=sort)
    expected = text(python_lines(admin_user, filters))
    assert text(csv_rows(user=admin_user, filters=filters, chunk=5)) == expected
    response = admin_client.get(reverse("certification:report_csv"), {"sort": sort})
    assert b"".join(response.streaming_content).decode() == expected
    # Every figure is exercised: CE hours of each kind, both ethics columns,
    # formula-like text made plain.
    assert "'=Plain" in expected and "'@Holder" in expected and "'-1" in expected
    assert len(expected.splitlines()) == len(certifications) + 1


def test_the_ce_hours_are_the_same_where_there_is_no_array(certifications, admin_user, monkeypatch):
    """Off PostgreSQL the three sums are three subqueries: the same lines."""
    filters = ReportFilters()
    expected = text(python_lines(admin_user, filters))
    monkeypatch.setattr(report, "connection", types.SimpleNamespace(vendor="sqlite"))
    assert text(csv_rows(user=admin_user, filters=filters)) == expected


def test_the_csv_says_each_status_in_the_readers_language(certifications, admin_user):
    filters = ReportFilters(sort="status")
    with translation.override("es"):
        expected = text(python_lines(admin_user, filters))
        assert text(csv_rows(user=admin_user, filters=filters)) == expected
    assert ",Suspendida," in expected


def test_every_sort_is_covered_here():
    assert {"expires_on", "status", "ce", "holder"} <= set(SORTS)
