"""Renewal writes one cycle whatever the double posts; CE counts in one cycle
only; the renewal sweep follows each type's window, each holder's calendar
and a query count that does not grow with admins or certifications."""

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from certification import services
from certification.models import (
    Certification,
    CertificationCycle,
    CertificationType,
    ContinuingEducation,
)
from certification.reminders import send_renewal_alerts
from certification.status import Status, ce_progress, derive_status, in_cycle
from core.dates import local_today
from notifications.models import Notification
from tests.accounts.factories import ProgramFactory, UserFactory
from tests.certification.factories import certify, medi_cal
from tests.mentorship.factories import make_mentor
from tests.services import require_postgres

pytestmark = pytest.mark.django_db

LA = "America/Los_Angeles"


def kinds_for(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def add_ce(holder, approver, day: date, hours: str = "20", category: str = "other"):
    return ContinuingEducation.objects.create(
        holder=holder,
        course_title=category,
        provider="P",
        hours=Decimal(hours),
        category=category,
        completed_on=day,
        approved_by=approver,
        approved_at=timezone.now(),
    )


def complete_ce_on(holder, approver, day: date) -> None:
    """The Medi-Cal cycle's 20 hours, 6 of them law and ethics, all on `day`."""
    add_ce(holder, approver, day, "6", "law_and_ethics")
    add_ce(holder, approver, day, "14", "other")


def renewable(holder, approver, *, expires_in_days: int = 60) -> Certification:
    """In its renewal window, CE complete, ethics signed again: ready to renew."""
    holder.certifications.all().delete()
    cert = certify(holder, expires_in_days=expires_in_days)
    assert cert.expires_on is not None
    cert.ethics_signed_on = cert.expires_on - timedelta(days=expires_in_days)
    cert.save()
    complete_ce_on(holder, approver, cert.expires_on - timedelta(days=100))
    return cert


# --- A. Renewal is atomic; a double post writes one cycle -------------------------


@pytest.mark.django_db(transaction=True)
def test_two_renewals_at_once_write_one_cycle_on_postgresql(program, coordinator, admin_user):
    require_postgres()
    mentor = make_mentor(program)
    cert = renewable(mentor, admin_user)
    expires = cert.expires_on
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def renew_in_thread():
        mine = Certification.objects.get(pk=cert.pk)  # each post reads the page's row
        try:
            barrier.wait()
            services.certification_renew(certification=mine, by=coordinator)
            outcomes.append("renewed")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        except Exception as exc:  # noqa: BLE001 - a 500 in the making must fail the test
            outcomes.append(f"error {type(exc).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=renew_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["This certification was just renewed.", "renewed"]
    assert CertificationCycle.objects.filter(certification=cert).count() == 1
    cert.refresh_from_db()
    assert cert.cycle_started_on == expires + timedelta(days=1)


def test_a_double_post_on_the_page_renews_once_with_a_plain_message(
    client_for, coordinator, mentor, admin_user
):
    cert = renewable(mentor, admin_user)
    client = client_for(coordinator)
    url = reverse("certification:renew", args=[cert.pk])
    first = client.post(url, follow=True)
    second = client.post(url, follow=True)
    assert first.status_code == second.status_code == 200
    assert "Renewed" in first.content.decode()
    assert "This certification was just renewed." in second.content.decode()
    assert cert.cycles.count() == 1


def test_a_stale_copy_cannot_renew_a_second_time(coordinator, mentor, admin_user):
    cert = renewable(mentor, admin_user)
    stale = Certification.objects.get(pk=cert.pk)
    services.certification_renew(certification=cert, by=coordinator)
    with pytest.raises(ValidationError, match="This certification was just renewed."):
        services.certification_renew(certification=stale, by=coordinator)
    assert cert.cycles.count() == 1


def test_the_database_keeps_one_cycle_per_end_date(coordinator, mentor, admin_user):
    cert = renewable(mentor, admin_user)
    values = {
        "certification": cert,
        "ended_on": cert.expires_on,
        "ce_hours_approved": 20,
        "renewed_on": cert.expires_on,
        "renewed_by": coordinator,
    }
    CertificationCycle.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationCycle.objects.create(**values)


def test_a_cycle_already_recorded_for_this_end_is_a_plain_refusal(coordinator, mentor, admin_user):
    """Had another writer recorded this cycle, the database's refusal reads as a
    message, never a server error."""
    cert = renewable(mentor, admin_user)
    CertificationCycle.objects.create(
        certification=cert,
        ended_on=cert.expires_on,
        ce_hours_approved=20,
        renewed_on=cert.expires_on - timedelta(days=400),
        renewed_by=coordinator,
    )
    before = (cert.cycle_started_on, cert.expires_on)
    with pytest.raises(ValidationError, match="This certification was just renewed."):
        services.certification_renew(certification=cert, by=coordinator)
    cert.refresh_from_db()
    assert (cert.cycle_started_on, cert.expires_on) == before


# --- B. CE counts in one cycle only -------------------------------------------------

START, END = date(2025, 7, 1), date(2027, 6, 30)


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (START - timedelta(days=1), False),
        (START, True),
        (START + timedelta(days=1), True),
        (END - timedelta(days=1), True),
        (END, True),
        (END + timedelta(days=1), False),
    ],
    ids=["day before start", "first day", "second day", "day before expiry", "expiry", "day after"],
)
def test_a_cycle_runs_from_its_first_day_to_its_expiry_day(day, inside):
    assert in_cycle(day, START, END) is inside


def test_hours_on_the_expiry_day_count_for_the_ending_cycle_and_not_the_next(
    coordinator, mentor, admin_user
):
    cert = renewable(mentor, admin_user)
    expires = cert.expires_on
    mentor.continuing_education.all().delete()
    complete_ce_on(mentor, admin_user, expires)  # all 20 hours on the expiry day
    add_ce(mentor, admin_user, expires + timedelta(days=1), "3")

    def progress():
        cert.refresh_from_db()
        return ce_progress(cert, ContinuingEducation.objects.filter(holder=mentor))

    assert progress().approved == Decimal("20")  # the ending cycle: complete
    services.certification_renew(certification=cert, by=coordinator, today=expires)
    after = progress()
    assert cert.cycle_started_on == expires + timedelta(days=1)
    assert after.approved == Decimal("3")  # the next cycle: only the day after
    assert cert.cycles.get().ce_hours_approved == Decimal("20")


@pytest.mark.parametrize(
    ("where", "counted"),
    [("day before start", False), ("first day", True), ("expiry", True), ("day after", False)],
)
def test_the_sweep_counts_the_cycle_boundary_days_as_python_does(
    mentor, admin_user, where, counted
):
    mentor.certifications.all().delete()
    cert = certify(mentor, expires_in_days=150)
    assert cert.cycle_started_on and cert.expires_on
    day = {
        "day before start": cert.cycle_started_on - timedelta(days=1),
        "first day": cert.cycle_started_on,
        "expiry": cert.expires_on,
        "day after": cert.expires_on + timedelta(days=1),
    }[where]
    complete_ce_on(mentor, admin_user, day)
    python_short = ce_progress(cert, ContinuingEducation.objects.filter(holder=mentor)).short
    send_renewal_alerts()
    sql_short = "cert_ce_short" in kinds_for(mentor)
    assert python_short is sql_short is (not counted)


# --- C. The renewal window comes from the type; counties match in any case --------


def certificate_of_type(holder, window_days: int, expires_in_days: int) -> Certification:
    ctype = CertificationType.objects.create(
        name=f"Window {window_days}",
        issuing_body="Board",
        renewal_window_days=window_days,
        ce_hours_required=0,
    )
    holder.certifications.all().delete()
    cert = certify(holder, expires_in_days=expires_in_days)
    cert.certification_type = ctype
    cert.save()
    return cert


@pytest.mark.parametrize("window", [120, 45, 60])
@pytest.mark.parametrize(
    ("offset", "opens"), [(1, False), (0, True), (-1, True)], ids=["day before", "day of", "after"]
)
def test_the_window_alert_goes_out_the_day_the_status_turns_window_open(
    mentor, admin_user, window, offset, opens
):
    cert = certificate_of_type(mentor, window, window + offset)
    today = local_today(mentor.program.time_zone)
    assert (derive_status(cert, today) == Status.WINDOW_OPEN) is opens
    send_renewal_alerts()
    assert ("cert_window_open" in kinds_for(mentor)) is opens
    assert ("cert_window_open" in kinds_for(admin_user)) is opens


@pytest.mark.parametrize(
    ("window", "days_left", "kinds"),
    [
        (45, 60, ["cert_expiring_60"]),  # not open yet: the 60-day notice
        (45, 45, ["cert_window_open"]),  # opens: that alert, not both
        (45, 31, ["cert_window_open"]),
        (45, 30, ["cert_expiring_30"]),
        (120, 61, ["cert_window_open"]),
        (120, 60, ["cert_expiring_60"]),
        (20, 31, ["cert_expiring_60"]),  # a window inside the last 30 days never shows
    ],
)
def test_a_certification_recorded_late_gets_only_the_most_urgent_alert(
    mentor, window, days_left, kinds
):
    certificate_of_type(mentor, window, days_left)
    send_renewal_alerts()
    assert [k for k in kinds_for(mentor) if k != "cert_ce_short"] == kinds


@pytest.mark.parametrize("spelling", ["sacramento", "Sacramento", "SACRAMENTO", " Sacramento "])
def test_background_check_counties_match_whatever_their_case(mentor, program, spelling):
    assert program.county == "Sacramento"
    ctype = medi_cal()
    ctype.background_check_counties = [spelling]
    ctype.save()
    assert ctype.requires_background_check_in(program.county)
    assert ctype.requires_background_check_in(program.county.upper())
    send_renewal_alerts()
    assert "cert_background_check" in kinds_for(mentor)


def test_background_check_counties_do_not_match_another_county(mentor, program):
    ctype = medi_cal()
    ctype.background_check_counties = ["FRESNO"]
    ctype.save()
    assert not ctype.requires_background_check_in(program.county)
    send_renewal_alerts()
    assert "cert_background_check" not in kinds_for(mentor)


@pytest.mark.parametrize("spelling", ["sacramento", "Sacramento", "SACRAMENTO"])
def test_the_report_filters_counties_whatever_their_case(mentor, admin_user, spelling):
    from certification.selectors import ReportFilters, certification_report

    mentor.certifications.all().delete()
    cert = certify(mentor)
    report = certification_report(user=admin_user, filters=ReportFilters(county=spelling))
    assert [row.certification.pk for row in report["rows"]] == [cert.pk]


# --- D. Each holder's calendar ------------------------------------------------------


@pytest.mark.parametrize("clock", ["02:30", "23:30"])
@pytest.mark.parametrize(
    ("days_left", "kind", "fires"),
    [
        (91, "cert_window_open", False),
        (90, "cert_window_open", True),
        (8, "cert_expiring_30", True),
        (8, "cert_expiring_7", False),
        (7, "cert_expiring_7", True),
        (0, "cert_expiring_7", True),
        (-1, "cert_lapsed", True),
        (0, "cert_lapsed", False),
    ],
)
def test_the_sweep_dates_each_certification_on_its_programs_calendar(clock, days_left, kind, fires):
    hour, minute = (int(p) for p in clock.split(":"))
    now = datetime(2026, 3, 10, hour, minute, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        program = ProgramFactory(time_zone=LA, county="Sacramento")
        holder = make_mentor(program)
        holder.certifications.all().delete()
        la_today = local_today(LA, now)
        assert la_today == (date(2026, 3, 9) if clock == "02:30" else date(2026, 3, 10))
        certify(holder, expires_on=la_today + timedelta(days=days_left))
        with timezone.override(UTC):  # a worker: no zone activated by a request
            send_renewal_alerts()
    assert (kind in kinds_for(holder)) is fires


def test_a_holder_without_a_program_is_dated_in_utc(mentor, admin_user):
    """Only mentors and coordinators hold certifications, and they always have a
    program; should a holder lose theirs, the sweep still dates theirs (in UTC)."""
    now = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        mentor.certifications.all().delete()
        certify(mentor, expires_on=date(2026, 3, 10) + timedelta(days=7))
        User.objects.filter(pk=mentor.pk).update(role="admin", program=None)
        send_renewal_alerts(now=now)
    assert "cert_expiring_7" in kinds_for(mentor)


# --- E. Constant queries in admins and certifications --------------------------------


def bulk_certifications(program, count: int) -> None:
    ctype = medi_cal()
    holders = User.objects.bulk_create(
        User(email=f"h{count}-{i}@example.org", full_name=f"H {i}", role="mentor", program=program)
        for i in range(count)
    )
    today = local_today(program.time_zone)
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


def sweep_queries() -> int:
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        send_renewal_alerts()
    return len(queries)


def test_the_sweep_queries_do_not_grow_with_admins_or_certifications(program, admin_user):
    bulk_certifications(program, 10)
    baseline = sweep_queries()
    UserFactory.create_batch(4, admin=True)
    assert sweep_queries() == baseline  # 1 admin, then 5
    bulk_certifications(program, 90)
    assert sweep_queries() == baseline  # 10 certifications, then 100


def test_every_active_admin_and_the_holder_hear_once(mentor, admin_user):
    others = UserFactory.create_batch(4, admin=True)
    gone = UserFactory(admin=True, is_active=False)
    mentor.certifications.all().delete()
    certify(mentor, expires_in_days=5)
    send_renewal_alerts()
    send_renewal_alerts()
    for person in [mentor, admin_user, *others]:
        assert kinds_for(person).count("cert_expiring_7") == 1
    assert kinds_for(gone) == []


def test_the_migration_moves_starts_that_shared_the_last_expiry_day(
    coordinator, mentor, admin_user
):
    """Renewals before this rule started the next cycle on the old expiry day."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("certification.migrations.0003_cycle_once_per_end")
    cert = renewable(mentor, admin_user)
    old_expiry = cert.expires_on
    CertificationCycle.objects.create(
        certification=cert,
        started_on=old_expiry - timedelta(days=730),
        ended_on=old_expiry,
        ce_hours_approved=20,
        renewed_on=old_expiry,
        renewed_by=coordinator,
    )
    Certification.objects.filter(pk=cert.pk).update(
        cycle_started_on=old_expiry, expires_on=old_expiry + timedelta(days=730)
    )
    other = certify(make_mentor(cert.holder.program, certified=False))
    migration.start_cycles_the_day_after_the_last_ended(apps, None)
    cert.refresh_from_db()
    assert cert.cycle_started_on == old_expiry + timedelta(days=1)
    assert Certification.objects.get(pk=other.pk).cycle_started_on == other.cycle_started_on


def test_without_a_start_date_the_sweep_counts_hours_as_python_does(mentor, admin_user):
    mentor.certifications.all().delete()
    cert = certify(mentor, expires_in_days=150, issued_on=None, cycle_started_on=None)
    complete_ce_on(mentor, admin_user, cert.expires_on - timedelta(days=100))
    assert not ce_progress(cert, ContinuingEducation.objects.filter(holder=mentor)).short
    send_renewal_alerts()
    assert "cert_ce_short" not in kinds_for(mentor)
