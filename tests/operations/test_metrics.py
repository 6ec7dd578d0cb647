"""/metrics: Prometheus's text format behind a token or an address list, with
the figures issue 18 asks for, and no label that could carry a person."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from tests.operations.helpers import email, every_job_ran, run

pytestmark = pytest.mark.django_db

TOKEN = "a-long-random-metrics-token-for-tests"
# Every label Peerpath puts on a metric: fixed words of ours.
LABELS = {"view", "method", "status", "queue", "state", "job", "le"}
PLAIN_VALUE = re.compile(r"[a-z0-9_:.+\-]*|\+Inf", re.IGNORECASE)


@pytest.fixture
def token(settings):
    settings.PEERPATH_METRICS_TOKEN = TOKEN
    settings.PEERPATH_METRICS_ALLOWED_IPS = []


def scrape(client) -> dict[str, list]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples: dict[str, list] = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)
    return samples


def value(samples, name, **labels):
    (match,) = [
        s.value for s in samples[name] if all(s.labels.get(k) == v for k, v in labels.items())
    ]
    return match


def test_metrics_are_off_unless_a_token_or_an_address_is_set(client, settings):
    settings.PEERPATH_METRICS_TOKEN = ""
    settings.PEERPATH_METRICS_ALLOWED_IPS = []
    assert client.get("/metrics").status_code == 404


def test_a_wrong_or_missing_token_is_refused(client, token):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Token {TOKEN}").status_code == 403


def test_a_signed_in_admin_without_the_token_is_refused(admin_client, token):
    assert admin_client.get("/metrics").status_code == 403


@pytest.mark.parametrize(
    ("address", "status"), [("10.1.2.3", 200), ("10.0.0.1", 200), ("192.168.1.5", 403)]
)
def test_an_allowed_network_needs_no_token(client, settings, address, status):
    settings.PEERPATH_METRICS_TOKEN = ""
    settings.PEERPATH_METRICS_ALLOWED_IPS = ["10.0.0.0/8", "127.0.0.1"]
    assert client.get("/metrics", REMOTE_ADDR=address).status_code == status


def test_requests_are_counted_per_view_with_their_latency_and_queries(client, token):
    before = scrape(client)
    login = reverse("account_login")
    for _ in range(2):
        assert client.get(login).status_code == 200
    after = scrape(client)

    def count(samples):
        found = [
            s.value
            for s in samples.get("peerpath_requests_total", [])
            if s.labels == {"view": "account_login", "method": "GET", "status": "200"}
        ]
        return found[0] if found else 0

    assert count(after) - count(before) == 2
    assert (
        value(after, "peerpath_request_duration_seconds_count", view="account_login", method="GET")
        >= 2
    )
    assert value(after, "peerpath_request_queries_count", view="account_login") >= 2


def test_the_outbox_figures(client, token, coordinator, mentor):
    email(coordinator, state="pending", ago=timedelta(minutes=30), n=1)
    email(mentor, state="pending", ago=timedelta(minutes=5), n=2)
    email(mentor, state="sending", n=3)
    email(mentor, state="failed", reason="SMTP 550: recipient refused", n=4)
    email(mentor, state="sent", n=5)
    samples = scrape(client)
    assert value(samples, "peerpath_notifications", state="pending") == 2
    assert value(samples, "peerpath_notifications", state="sending") == 1
    assert value(samples, "peerpath_notifications", state="failed") == 1
    age = value(samples, "peerpath_notifications_oldest_pending_age_seconds")
    assert 30 * 60 <= age < 31 * 60
    assert value(samples, "peerpath_celery_queue_length", queue="celery") >= 0


def test_each_jobs_last_run_duration_rows_and_success(client, token):
    latest = run("remind-checkins-due", ago=timedelta(minutes=10), rows=42, duration_ms=1500)
    samples = scrape(client)
    job = {"job": "remind-checkins-due"}
    assert value(samples, "peerpath_job_last_run_duration_seconds", **job) == 1.5
    assert value(samples, "peerpath_job_last_run_rows", **job) == 42
    assert value(samples, "peerpath_job_last_run_failed", **job) == 0
    assert value(samples, "peerpath_job_last_success_timestamp_seconds", **job) == pytest.approx(
        latest.started_at.timestamp()
    )
    assert value(samples, "peerpath_job_period_seconds", **job) == 3600
    assert value(samples, "peerpath_job_stale", **job) == 0


def test_a_job_not_run_for_twice_its_period_shows_stale_when_the_clock_moves(client, token):
    every_job_ran()
    assert value(scrape(client), "peerpath_job_stale", job="send-pending-notifications") == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        samples = scrape(client)
    assert value(samples, "peerpath_job_stale", job="send-pending-notifications") == 1
    assert value(samples, "peerpath_job_stale", job="alert-unnotified-crises") == 1
    assert value(samples, "peerpath_job_stale", job="remind-checkins-due") == 0  # hourly


def test_no_label_carries_a_name_an_email_or_free_text(
    client, token, admin_client, mentor_client, mentee_profile, mentor, coordinator
):
    # Traffic with ids, names and query strings, an outbox and every job.
    mentor_client.get(reverse("mentorship:mentee_detail", args=[mentee_profile.pk]))
    mentor_client.get(reverse("mentorship:mentee_list") + "?q=Marcus+Reyes&x=<script>")
    admin_client.get("/no/such/page/Marcus-Reyes")
    email(mentor, state="failed", reason="SMTP 550: recipient refused", n=1)
    every_job_ran()
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    text = response.content.decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            assert set(sample.labels) <= LABELS, sample
            for label_value in sample.labels.values():
                assert PLAIN_VALUE.fullmatch(label_value), sample
    people = [mentor, coordinator, mentee_profile.user]
    for words in [u.email for u in people] + [u.full_name for u in people]:
        assert words not in text
    for word in ("Marcus", "Reyes", "script", str(mentee_profile.pk) + "/"):
        assert word not in text
