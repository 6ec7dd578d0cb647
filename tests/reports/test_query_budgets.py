"""The outcome report in a fixed number of queries, at 20 and at 2,000
mentees: aggregates in SQL, never a query per mentee or check-in."""

from datetime import date

import pytest
from django.urls import reverse

from checkins.models import CheckIn, RecoveryCapitalAssessment
from tests.audit import AUDIT_EVENT_QUERIES
from tests.reports.factories import barc, checkin, make_mentees

pytestmark = pytest.mark.django_db

SIZES = [20, 2000]
# The exports run the same report code: a smaller second size keeps the suite fast.
EXPORT_SIZES = [20, 200]
QUERY = {"start": "2026-01", "end": "2026-03"}


def fill(program, coordinator, mentor, size):
    mentees = make_mentees(program, coordinator, size)
    CheckIn.objects.bulk_create(
        checkin(m, mentor, day, substance_use_days=n % 4, craving_level=n % 10)
        for n, m in enumerate(mentees)
        for day in (date(2026, 1, 10), date(2026, 3, 10))
    )
    # One query brings them all; twenty mentees' are enough to prove it.
    RecoveryCapitalAssessment.objects.bulk_create(
        barc(m, mentor, day, 30 + n % 25)
        for n, m in enumerate(mentees[:20])
        for day in (date(2026, 1, 12), date(2026, 3, 12))
    )


# 1 session, 2 the user with the second factor and the program (their today:
# accounts.backends), 3 the programs reported on, 4 the programs the form
# offers; then the report: 1 mentees by status at the period's end, 2 active
# at each month's end (both from the status history), 3 intakes, 4 discharges
# and graduations, 5 the check-ins in one pass (a row per mentee: contacts,
# attempts, delivery methods, support types, first and last check-in,
# scheduled check-ins on time, first and latest month's outcome measures; and
# a row per month), 6 contact gaps, 7 BARC-10, 8 goals by domain; then the
# registry: 9 referrals (linkage), 10 supervision hours.
REPORT_QUERIES = 4 + 10
# An export's audit event names no mentee: on PostgreSQL the same two
# statements (the chain head, then the event with its empty index).
EXPORT_EVENT_QUERIES = AUDIT_EVENT_QUERIES


@pytest.mark.parametrize("size", SIZES)
def test_the_page(
    size, program, coordinator, mentor, coordinator_client, django_assert_num_queries
):
    fill(program, coordinator, mentor, size)
    with django_assert_num_queries(REPORT_QUERIES):
        assert coordinator_client.get(reverse("reports:outcomes"), QUERY).status_code == 200


@pytest.mark.parametrize("size", EXPORT_SIZES)
def test_the_csv(size, program, coordinator, mentor, coordinator_client, django_assert_num_queries):
    fill(program, coordinator, mentor, size)
    with django_assert_num_queries(REPORT_QUERIES + EXPORT_EVENT_QUERIES):
        response = coordinator_client.get(reverse("reports:outcomes_csv"), QUERY)
        b"".join(response.streaming_content)


@pytest.mark.parametrize("size", EXPORT_SIZES)
def test_the_pdf(size, program, coordinator, mentor, coordinator_client, django_assert_num_queries):
    fill(program, coordinator, mentor, size)
    # The same report, then the export's audit event.
    with django_assert_num_queries(REPORT_QUERIES + EXPORT_EVENT_QUERIES):
        response = coordinator_client.get(reverse("reports:outcomes_pdf"), QUERY)
        assert response.status_code == 200


@pytest.mark.parametrize("size", EXPORT_SIZES)
def test_the_api(size, program, coordinator, mentor, coordinator_client, django_assert_num_queries):
    fill(program, coordinator, mentor, size)
    # The API adds its two rate limits' counts (core.api.throttling: the
    # caller's and the exports').
    with django_assert_num_queries(REPORT_QUERIES + EXPORT_EVENT_QUERIES + 2):
        assert coordinator_client.get(reverse("api:report-outcomes"), QUERY).status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_the_follow_up_page(
    size, program, coordinator, coordinator_client, django_assert_num_queries
):
    from reports.models import FollowUp

    mentees = make_mentees(program, coordinator, size)
    FollowUp.objects.bulk_create(FollowUp(mentee=m, point="baseline", attempts=1) for m in mentees)
    # 1 session, 2 user with the second factor and the program (their today:
    # accounts.backends), 3 the count, 4 one page of mentees, 5 their
    # follow-ups, 6 the rate (one aggregate); then the audit event naming the
    # page's mentees.
    with django_assert_num_queries(6 + AUDIT_EVENT_QUERIES):
        assert coordinator_client.get(reverse("reports:follow_ups")).status_code == 200
    # Filtered by a state (the baselines of January were missed): the same
    # queries, the state a condition of the count and of the page's query.
    with django_assert_num_queries(6 + AUDIT_EVENT_QUERIES):
        assert (
            coordinator_client.get(reverse("reports:follow_ups"), {"state": "missed"}).status_code
            == 200
        )


@pytest.mark.parametrize("size", EXPORT_SIZES)
def test_the_deidentified_file(
    size, program, coordinator, mentor, coordinator_client, django_assert_num_queries
):
    fill(program, coordinator, mentor, size)
    # 1-6 as the page; 7 the mentee-months, read from one server-side cursor;
    # then the export's audit event.
    with django_assert_num_queries(5 + EXPORT_EVENT_QUERIES):
        response = coordinator_client.get(reverse("reports:mentee_months_csv"), QUERY)
        assert len(b"".join(response.streaming_content).splitlines()) == 1 + 2 * size


@pytest.mark.parametrize("size", [5, 50])
def test_the_follow_up_api(
    size, program, coordinator, coordinator_client, django_assert_num_queries
):
    from reports.models import FollowUp

    mentees = make_mentees(program, coordinator, size)
    FollowUp.objects.bulk_create(FollowUp(mentee=m, point="baseline", attempts=1) for m in mentees)
    # 1 session, 2 user with the second factor (accounts.backends), 3 one page
    # of follow-ups with their mentees and programs, and their count (one
    # statement: config.api_pagination); then the audit event
    # (the listed mentees found again by the audit: 1 more), and the rate
    # limit's count (core.api.throttling).
    with django_assert_num_queries(3 + AUDIT_EVENT_QUERIES + 1 + 1):
        assert coordinator_client.get(reverse("api:follow-up-window-list")).status_code == 200
    # Filtered by a state: one more, the zones of the programs listed (each
    # program's today).
    with django_assert_num_queries(3 + AUDIT_EVENT_QUERIES + 1 + 1 + 1):
        response = coordinator_client.get(reverse("api:follow-up-window-list"), {"state": "missed"})
        assert response.status_code == 200
