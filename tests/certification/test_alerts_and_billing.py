"""Renewal alerts (once each, whatever the reruns), CE shortfall and background
check alerts, billable gating, and the sweep's constant query count."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certification.models import Certification, ContinuingEducation
from certification.reminders import send_renewal_alerts
from core.dates import user_today
from notifications.models import Notification
from notifications.services import notifications_send_pending
from tests.accounts.factories import program_day
from tests.certification.factories import certify, medi_cal

pytestmark = pytest.mark.django_db


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 16, tzinfo=UTC), tick=False)


def test_each_alert_goes_out_once_on_consecutive_days_and_reruns(mentor, admin_user):
    mentor.certifications.all().delete()
    start = date(2026, 3, 1)
    with at(start):
        cert = certify(mentor, expires_in_days=95)
    complete = [("law_and_ethics", "6"), ("other", "14")]
    for category, hours in complete:  # CE complete: only the expiry alerts
        ContinuingEducation.objects.create(
            holder=mentor,
            course_title=category,
            provider="P",
            hours=Decimal(hours),
            category=category,
            completed_on=cert.cycle_started_on + timedelta(days=5),
            approved_by=admin_user,
            approved_at=timezone.now(),
        )
    for offset in range(0, 110):
        with at(start + timedelta(days=offset)):
            send_renewal_alerts()
            send_renewal_alerts()  # a second run the same day adds nothing
    expected = [
        "cert_expiring_30",
        "cert_expiring_60",
        "cert_expiring_7",
        "cert_lapsed",
        "cert_window_open",
    ]
    assert kinds_for(mentor) == expected
    assert kinds_for(admin_user) == expected


def test_the_lapse_alert_goes_out_exactly_once(mentor, admin_user):
    mentor.certifications.all().delete()
    certify(mentor, expires_in_days=-3)
    for _ in range(3):
        send_renewal_alerts()
    assert kinds_for(mentor).count("cert_lapsed") == 1


def test_ce_shortfall_within_180_days(mentor, admin_user):
    mentor.certifications.all().delete()
    cert = certify(mentor, expires_in_days=200)
    ContinuingEducation.objects.create(
        holder=mentor,
        course_title="Groups",
        provider="P",
        hours=Decimal("20"),
        category="other",
        completed_on=cert.cycle_started_on + timedelta(days=30),
        approved_by=admin_user,
        approved_at=timezone.now(),
    )
    send_renewal_alerts()
    assert "cert_ce_short" not in kinds_for(mentor)  # 200 days out: not yet
    Certification.objects.filter(pk=cert.pk).update(
        expires_on=user_today(mentor) + timedelta(days=150)
    )
    send_renewal_alerts()
    send_renewal_alerts()
    assert kinds_for(mentor).count("cert_ce_short") == 1  # 20 h, but no ethics


def test_no_shortfall_when_total_and_categories_are_met(mentor, admin_user):
    mentor.certifications.all().delete()
    cert = certify(mentor, expires_in_days=150)
    for category, hours in [("law_and_ethics", "6"), ("crisis", "14")]:
        ContinuingEducation.objects.create(
            holder=mentor,
            course_title=category,
            provider="P",
            hours=Decimal(hours),
            category=category,
            completed_on=cert.cycle_started_on + timedelta(days=30),
            approved_by=admin_user,
            approved_at=timezone.now(),
        )
    send_renewal_alerts()
    assert "cert_ce_short" not in kinds_for(mentor)


def test_background_check_alert_when_the_county_requires_one(mentor, program):
    ctype = medi_cal()
    ctype.background_check_counties = [program.county]
    ctype.save()
    send_renewal_alerts()
    assert "cert_background_check" in kinds_for(mentor)
    Notification.objects.all().delete()
    mentor.certifications.update(background_check_on=program_day())
    send_renewal_alerts()
    assert "cert_background_check" not in kinds_for(mentor)


def test_alert_emails_say_only_the_kind(mentor, admin_user):
    mentor.certifications.all().delete()
    certify(mentor, expires_in_days=5)
    send_renewal_alerts()
    while notifications_send_pending():
        pass
    assert {m.subject for m in mail.outbox} >= {"[Peerpath] A certification expires in 7 days"}
    assert all(mentor.full_name not in m.body for m in mail.outbox if m.to != [mentor.email])


@pytest.mark.parametrize("size", [10, 1000])
def test_the_sweep_runs_a_constant_number_of_queries(
    size, program, admin_user, django_assert_num_queries
):
    from accounts.models import User

    ctype = medi_cal()
    holders = User.objects.bulk_create(
        User(email=f"h{i}@example.org", full_name=f"H {i}", role="mentor", program=program)
        for i in range(size)
    )
    today = user_today(holders[0])
    Certification.objects.bulk_create(
        Certification(
            holder=h,
            certification_type=ctype,
            training_completed_on=today - timedelta(days=800),
            exam_passed_on=today - timedelta(days=790),
            issued_on=today - timedelta(days=700),
            cycle_started_on=today - timedelta(days=700),
            expires_on=today + timedelta(days=i % 120 - 10),
        )
        for i, h in enumerate(holders)
    )
    # 1 time zones, 1 types, 1 requirements; 1 the window, the 3 expiry bands and
    # the lapse, 1 the CE shortfall, each to the holders and the admins at once;
    # background checks: none configured here — 5 in all
    with django_assert_num_queries(5):
        created = send_renewal_alerts()
    assert created >= size


# --- Billable gating ------------------------------------------------------------


def log_checkin(mentor, mentee_profile):
    from checkins.services import checkin_log

    return checkin_log(
        author=mentor,
        mentee=mentee_profile,
        occurred_at=timezone.now() - timedelta(minutes=1),
        delivery_method="in_person",
        duration_minutes=20,
    )


def test_a_lapsed_mentor_logs_unbillable_checkins_and_coordinators_hear_once_a_day(
    mentee_profile, mentor, coordinator
):
    mentor.certifications.update(expires_on=user_today(mentor) - timedelta(days=1))
    first, second = log_checkin(mentor, mentee_profile), log_checkin(mentor, mentee_profile)
    assert (first.billable, second.billable) == (False, False)
    assert kinds_for(coordinator) == ["checkin_not_billable"]
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        log_checkin(mentor, mentee_profile)
    assert kinds_for(coordinator) == ["checkin_not_billable", "checkin_not_billable"]


@pytest.mark.parametrize("state", ["suspended", "revoked"])
def test_suspended_or_revoked_mentors_log_unbillable_checkins(mentee_profile, mentor, state):
    mentor.certifications.update(
        manual_status=state, manual_status_reason="x", manual_status_on=program_day()
    )
    assert log_checkin(mentor, mentee_profile).billable is False


def test_a_mentor_in_good_standing_logs_billable_checkins(mentee_profile, mentor, coordinator):
    assert log_checkin(mentor, mentee_profile).billable is True
    assert kinds_for(coordinator) == []


def test_the_checkin_page_tells_the_mentor_why(mentor_client, mentee_profile, mentor):
    mentor.certifications.update(expires_on=user_today(mentor) - timedelta(days=1))
    page = mentor_client.get(reverse("checkins:log", args=[mentee_profile.pk])).content.decode()
    assert "not billable" in page and "lapsed" in page
