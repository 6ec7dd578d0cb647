"""Void, never delete: hours logged by mistake are voided by their holder
(within 7 days of logging them) or by whoever decides on their hours (at any
time), with a reason; they stay in the history, struck through, and count for
no progress, renewal, alert or queue."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from certification import selectors, services
from certification.models import ContinuingEducation
from certification.reminders import send_renewal_alerts
from certification.selectors import ReportFilters
from certification.status import ce_progress
from notifications.models import Notification
from tests.accounts.test_api import api_client_for
from tests.certification.factories import certify, log_ce

pytestmark = pytest.mark.django_db

REASON = "Logged the same course twice"
WINDOW = timedelta(days=7)


def logged_days_ago(entry: ContinuingEducation, days: int) -> ContinuingEducation:
    """The entry as if logged `days` ago (created_at is set by the database)."""
    ContinuingEducation.objects.filter(pk=entry.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    entry.refresh_from_db()
    return entry


def test_the_holder_voids_with_a_reason_and_it_stays_struck_through(mentor, mentor_client):
    entry = log_ce(mentor, course_title="Boundaries in peer work")
    mine = reverse("certification:mine")
    assert f'action="{reverse("certification:ce_void", args=[entry.pk])}"' in (
        mentor_client.get(mine).content.decode()
    )
    response = mentor_client.post(
        reverse("certification:ce_void", args=[entry.pk]), {"reason": f"  {REASON} "}
    )
    assert response.status_code == 302 and response.url == mine
    entry.refresh_from_db()
    assert (entry.voided_by, entry.void_reason) == (mentor, REASON)
    assert entry.voided_at is not None
    page = mentor_client.get(mine).content.decode()
    assert '<tr class="voided">' in page and "Boundaries in peer work" in page
    assert "voided</span> by Marcus Reyes" in page and REASON in page
    assert reverse("certification:ce_void", args=[entry.pk]) not in page  # nothing left to void
    assert ContinuingEducation.objects.filter(pk=entry.pk).exists()  # never deleted


def test_the_form_goes_back_to_the_page_it_was_on(coordinator_client, mentor):
    entry = log_ce(mentor)
    detail = reverse("certification:detail", args=[mentor.certifications.get().pk])
    assert reverse("certification:ce_void", args=[entry.pk]) in (
        coordinator_client.get(detail).content.decode()
    )
    response = coordinator_client.post(
        reverse("certification:ce_void", args=[entry.pk]), {"reason": REASON, "next": detail}
    )
    assert response.url == detail
    elsewhere = coordinator_client.post(
        reverse("certification:ce_void", args=[log_ce(mentor).pk]),
        {"reason": REASON, "next": "https://evil.example/"},
    )
    assert elsewhere.url == reverse("certification:ce_queue")


def test_a_reason_is_required_and_fits_its_field(mentor, mentor_client):
    entry = log_ce(mentor)
    for reason in ["", "   "]:
        with pytest.raises(ValidationError) as refused:
            services.ce_void(entry=entry, by=mentor, reason=reason)
        assert refused.value.message_dict == {"reason": ["Say why these hours are being voided."]}
    page = mentor_client.post(
        reverse("certification:ce_void", args=[entry.pk]), {"reason": ""}, follow=True
    )
    assert "Say why these hours are being voided." in page.content.decode()
    entry.refresh_from_db()
    assert entry.voided_at is None


@pytest.mark.parametrize(("length", "allowed"), [(299, True), (300, True), (301, False)])
def test_the_reason_is_at_most_300_characters(mentor, length, allowed):
    entry = log_ce(mentor)
    if allowed:
        assert services.ce_void(entry=entry, by=mentor, reason="x" * length).voided_at
    else:
        with pytest.raises(ValidationError, match="under 300"):
            services.ce_void(entry=entry, by=mentor, reason="x" * length)


@pytest.mark.parametrize(
    ("after", "allowed"),
    [
        (WINDOW - timedelta(seconds=1), True),
        (WINDOW, True),  # the last moment of the window
        (WINDOW + timedelta(seconds=1), False),
    ],
    ids=["a second before 7 days", "at 7 days", "a second after 7 days"],
)
def test_the_holder_voids_within_7_days_of_logging_only(mentor, after, allowed):
    entry = log_ce(mentor)
    with time_machine.travel(entry.created_at + after, tick=False):
        if allowed:
            services.ce_void(entry=entry, by=mentor, reason=REASON)
        else:
            with pytest.raises(ValidationError, match="ask a coordinator"):
                services.ce_void(entry=entry, by=mentor, reason=REASON)
    entry.refresh_from_db()
    assert (entry.voided_at is not None) is allowed


def test_after_7_days_the_page_no_longer_offers_it_and_says_to_ask(mentor, mentor_client):
    entry = logged_days_ago(log_ce(mentor), 8)
    url = reverse("certification:ce_void", args=[entry.pk])
    assert url not in mentor_client.get(reverse("certification:mine")).content.decode()
    page = mentor_client.post(url, {"reason": REASON}, follow=True).content.decode()
    assert "ask a coordinator to void these" in page
    entry.refresh_from_db()
    assert entry.voided_at is None


@pytest.mark.parametrize("decider", ["coordinator", "admin_user"])
def test_whoever_decides_on_the_hours_voids_at_any_time(request, mentor, decider):
    user = request.getfixturevalue(decider)
    entry = log_ce(mentor, approved_by=user)
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        services.ce_void(entry=entry, by=user, reason=REASON)
    entry.refresh_from_db()
    assert entry.voided_by == user


def test_nobody_else_voids(mentor, other_mentor, mentee, outsider):
    entry = log_ce(mentor)
    for user in [other_mentor, mentee, outsider]:
        with pytest.raises(PermissionDenied):
            services.ce_void(entry=entry, by=user, reason=REASON)
    entry.refresh_from_db()
    assert entry.voided_at is None


def test_a_coordinator_voids_their_own_hours_as_a_holder_does(coordinator):
    """Nobody decides on their own hours (can_approve_ce): a coordinator's own
    entry follows the holder's 7 days, then another coordinator voids it."""
    fresh = log_ce(coordinator)
    services.ce_void(entry=fresh, by=coordinator, reason=REASON)
    old = logged_days_ago(log_ce(coordinator), 8)
    with pytest.raises(ValidationError, match="ask a coordinator"):
        services.ce_void(entry=old, by=coordinator, reason=REASON)


def test_voiding_twice_answers_like_the_first(mentor, coordinator):
    entry = log_ce(mentor)
    first = services.ce_void(entry=entry, by=mentor, reason=REASON)
    voided_at = first.voided_at
    again = services.ce_void(
        entry=ContinuingEducation.objects.get(pk=entry.pk), by=coordinator, reason="Another"
    )
    assert (again.voided_by, again.void_reason, again.voided_at) == (mentor, REASON, voided_at)


def test_voided_hours_leave_progress_pending_and_the_report(mentor, coordinator, admin_user):
    approved = log_ce(mentor, hours="4", approved_by=coordinator)
    pending = log_ce(mentor, hours="3")
    cert = mentor.certifications.get()
    before = ce_progress(cert, ContinuingEducation.objects.filter(holder=mentor))
    assert (before.approved, before.pending) == (Decimal("4"), Decimal("3"))
    services.ce_void(entry=approved, by=coordinator, reason=REASON)
    services.ce_void(entry=pending, by=mentor, reason=REASON)
    (row,) = selectors.certifications_of(holder=mentor)
    assert (row.ce.approved, row.ce.pending) == (Decimal("0"), Decimal("0"))
    report = selectors.certification_report(user=admin_user, filters=ReportFilters())
    (mentors_row,) = [r for r in report["rows"] if r.certification.holder_id == mentor.pk]
    assert (mentors_row.ce.approved, mentors_row.ce.pending) == (Decimal("0"), Decimal("0"))
    assert selectors.certification_detail(certification=cert).ce.approved == Decimal("0")


def test_voided_hours_leave_the_queue(coordinator_client, mentor):
    entry = log_ce(mentor, course_title="Trauma-informed care")
    queue = reverse("certification:ce_queue")
    assert "Trauma-informed care" in coordinator_client.get(queue).content.decode()
    services.ce_void(entry=entry, by=mentor, reason=REASON)
    assert "Trauma-informed care" not in coordinator_client.get(queue).content.decode()


def test_voided_hours_do_not_renew_a_certification(mentor, coordinator):
    mentor.certifications.all().delete()
    expiry = date(2027, 6, 30)
    cert = certify(
        mentor,
        issued_on=date(2025, 6, 30),
        cycle_started_on=date(2025, 6, 30),
        expires_on=expiry,
        ethics_signed_on=expiry - timedelta(days=60),
    )
    entries = [
        ContinuingEducation.objects.create(
            holder=mentor,
            course_title=category,
            provider="P",
            hours=Decimal(hours),
            category=category,
            completed_on=date(2026, 9, 1),
            approved_by=coordinator,
            approved_at=timezone.now(),
        )
        for category, hours in [("law_and_ethics", "6"), ("crisis", "14")]
    ]
    services.ce_void(entry=entries[0], by=coordinator, reason=REASON)
    with pytest.raises(ValidationError) as refused:
        services.certification_renew(
            certification=cert, by=coordinator, today=expiry - timedelta(days=60)
        )
    assert any("6 h in total" in m and "law and ethics" in m for m in refused.value.messages)


def test_voided_hours_do_not_stop_the_shortfall_alert(mentor, coordinator):
    mentor.certifications.all().delete()
    cert = certify(mentor, expires_in_days=150)
    for category, hours in [("law_and_ethics", "6"), ("crisis", "14")]:
        entry = ContinuingEducation.objects.create(
            holder=mentor,
            course_title=category,
            provider="P",
            hours=Decimal(hours),
            category=category,
            completed_on=cert.cycle_started_on + timedelta(days=30),
            approved_by=coordinator,
            approved_at=timezone.now(),
        )
    send_renewal_alerts()
    assert not Notification.objects.filter(recipient=mentor, kind="cert_ce_short").exists()
    Notification.objects.filter(recipient=mentor).delete()  # a fresh sweep
    services.ce_void(entry=entry, by=coordinator, reason=REASON)  # the 14 h of crisis
    send_renewal_alerts()
    assert Notification.objects.filter(recipient=mentor, kind="cert_ce_short").count() == 1


def test_voided_hours_are_neither_approved_nor_rejected(mentor, coordinator):
    entry = log_ce(mentor)
    services.ce_void(entry=entry, by=mentor, reason=REASON)
    with pytest.raises(ValidationError, match="voided"):
        services.ce_approve(entry=entry, by=coordinator)
    with pytest.raises(ValidationError, match="voided"):
        services.ce_reject(entry=entry, by=coordinator, reason="No certificate")
    entry.refresh_from_db()
    assert entry.approved_at is None and entry.rejected_at is None


def test_approving_voided_hours_on_the_page_says_why(coordinator_client, mentor):
    entry = log_ce(mentor)
    services.ce_void(entry=entry, by=mentor, reason=REASON)
    response = coordinator_client.post(
        reverse("certification:ce_approve", args=[entry.pk]), follow=True
    )
    assert response.status_code == 200
    assert "voided as entered by mistake" in response.content.decode()


def test_approved_hours_voided_keep_their_approval_and_count_for_nothing(mentor, coordinator):
    entry = log_ce(mentor, hours="5", approved_by=coordinator)
    services.ce_void(entry=entry, by=coordinator, reason=REASON)
    entry.refresh_from_db()
    assert entry.approved_by == coordinator  # the history says what happened
    (row,) = selectors.certifications_of(holder=mentor)
    assert row.ce.approved == Decimal("0")


def test_the_database_keeps_who_when_and_why_together(mentor):
    entry = log_ce(mentor)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContinuingEducation.objects.filter(pk=entry.pk).update(voided_at=timezone.now())


def test_the_api_voids_with_the_same_rules(mentor, coordinator, other_mentor):
    entry = log_ce(mentor)
    url = reverse("api:continuing-education-void", args=[entry.pk])
    assert (
        api_client_for(other_mentor).post(url, {"reason": REASON}, format="json").status_code == 404
    )
    assert api_client_for(mentor).post(url, {}, format="json").status_code == 400
    done = api_client_for(mentor).post(url, {"reason": REASON}, format="json")
    assert done.status_code == 200
    body = done.json()
    assert (body["voided_by"], body["void_reason"]) == (mentor.pk, REASON)
    assert body["voided_at"]
    again = api_client_for(coordinator).post(url, {"reason": "Another"}, format="json")
    assert again.json()["void_reason"] == REASON
    listed = api_client_for(mentor).get(reverse("api:continuing-education-detail", args=[entry.pk]))
    assert listed.json()["void_reason"] == REASON  # still in the history


def test_the_api_tells_the_holder_after_7_days_to_ask(mentor):
    entry = logged_days_ago(log_ce(mentor), 8)
    url = reverse("api:continuing-education-void", args=[entry.pk])
    response = api_client_for(mentor).post(url, {"reason": REASON}, format="json")
    assert response.status_code == 400 and "ask a coordinator" in str(response.json())


def test_the_api_does_not_let_a_caller_set_the_void_fields(mentor, coordinator):
    response = api_client_for(mentor).post(
        reverse("api:continuing-education-list"),
        {
            "course_title": "Ethics",
            "provider": "CCAPP",
            "completed_on": (timezone.now() - timedelta(days=3)).date().isoformat(),
            "hours": "3.0",
            "category": "law_and_ethics",
            "voided_at": timezone.now().isoformat(),
            "voided_by": coordinator.pk,
            "void_reason": "Sneaked in",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = ContinuingEducation.objects.get(pk=response.json()["id"])
    assert (entry.voided_at, entry.voided_by, entry.void_reason) == (None, None, "")
