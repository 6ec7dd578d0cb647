"""The admins' operations page: each job's last run and staleness, the
outbox, failed emails with their reason and a retry through the
notifications service; the same figures as the metrics, in constant queries."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications import services as notification_services
from notifications.models import Notification
from tests.operations.helpers import email, every_job_ran, run

pytestmark = pytest.mark.django_db

PAGE = "operations:page"


def job_row(page: str, job: str) -> str:
    start = page.index(f'data-job="{job}"')
    return page[start : page.index("</tr>", start)]


def test_each_job_with_its_last_run_duration_result_and_rows(admin_client):
    run("remind-checkins-due", ago=timedelta(minutes=20), rows=12, duration_ms=830)
    run("flag-contact-gaps", ago=timedelta(hours=2), result="failure")
    page = admin_client.get(reverse(PAGE)).content.decode()
    ran = job_row(page, "remind-checkins-due")
    assert "830 ms" in ran and "succeeded" in ran and ">12<" in ran and "On time" in ran
    assert "1 hour" in ran
    failed = job_row(page, "flag-contact-gaps")
    assert "failed" in failed and "Stale" not in failed  # recorded for less than two days
    assert "Never run" in job_row(page, "prune-job-runs")


def test_a_stale_job_shows_when_the_clock_moves(admin_client):
    every_job_ran()
    page = admin_client.get(reverse(PAGE)).content.decode()
    assert "Stale" not in page
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        admin_client.get("/")  # the idle timer: a request inside the new time
        page = admin_client.get(reverse(PAGE)).content.decode()
    assert "Stale" in job_row(page, "send-pending-notifications")
    assert "Stale" not in job_row(page, "remind-checkins-due")


def test_the_outbox_and_failed_emails_with_their_reason(admin_client, mentor, coordinator):
    email(mentor, state="pending", n=1, ago=timedelta(hours=1))
    email(coordinator, state="sending", n=2)
    failed = email(mentor, state="failed", reason="SMTP 550: recipient refused", n=3)
    page = admin_client.get(reverse(PAGE)).content.decode()
    assert "SMTP 550: recipient refused" in page
    assert reverse("operations:notification_retry", args=[failed.pk]) in page
    assert "Tasks waiting in the queue" in page
    # Kinds and ids: the recipient is not named.
    assert mentor.email not in page and mentor.full_name not in page


def test_retry_puts_the_email_back_and_queues_the_sender(
    admin_client, mentor, django_capture_on_commit_callbacks, monkeypatch
):
    from notifications.tasks import send_pending_notifications

    queued = []
    monkeypatch.setattr(send_pending_notifications, "delay", lambda: queued.append(1))
    failed = email(mentor, state="failed", reason="SMTPServerDisconnected")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("operations:notification_retry", args=[failed.pk]))
    assert response.status_code == 302 and response.url == reverse(PAGE)
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("pending", 0)
    assert queued == [1]
    page = admin_client.get(reverse(PAGE)).content.decode()
    assert f"Email {failed.pk} is back in the outbox" in page


def test_a_second_retry_changes_nothing_and_succeeds(admin_client, mentor):
    failed = email(mentor, state="failed")
    url = reverse("operations:notification_retry", args=[failed.pk])
    admin_client.post(url)
    Notification.objects.filter(pk=failed.pk).update(attempts=1)
    assert admin_client.post(url).status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("pending", 1)


def test_the_sender_records_why_an_email_failed(mentor, monkeypatch):
    import smtplib

    pending = email(mentor, state="pending")

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused(
            {mentor.email: (550, b"no such user " + mentor.email.encode())}
        )

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    notification_services.notifications_send_pending()
    pending.refresh_from_db()
    assert pending.failure_reason == "SMTP 550: recipient refused"
    assert mentor.email not in pending.failure_reason


@pytest.mark.parametrize("size", [1, 8])
def test_the_page_costs_the_same_at_two_sizes(
    admin_client, admin_user, mentor, size, django_assert_num_queries
):
    for n in range(size):
        email(mentor, state="failed", n=n, reason="SMTP 421: SMTPServerDisconnected")
        email(mentor, state="pending", n=100 + n)
    for minutes in range(size):
        every_job_ran(ago=timedelta(minutes=minutes + 1))
    admin_client.get(reverse(PAGE))  # the session's first-request writes
    with django_assert_num_queries(BUDGET):
        assert admin_client.get(reverse(PAGE)).status_code == 200


BUDGET = 9


def test_admins_find_the_page_in_the_navigation(admin_client, coordinator_client):
    link = f'href="{reverse(PAGE)}"'
    assert link in admin_client.get(reverse("dashboard")).content.decode()
    assert link not in coordinator_client.get(reverse("dashboard")).content.decode()
