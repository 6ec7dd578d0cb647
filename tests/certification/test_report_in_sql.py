"""The certification report filters, sorts, counts and pages in SQL; its rule
for status and days left is still derive_status and days_left, each
certification dated on its holder's program's calendar. These hold the two
together on every boundary day, in two time zones whose dates differ, and for
a holder without a program (UTC); and the CSV streams every row in the
page's order."""

import csv
import html
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role, User
from certification.models import Certification, CertificationType, ContinuingEducation
from certification.report import csv_rows
from certification.selectors import (
    PAGE_SIZE,
    SORTS,
    ReportFilters,
    certification_report,
    report_queryset,
)
from certification.status import (
    EXPIRING_DAYS,
    GOOD_STANDING,
    Status,
    certification_rows,
    days_left,
    derive_status,
    holder_calendars,
)
from core.dates import program_today
from tests.accounts.factories import ProgramFactory

pytestmark = pytest.mark.django_db

# 05:00 UTC on Mar 11, 2027: still Mar 10 in California, already Mar 11 in
# New York and in UTC.
NOW = datetime(2027, 3, 11, 5, tzinfo=UTC)
WINDOWS = [90, 45, EXPIRING_DAYS]


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def offsets() -> list[int]:
    edges = {0, EXPIRING_DAYS, *WINDOWS}
    return sorted({edge + step for edge in edges for step in (-1, 0, 1)} | {-400, 400})


@pytest.fixture
def grid(admin_user) -> list[Certification]:
    """For each calendar (Pacific, Eastern, UTC) and each type, a holder per
    offset whose certification has that many days left on the holder's own
    day; and the odd ones (set by hand, missing dates)."""
    types = [
        CertificationType.objects.create(
            name=f"Window {days}", issuing_body="Board", renewal_window_days=days
        )
        for days in WINDOWS
    ]
    programs = [
        ProgramFactory(time_zone="America/Los_Angeles", name="Pacific", county="Sacramento"),
        ProgramFactory(time_zone="America/New_York", name="Eastern", county="Kings"),
        None,
    ]
    made = []
    for p, program in enumerate(programs):
        today = program_today(program, NOW)
        for days in offsets():
            holder = User.objects.create(
                email=f"h{p}.{days}@example.org",
                full_name=f"Holder {p} {days:+04d}",
                # A holder without a program is an admin (users' own rule).
                role=Role.MENTOR if program else Role.ADMIN,
                program=program,
            )
            expires = today + timedelta(days=days)
            if days % 3 == 0:  # some approved CE in the cycle, for the CE sort
                ContinuingEducation.objects.create(
                    holder=holder,
                    course_title="Ethics",
                    provider="P",
                    hours=Decimal(1 + abs(days) % 7),
                    category="law_and_ethics",
                    completed_on=expires - timedelta(days=100),
                    approved_by=admin_user,
                    approved_at=NOW,
                )
            for ctype in types:
                made.append(
                    Certification.objects.create(
                        holder=holder,
                        certification_type=ctype,
                        training_completed_on=expires - timedelta(days=800),
                        exam_passed_on=expires - timedelta(days=790),
                        issued_on=expires - timedelta(days=730),
                        cycle_started_on=expires - timedelta(days=730),
                        expires_on=expires,
                    )
                )
    odd = User.objects.create(email="odd@example.org", role=Role.MENTOR, program=programs[0])
    made.append(Certification.objects.create(holder=odd, certification_type=types[0]))
    made.append(
        Certification.objects.create(
            holder=odd,
            certification_type=types[1],
            expires_on=NOW.date() + timedelta(days=3),
            issued_on=NOW.date() - timedelta(days=700),
            training_completed_on=NOW.date() - timedelta(days=800),
            exam_passed_on=NOW.date() - timedelta(days=790),
            manual_status="suspended",
            manual_status_reason="Audit",
            manual_status_on=NOW.date(),
        )
    )
    return made


def python_rule() -> dict[int, tuple[Status, int | None]]:
    """Each certification's status and days left by the Python rule, on its
    holder's program's day."""
    rule = {}
    for cert in Certification.objects.select_related("certification_type", "holder__program"):
        today = program_today(cert.holder.program if cert.holder.program_id else None, NOW)
        rule[cert.pk] = (derive_status(cert, today), days_left(cert, today))
    return rule


def test_the_reports_status_and_days_left_are_the_python_rule_on_every_boundary_day(
    grid, admin_user
):
    rule = python_rule()
    rows = report_queryset(user=admin_user, filters=ReportFilters(), days=holder_calendars(NOW))
    in_sql = {
        pk: (status, left)
        for pk, status, left in rows.values_list("pk", "report_status", "days_left")
    }
    assert in_sql == rule
    # The grid reaches every status, on every calendar.
    assert {status for status, _ in rule.values()} >= set(Status) - {Status.REVOKED}
    # The calendars do differ: one offset is two days on two calendars.
    assert len({program_today(p, NOW) for p in (grid[0].holder.program, None)}) == 2


@pytest.mark.parametrize("status", [s.value for s in Status])
def test_the_status_filter_keeps_exactly_the_rows_of_that_status(grid, admin_user, status):
    expected = {pk for pk, (rule, _) in python_rule().items() if rule == status}
    rows = report_queryset(
        user=admin_user, filters=ReportFilters(status=status), days=holder_calendars(NOW)
    )
    assert set(rows.values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("within", [0, EXPIRING_DAYS - 1, EXPIRING_DAYS, EXPIRING_DAYS + 1, 45, 90])
def test_expires_within_counts_days_on_each_holders_calendar(grid, admin_user, within):
    expected = {
        pk for pk, (_, left) in python_rule().items() if left is not None and 0 <= left <= within
    }
    rows = report_queryset(
        user=admin_user, filters=ReportFilters(expires_within=within), days=holder_calendars(NOW)
    )
    assert set(rows.values_list("pk", flat=True)) == expected
    assert expected


def python_sort(rows, sort: str) -> list[int]:
    """The report's sorts as the Python report did them: a stable sort of
    the rows in their own order (expiry, nulls last, then pk)."""
    rows = sorted(
        rows,
        key=lambda r: (
            r.certification.expires_on is None,
            r.certification.expires_on or date.max,
            r.certification.pk,
        ),
    )
    keys = {
        "holder": lambda r: r.certification.holder.full_name.lower(),
        "program": lambda r: (r.certification.holder.program.name if r.certification.holder.program_id else "").lower(),
        "county": lambda r: (r.certification.holder.program.county if r.certification.holder.program_id else "").lower(),
        "type": lambda r: r.certification.certification_type.name,
        "status": lambda r: r.status.value,
        "expires_on": lambda r: (r.certification.expires_on is None, r.certification.expires_on or date.max),
        "ce": lambda r: r.ce.approved,
    }  # fmt: skip
    rows.sort(key=keys[sort.lstrip("-")], reverse=sort.startswith("-"))
    return [r.certification.pk for r in rows]


@pytest.mark.parametrize("sort", [*SORTS, *(f"-{key}" for key in SORTS)])
def test_every_sort_orders_as_a_stable_sort_of_the_rows(grid, admin_user, sort):
    certifications = Certification.objects.select_related(
        "holder__program", "certification_type"
    ).prefetch_related("certification_type__category_requirements")
    expected = python_sort(certification_rows(certifications, now=NOW), sort)
    rows = report_queryset(
        user=admin_user, filters=ReportFilters(sort=sort), days=holder_calendars(NOW)
    )
    assert list(rows.values_list("pk", flat=True)) == expected


def test_the_report_pages_and_sums_up_every_row(grid, admin_user):
    total = len(grid)
    last = -(-total // PAGE_SIZE)
    first = certification_report(user=admin_user, filters=ReportFilters(), page=1, now=NOW)
    final = certification_report(user=admin_user, filters=ReportFilters(), page=last, now=NOW)
    assert len(first["rows"]) == PAGE_SIZE
    assert len(final["rows"]) == total - (last - 1) * PAGE_SIZE
    assert first["total"] == total == sum(n for _, n in first["counts"])
    rule = python_rule()
    by_status = {status.label: 0 for status in Status}
    for status, _ in rule.values():
        by_status[status.label] += 1
    assert dict(first["counts"]) == by_status
    holders = {c.holder_id for c in grid}
    good = {c.holder_id for c in grid if rule[c.pk][0] in GOOD_STANDING}
    assert first["holder_count"] == len(holders)
    assert first["good_standing_share"] == round(100 * len(good) / len(holders))
    # The rows of a page are the page's: their status is the Python rule's.
    for row in first["rows"]:
        assert row.status == rule[row.certification.pk][0]


def test_the_page_links_to_the_next_page_with_its_filters_and_sort(admin_client, grid):
    response = admin_client.get(
        reverse("certification:report"),
        {"sort": "holder", "expires_within": 3650},
    )
    (link,) = re.findall(r'href="\?([^"]*)">Next<', response.content.decode())
    assert parse_qs(html.unescape(link)) == {
        "sort": ["holder"],
        "expires_within": ["3650"],
        "page": ["2"],
    }
    second = admin_client.get(
        reverse("certification:report"),
        {"sort": "holder", "expires_within": 3650, "page": 2},
    )
    shown = [r.certification.pk for r in second.context["rows"]]
    expected = list(
        report_queryset(
            user=second.context["user"],
            filters=ReportFilters(sort="holder", expires_within=3650),
            days=holder_calendars(NOW),
        ).values_list("pk", flat=True)
    )[PAGE_SIZE : 2 * PAGE_SIZE]
    assert shown == expected and shown


def test_the_csv_streams_every_row_in_the_pages_order_chunk_by_chunk(
    grid, admin_user, admin_client
):
    filters = ReportFilters(sort="-status")
    order = list(
        report_queryset(user=admin_user, filters=filters, days=holder_calendars(NOW)).values_list(
            "holder__email", flat=True
        )
    )
    assert [row[1] for row in csv_rows(user=admin_user, filters=filters, chunk=7)] == order
    response = admin_client.get(reverse("certification:report_csv"), {"sort": "-status"})
    assert response.streaming
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["email"] for row in rows] == order
    rule = python_rule()
    by_email = {}
    for cert in Certification.objects.select_related("holder"):
        by_email.setdefault(cert.holder.email, set()).add(rule[cert.pk][0].label.capitalize())
    assert all(row["status"] in by_email[row["email"]] for row in rows)


def test_the_api_pages_fifty_rows_and_names_the_next_page(grid, admin_user):
    from tests.accounts.test_api import api_client_for

    api = api_client_for(admin_user)
    data = api.get(reverse("api:report-certifications"), {"sort": "holder"}).json()
    assert data["count"] == len(grid) and len(data["results"]) == PAGE_SIZE
    assert "page=2" in data["next"] and "sort=holder" in data["next"] and data["previous"] is None
    second = api.get(data["next"]).json()
    assert second["previous"] and len(second["results"]) == PAGE_SIZE
    # The admin's own day names the report: UTC's.
    assert data["date"] == NOW.date().isoformat()
