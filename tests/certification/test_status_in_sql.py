"""derive_status (Python) and status_expression (SQL) are one rule: for a grid
of certifications around every boundary, on several days, they agree."""

from datetime import date, timedelta

import pytest

from accounts.models import User
from certification.models import Certification, CertificationType
from certification.selectors import holders_allowed_new_mentees
from certification.status import (
    ALLOWS_NEW_MENTEES,
    EXPIRING_DAYS,
    Status,
    derive_status,
    status_expression,
)

# A leap day and the turn of a year and of a month, where date arithmetic slips.
TODAYS = [date(2027, 3, 10), date(2027, 12, 31), date(2028, 2, 28), date(2028, 2, 29)]
# Renewal windows: Medi-Cal's, one inside the 60-day band, and one no longer
# than the expiring band (so never a status of its own).
WINDOWS = [90, 45, EXPIRING_DAYS]


def _offsets() -> list[int]:
    """Days left on each boundary and on each side of it."""
    edges = {0, EXPIRING_DAYS, *WINDOWS}
    return sorted({edge + step for edge in edges for step in (-1, 0, 1)} | {-400, 400})


def _types() -> list[CertificationType]:
    return [
        CertificationType.objects.create(
            name=f"Window {days}", issuing_body="Board", renewal_window_days=days
        )
        for days in WINDOWS
    ]


def _dated(expires_on: date | None, **fields) -> dict:
    started = (expires_on or TODAYS[0]) - timedelta(days=730)
    return {
        "training_completed_on": started - timedelta(days=60),
        "exam_passed_on": started - timedelta(days=30),
        "issued_on": started,
        "cycle_started_on": started,
        "expires_on": expires_on,
    } | fields


def _odd_cases() -> list[dict]:
    """Set by hand (whatever the dates say) and missing dates."""
    lapsed, active = TODAYS[0] - timedelta(days=5), TODAYS[0] + timedelta(days=400)
    by_hand = {"manual_status_reason": "Audit", "manual_status_on": TODAYS[0]}
    return [
        _dated(lapsed, manual_status="suspended", **by_hand),
        _dated(active, manual_status="revoked", **by_hand),
        _dated(None, manual_status="suspended", **by_hand),
        _dated(active, training_completed_on=None),
        _dated(active, exam_passed_on=None),
        _dated(None),
        _dated(lapsed, training_completed_on=None, exam_passed_on=None),
    ]


@pytest.fixture
def grid(program) -> list[Certification]:
    """For each day in TODAYS, each offset and each type: one certification
    with that many days left on that day (a holder per day and offset)."""
    types = _types()
    cases = [_dated(today + timedelta(days=days)) for today in TODAYS for days in _offsets()]
    cases += _odd_cases()
    holders = User.objects.bulk_create(
        User(email=f"h{i}@example.org", full_name=f"H {i}", role="mentor", program=program)
        for i in range(len(cases))
    )
    return Certification.objects.bulk_create(
        Certification(holder=holder, certification_type=ctype, **fields)
        for holder, fields in zip(holders, cases, strict=True)
        for ctype in types
    )


@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_sql_status_matches_derive_status_on_every_boundary(grid, today):
    certifications = Certification.objects.select_related("certification_type")
    expected = {cert.pk: derive_status(cert, today) for cert in certifications}
    in_sql = dict(
        Certification.objects.annotate(sql_status=status_expression(today)).values_list(
            "pk", "sql_status"
        )
    )
    assert in_sql == expected
    # The grid reaches every status, so the comparison cannot pass on a few.
    assert set(expected.values()) == set(Status)


@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_holders_allowed_new_mentees_follows_the_status_rule(grid, today):
    certifications = Certification.objects.select_related("certification_type")
    allowed = {
        cert.holder_id
        for cert in certifications
        if derive_status(cert, today) in ALLOWS_NEW_MENTEES
    }
    every_holder = {cert.holder_id for cert in grid}
    assert holders_allowed_new_mentees(every_holder, today) == allowed
    assert 0 < len(allowed) < len(every_holder)


@pytest.mark.parametrize(
    ("days_left", "window", "status"),
    [
        (-1, 90, Status.LAPSED),
        (0, 90, Status.EXPIRING),
        (EXPIRING_DAYS, 90, Status.EXPIRING),
        (EXPIRING_DAYS + 1, 90, Status.WINDOW_OPEN),
        (90, 90, Status.WINDOW_OPEN),
        (91, 90, Status.ACTIVE),
        (45, 45, Status.WINDOW_OPEN),
        (46, 45, Status.ACTIVE),
        (EXPIRING_DAYS + 1, EXPIRING_DAYS, Status.ACTIVE),
    ],
)
def test_the_sql_status_on_named_boundaries(program, days_left, window, status):
    """The grid compares the two rules; this pins what they both say."""
    today = TODAYS[2]
    (ctype,) = (t for t in _types() if t.renewal_window_days == window)
    holder = User.objects.create(email="h@example.org", role="mentor", program=program)
    cert = Certification.objects.create(
        holder=holder, certification_type=ctype, **_dated(today + timedelta(days=days_left))
    )
    annotated = Certification.objects.annotate(sql_status=status_expression(today)).get(pk=cert.pk)
    assert (annotated.sql_status, derive_status(cert, today)) == (status, status)
