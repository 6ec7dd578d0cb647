"""The outcome report's exports record who took them and when; the page
itself names no mentee and records nothing."""

import pytest
from django.urls import reverse

from audit.models import AccessEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["reports:outcomes_csv", "api:report-outcomes"])
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
