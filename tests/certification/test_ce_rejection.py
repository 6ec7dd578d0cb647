"""Hours can be rejected with a reason: they stay on the record, marked, and
never count; approval and rejection exclude each other."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from certification import services
from certification.status import ce_progress
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.certification.factories import log_ce

pytestmark = pytest.mark.django_db


def test_a_coordinator_rejects_hours_with_a_reason_and_they_never_count(mentor, coordinator):
    entry = log_ce(mentor, hours="4", days_ago=5)
    services.ce_reject(entry=entry, by=coordinator, reason="  No certificate attached ")
    entry.refresh_from_db()
    assert entry.rejected_by == coordinator and entry.rejection_reason == "No certificate attached"
    progress = ce_progress(mentor.certifications.get(), [entry])
    assert progress.approved == progress.pending == Decimal("0")
    # Rejecting again keeps the first decision.
    services.ce_reject(entry=entry, by=coordinator, reason="Another reason")
    entry.refresh_from_db()
    assert entry.rejection_reason == "No certificate attached"


def test_rejection_is_refused_without_a_reason_for_approved_hours_and_for_ones_own(
    mentor, coordinator, outsider
):
    entry = log_ce(mentor)
    with pytest.raises(ValidationError) as refused:
        services.ce_reject(entry=entry, by=coordinator, reason="   ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.ce_reject(entry=entry, by=mentor, reason="mine")
    with pytest.raises(PermissionDenied):
        services.ce_reject(entry=entry, by=outsider, reason="not mine to judge")
    services.ce_approve(entry=entry, by=coordinator)
    with pytest.raises(ValidationError, match="already approved"):
        services.ce_reject(entry=entry, by=coordinator, reason="too late")


def test_rejected_hours_cannot_then_be_approved(mentor, coordinator):
    entry = log_ce(mentor)
    services.ce_reject(entry=entry, by=coordinator, reason="Wrong category")
    with pytest.raises(ValidationError, match="rejected"):
        services.ce_approve(entry=entry, by=coordinator)


def test_the_queue_page_rejects_and_the_holder_reads_why(coordinator_client, mentor_client, mentor):
    entry = log_ce(mentor, course_title="Boundaries")
    queue = reverse("certification:ce_queue")
    assert "Boundaries" in coordinator_client.get(queue).content.decode()
    response = coordinator_client.post(
        reverse("certification:ce_reject", args=[entry.pk]), {"reason": "Not an approved provider"}
    )
    assert response.status_code == 302
    assert "Boundaries" not in coordinator_client.get(queue).content.decode()
    mine = mentor_client.get(reverse("certification:mine")).content.decode()
    assert "not accepted" in mine and "Not an approved provider" in mine


def test_the_page_says_plainly_when_the_reason_is_missing(coordinator_client, mentor):
    entry = log_ce(mentor)
    response = coordinator_client.post(
        reverse("certification:ce_reject", args=[entry.pk]), {"reason": ""}, follow=True
    )
    assert "Say why, so the holder can put it right." in response.content.decode()
    entry.refresh_from_db()
    assert entry.rejected_at is None


def test_the_api_rejects_with_a_reason(coordinator, mentor):
    entry = log_ce(mentor)
    url = reverse("api:continuing-education-reject", args=[entry.pk])
    api = api_client_for(coordinator)
    assert api.post(url, {}, format="json").status_code == 400
    body = api.post(url, {"reason": "No evidence"}, format="json").json()
    assert body["rejection_reason"] == "No evidence" and body["approved"] is False
    assert api_client_for(mentor).post(url, {"reason": "x"}, format="json").status_code == 403


@pytest.mark.parametrize(("length", "allowed"), [(299, True), (300, True), (301, False)])
def test_the_reason_fits_its_field(mentor, coordinator, length, allowed):
    entry = log_ce(mentor)
    if allowed:
        services.ce_reject(entry=entry, by=coordinator, reason="x" * length)
    else:
        with pytest.raises(ValidationError, match="under 300"):
            services.ce_reject(entry=entry, by=coordinator, reason="x" * length)


def test_a_reason_that_is_not_text_is_refused_plainly(coordinator, mentor):
    entry = log_ce(mentor)
    url = reverse("api:continuing-education-reject", args=[entry.pk])
    response = api_client_for(coordinator).post(url, {"reason": 42}, format="json")
    assert response.status_code == 400 and "reason" in api_errors(response)


def test_approving_rejected_hours_on_the_page_says_why_instead_of_failing(
    coordinator_client, coordinator, mentor
):
    entry = log_ce(mentor)
    services.ce_reject(entry=entry, by=coordinator, reason="Wrong category")
    response = coordinator_client.post(
        reverse("certification:ce_approve", args=[entry.pk]), follow=True
    )
    assert response.status_code == 200
    assert "rejected" in response.content.decode()
    entry.refresh_from_db()
    assert entry.approved_at is None
