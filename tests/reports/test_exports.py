"""The outcome report's exports record who took them and when; the page
itself names no mentee and records nothing."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["reports:outcomes_csv", "reports:outcomes_pdf", "api:report-outcomes"]
)
def test_an_export_records_who_took_it(coordinator_client, coordinator, name):
    response = coordinator_client.get(reverse(name), {"start": "2026-01", "end": "2026-03"})
    if response.streaming:
        b"".join(response.streaming_content)
    (event,) = AccessEvent.objects.all()
    assert (event.user_id, event.action, event.object_type) == (
        coordinator.pk,
        "export",
        "outcome_report",
    )
    assert event.mentee_ids == []


def test_the_page_records_nothing(coordinator_client):
    assert coordinator_client.get(reverse("reports:outcomes")).status_code == 200
    assert not AccessEvent.objects.exists()


def test_the_csv_file_is_named_for_program_and_months(coordinator_client):
    response = coordinator_client.get(
        reverse("reports:outcomes_csv"), {"start": "2026-01", "end": "2026-03"}
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="outcomes-Sacramento_Peer_Recovery-2026-01-2026-03.csv"'
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def read_csv(response):
    import csv
    import io

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_deidentified_file_names_no_one(program, coordinator, mentor, coordinator_client):
    from datetime import date

    from checkins.models import CheckIn
    from mentorship.models import MenteeProfile, MenteeStatusChange
    from tests.reports.factories import checkin, make_mentees

    (jordan, sam) = make_mentees(program, coordinator, 2)
    MenteeProfile.objects.filter(pk=jordan.pk).update(
        preferred_name="Jordan", legal_name="Jordan Ellis", email="jordan@example.org",
        phone="916-555-0101", date_of_birth=date(1990, 4, 2), county="Sacramento",
    )  # fmt: skip
    CheckIn.objects.bulk_create(
        [
            checkin(jordan, mentor, date(2026, 1, 10), substance_use_days=2, craving_level=6,
                    notes="PHI-MARKER note", crisis_flag=True, crisis_notes="PHI-MARKER crisis"),
            checkin(jordan, mentor, date(2026, 1, 20), substance_use_days=1, craving_level=4),
            checkin(jordan, mentor, date(2026, 1, 22), kind="attempt", delivery_method="telephone",
                    support_types=[], notes="PHI-MARKER attempt"),
            checkin(jordan, mentor, date(2026, 2, 3), substance_use_days=0, craving_level=3),
            checkin(sam, mentor, date(2026, 2, 5), substance_use_days=0, craving_level=2),
        ]
    )  # fmt: skip
    url = reverse("reports:mentee_months_csv")
    query = {"start": "2026-01", "end": "2026-03"}
    first = read_csv(coordinator_client.get(url, query))
    header, rows = first[0], first[1:]
    assert header == [
        "pseudonym", "program", "month", "intake_month", "status", "checkins", "attempts",
        "substance_use_days", "mean_craving",
    ]  # fmt: skip
    text = "\n".join(",".join(r) for r in first)
    for secret in ("Jordan", "Ellis", "jordan@", "555-0101", "1990", "PHI-MARKER", "Mentee",
                   "2026-01-10", "2026-01-20", "Sacramento,"):  # fmt: skip
        assert secret not in text
    by_month = {(r[0], r[2]): r[3:] for r in rows}
    jordan_id = next(p for p, m in by_month if m == "2026-01")
    # Three check-ins of January: 2 contacts (2 + 1 days, craving 6 and 4) and an attempt.
    assert by_month[(jordan_id, "2026-01")] == ["2026-01", "active", "2", "1", "3", "5.0"]
    assert by_month[(jordan_id, "2026-02")] == ["2026-01", "active", "1", "0", "0", "3.0"]
    assert len(rows) == 3 and len({r[0] for r in rows}) == 2
    # The status is the one at the end of each month (the status history),
    # not today's: Jordan was on hold from Feb 28 (the month's last day).
    MenteeStatusChange.objects.create(
        mentee=jordan, from_status="active", to_status="on_hold",
        changed_on=date(2026, 2, 28), changed_by=coordinator,
    )  # fmt: skip
    MenteeStatusChange.objects.create(
        mentee=jordan, from_status="on_hold", to_status="active",
        changed_on=date(2026, 3, 1), changed_by=coordinator,
    )  # fmt: skip
    then = {(r[0], r[2]): r[4] for r in read_csv(coordinator_client.get(url, query))[1:]}
    assert sorted(then.values()) == ["active", "active", "on_hold"]
    # Stable within a file, different in the next.
    again = read_csv(coordinator_client.get(url, query))
    assert {r[0] for r in again[1:]}.isdisjoint({r[0] for r in rows})


def test_the_deidentified_export_is_recorded(coordinator_client, coordinator):
    response = coordinator_client.get(reverse("reports:mentee_months_csv"))
    read_csv(response)
    (event,) = AccessEvent.objects.all()
    assert (event.user_id, event.action, event.object_type, event.mentee_ids) == (
        coordinator.pk, "export", "deidentified_months", [],
    )  # fmt: skip
