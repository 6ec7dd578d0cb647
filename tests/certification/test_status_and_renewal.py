"""Derived status on the boundary dates, CE counting per cycle and category,
and renewal."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certification import services
from certification.models import ContinuingEducation
from certification.status import Status, ce_progress, derive_status
from tests.certification.factories import certify, log_ce

pytestmark = pytest.mark.django_db

EXPIRY = date(2027, 6, 30)


@pytest.fixture
def cert(mentor):
    mentor.certifications.all().delete()
    return certify(
        mentor, issued_on=date(2025, 6, 30), cycle_started_on=date(2025, 6, 30), expires_on=EXPIRY
    )


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (EXPIRY - timedelta(days=91), Status.ACTIVE),
        (EXPIRY - timedelta(days=90), Status.WINDOW_OPEN),
        (EXPIRY - timedelta(days=31), Status.WINDOW_OPEN),
        (EXPIRY - timedelta(days=30), Status.EXPIRING),
        (EXPIRY - timedelta(days=1), Status.EXPIRING),
        (EXPIRY, Status.EXPIRING),
        (EXPIRY + timedelta(days=1), Status.LAPSED),
    ],
    ids=[
        "91 days before",
        "window opens",
        "31 days before",
        "30 days before",
        "day before",
        "day of",
        "day after",
    ],
)
def test_status_is_derived_from_the_dates(cert, today, status):
    assert derive_status(cert, today) == status


def test_no_training_or_exam_is_in_progress(mentor):
    mentor.certifications.all().delete()
    assert derive_status(certify(mentor, in_progress=True), date(2027, 1, 1)) == Status.IN_PROGRESS


@pytest.mark.parametrize("manual", ["suspended", "revoked"])
def test_suspension_and_revocation_override_the_dates(cert, admin_user, manual):
    services.certification_set_manual_status(
        certification=cert, by=admin_user, status=manual, reason="Board decision"
    )
    assert derive_status(cert, EXPIRY - timedelta(days=200)) == manual


def test_only_admins_suspend_and_a_reason_is_needed(cert, coordinator, admin_user):
    with pytest.raises(PermissionDenied):
        services.certification_set_manual_status(
            certification=cert, by=coordinator, status="suspended", reason="x"
        )
    with pytest.raises(ValidationError):
        services.certification_set_manual_status(
            certification=cert, by=admin_user, status="suspended", reason=""
        )


def progress(cert):
    return ce_progress(cert, ContinuingEducation.objects.filter(holder=cert.holder))


def test_twenty_hours_without_ethics_are_short(cert, mentor, coordinator):
    ContinuingEducation.objects.create(
        holder=mentor,
        course_title="Groups",
        provider="X",
        hours=Decimal("20"),
        category="other",
        completed_on=date(2026, 1, 10),
        approved_by=coordinator,
        approved_at="2026-01-11T00:00Z",
    )
    result = progress(cert)
    assert result.approved == Decimal("20") and result.short
    assert result.shortfalls() == ["6 h of law and ethics"]


def test_hours_count_in_the_cycle_they_were_completed(cert, mentor, coordinator):
    for day, hours in [(date(2025, 6, 1), "5"), (date(2026, 3, 1), "7"), (date(2027, 7, 1), "9")]:
        ContinuingEducation.objects.create(
            holder=mentor,
            course_title="C",
            provider="P",
            hours=Decimal(hours),
            category="law_and_ethics",
            completed_on=day,
            approved_by=coordinator,
            approved_at="2026-01-01T00:00Z",
        )
    assert progress(cert).approved == Decimal("7")


def test_unapproved_hours_show_but_do_not_count(cert, mentor):
    ContinuingEducation.objects.create(
        holder=mentor,
        course_title="C",
        provider="P",
        hours=Decimal("6"),
        category="law_and_ethics",
        completed_on=date(2026, 3, 1),
    )
    result = progress(cert)
    assert (result.approved, result.pending) == (Decimal("0"), Decimal("6"))


def complete_ce(holder, approver):
    for category, hours in [("law_and_ethics", "6"), ("crisis", "14")]:
        ContinuingEducation.objects.create(
            holder=holder,
            course_title=category,
            provider="P",
            hours=Decimal(hours),
            category=category,
            completed_on=date(2026, 9, 1),
            approved_by=approver,
            approved_at="2026-09-02T00:00Z",
        )


def test_renewal_in_the_window_starts_the_next_cycle_and_keeps_the_last(cert, mentor, coordinator):
    complete_ce(mentor, coordinator)
    cert.ethics_signed_on = EXPIRY - timedelta(days=60)
    cert.save()
    services.certification_renew(
        certification=cert, by=coordinator, today=EXPIRY - timedelta(days=60)
    )
    cert.refresh_from_db()
    # The next cycle starts the day after the expiry: no day counts in both.
    assert (cert.cycle_started_on, cert.expires_on) == (date(2027, 7, 1), date(2029, 6, 30))
    cycle = cert.cycles.get()
    assert (cycle.ended_on, cycle.ce_hours_approved, cycle.renewed_by) == (
        EXPIRY,
        Decimal("20"),
        coordinator,
    )


def test_renewal_is_refused_before_the_window_with_short_ce_or_without_ethics(
    cert, mentor, coordinator
):
    with pytest.raises(ValidationError, match="window is not open"):
        services.certification_renew(
            certification=cert, by=coordinator, today=EXPIRY - timedelta(days=91)
        )
    with pytest.raises(ValidationError) as exc:
        services.certification_renew(
            certification=cert, by=coordinator, today=EXPIRY - timedelta(days=10)
        )
    assert any("short" in m for m in exc.value.messages)
    assert any("Code of Ethics" in m for m in exc.value.messages)


def test_a_lapsed_certification_needs_the_refresher_first(cert, mentor, coordinator):
    complete_ce(mentor, coordinator)
    cert.ethics_signed_on = EXPIRY - timedelta(days=10)
    cert.save()
    after = EXPIRY + timedelta(days=15)
    with pytest.raises(ValidationError, match="refresher"):
        services.certification_renew(certification=cert, by=coordinator, today=after)
    cert.refresher_completed_on = EXPIRY + timedelta(days=10)
    cert.save()
    services.certification_renew(certification=cert, by=coordinator, today=after)
    cert.refresher_completed_on = None
    assert derive_status(cert, after) == Status.ACTIVE


def test_ce_entry_hours_are_bounded_by_the_database(mentor):
    from django.db import IntegrityError, transaction

    for hours in ["0", "40.5"]:
        with pytest.raises(IntegrityError), transaction.atomic():
            ContinuingEducation.objects.create(
                holder=mentor,
                course_title="C",
                provider="P",
                hours=Decimal(hours),
                category="other",
                completed_on=date(2026, 1, 1),
            )


def test_coordinators_approve_hours_but_never_their_own(mentor, coordinator, outsider):
    entry = log_ce(mentor)
    with pytest.raises(PermissionDenied):
        services.ce_approve(entry=entry, by=outsider)
    with pytest.raises(PermissionDenied):
        services.ce_approve(entry=log_ce(coordinator), by=coordinator)
    services.ce_approve(entry=entry, by=coordinator)
    entry.refresh_from_db()
    assert entry.approved_by == coordinator and entry.approved_at is not None


def test_certifications_are_for_mentors_and_coordinators_of_ones_own_program(
    coordinator, mentee, outsider, mentor
):
    with pytest.raises(ValidationError):
        services.certification_create(
            holder=mentee,
            certification_type=mentor.certifications.get().certification_type,
            by=coordinator,
            number="X",
        )
    with pytest.raises(PermissionDenied):
        services.certification_create(
            holder=mentor,
            certification_type=mentor.certifications.get().certification_type,
            by=outsider,
            number="Y",
        )


def test_a_coordinator_records_a_certification_whose_expiry_follows_the_cycle(coordinator, program):
    from tests.certification.factories import medi_cal
    from tests.mentorship.factories import make_mentor

    mentor = make_mentor(program, certified=False)
    cert = services.certification_create(
        holder=mentor,
        certification_type=medi_cal(),
        by=coordinator,
        issued_on=date(2026, 2, 28),
        training_completed_on=date(2026, 1, 1),
        exam_passed_on=date(2026, 2, 1),
    )
    assert cert.expires_on == date(2028, 2, 28) and cert.cycle_started_on == date(2026, 2, 28)


def test_admins_manage_types_in_the_site_and_others_cannot(admin_client, coordinator_client):
    from django.urls import reverse

    from certification.models import CertificationType

    data = {
        "name": "County Peer Credential",
        "issuing_body": "County",
        "exam_body": "",
        "initial_training_hours": 40,
        "cycle_months": 12,
        "ce_hours_required": "10",
        "renewal_window_days": 60,
        "background_check_counties": "Yolo",
        "lapse_rule": "new_application",
        "new_application_after_months": 6,
        "ce_records_kept_years": 2,
        "category_requirements-TOTAL_FORMS": "1",
        "category_requirements-INITIAL_FORMS": "0",
        "category_requirements-0-category": "crisis",
        "category_requirements-0-hours": "4",
    }
    assert coordinator_client.post(reverse("certification:type_new"), data).status_code == 403
    response = admin_client.post(reverse("certification:type_new"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    ctype = CertificationType.objects.get(name="County Peer Credential")
    assert ctype.background_check_counties == ["Yolo"]
    assert [(r.category, r.hours) for r in ctype.category_requirements.all()] == [("crisis", 4)]
