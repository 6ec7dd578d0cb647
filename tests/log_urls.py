"""A page that logs a line and queues a task, for tests/test_logs.py."""

import logging

from celery import shared_task
from django.http import HttpResponse
from django.urls import include, path

logger = logging.getLogger("peerpath.test_logs")


@shared_task(name="tests.log_urls.log_from_a_task")
def log_from_a_task(checkin_id: int) -> None:
    logger.warning("task ran for check-in %s", checkin_id)


def logging_view(request):
    logger.warning("view handled check-in %s", 42)
    log_from_a_task.delay(42)
    return HttpResponse("ok")


urlpatterns = [
    path("log-test/", logging_view),
    path("", include("config.urls")),
]
