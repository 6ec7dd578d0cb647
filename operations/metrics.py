"""Metrics in the Prometheus text format.

Per request (counted in the process that served it): latency, count and
database queries, labelled by the view's URL name, the method and the status
code. Read from the database at each scrape, so every web process answers
the same: the Celery queue's length, the notifications outbox, and each
scheduled job's last run. Labels are URL names, methods, status codes, job
names, queue names and states — fixed words of ours, never a name, an email
or anything a person typed (tests/operations/test_metrics.py).

With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR to an empty
folder each start (README "Operating Peerpath"): every worker writes its
request figures there and any of them answers the scrape with the sum.
"""

import os
import time

from django.db import connection
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUESTS = Counter("peerpath_requests", "Requests answered, by view.", ["view", "method", "status"])
LATENCY = Histogram(
    "peerpath_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view", "method"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Histogram(
    "peerpath_request_queries",
    "Database queries made while answering a request, by view.",
    ["view"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 200),
)
UNRESOLVED = "unresolved"


def view_label(request) -> str:
    """The URL's name ("mentorship:mentee_detail"): never the path, which
    carries ids, nor anything from the query string."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return UNRESOLVED
    return match.view_name


class RequestMetricsMiddleware:
    """Latency, count and queries per view. Placed high in MIDDLEWARE so the
    time includes every other middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        view = view_label(request)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        LATENCY.labels(view, method).observe(elapsed)
        QUERIES.labels(view).observe(counter.count)
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class OutboxAndJobsCollector(Collector):
    """Figures read at scrape time: the same for every process."""

    def collect(self):
        from . import jobs, queues, selectors

        now = timezone.now()
        depth = queues.queue_length()
        queue = GaugeMetricFamily(
            "peerpath_celery_queue_length",
            "Tasks waiting in the broker's queue (-1: the broker did not answer).",
            labels=["queue"],
        )
        queue.add_metric([queues.QUEUE], -1 if depth is None else depth)
        yield queue

        by_state, oldest = selectors.outbox()
        states = GaugeMetricFamily(
            "peerpath_notifications", "Emails not yet sent, by state.", labels=["state"]
        )
        for state, count in by_state.items():
            states.add_metric([state], count)
        yield states
        yield GaugeMetricFamily(
            "peerpath_notifications_oldest_pending_age_seconds",
            "Age of the oldest email still pending (0: none pending).",
            value=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        )

        families = {
            "period": GaugeMetricFamily(
                "peerpath_job_period_seconds", "How often the job is scheduled.", labels=["job"]
            ),
            "success": GaugeMetricFamily(
                "peerpath_job_last_success_timestamp_seconds",
                "When the job last succeeded (Unix time; 0: never).",
                labels=["job"],
            ),
            "stale": GaugeMetricFamily(
                "peerpath_job_stale",
                "1 when the job has not succeeded for twice its period.",
                labels=["job"],
            ),
            "duration": GaugeMetricFamily(
                "peerpath_job_last_run_duration_seconds",
                "How long the job's last run took.",
                labels=["job"],
            ),
            "rows": GaugeMetricFamily(
                "peerpath_job_last_run_rows",
                "Rows the job's last successful run created (emails sent, for the sender).",
                labels=["job"],
            ),
            "failed": GaugeMetricFamily(
                "peerpath_job_last_run_failed", "1 when the job's last run failed.", labels=["job"]
            ),
        }
        for status in jobs.job_statuses(now=now):
            label = [status.name]
            families["period"].add_metric(label, status.job.period.total_seconds())
            families["success"].add_metric(
                label, status.last_success_at.timestamp() if status.last_success_at else 0
            )
            families["stale"].add_metric(label, int(status.stale))
            run = status.last_run
            if run is not None:
                families["duration"].add_metric(label, run.duration_ms / 1000)
                families["failed"].add_metric(label, int(run.result != run.Result.SUCCESS))
                if run.rows_created is not None:
                    families["rows"].add_metric(label, run.rows_created)
        yield from families.values()


def exposition() -> tuple[bytes, str]:
    """The scrape's body and content type."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for metric in (REQUESTS, LATENCY, QUERIES):
            registry.register(metric)
    registry.register(OutboxAndJobsCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
