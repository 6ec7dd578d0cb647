"""The Celery queue's length, asked of the broker with a short timeout."""

import logging

from django.conf import settings
from kombu import Connection

logger = logging.getLogger(__name__)

QUEUE = "celery"
TIMEOUT_SECONDS = 2


def queue_length() -> int | None:
    """Messages waiting in the default queue; None when the broker did not answer."""
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=TIMEOUT_SECONDS,
            transport_options={
                **getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
                "max_retries": 0,
                "socket_timeout": TIMEOUT_SECONDS,
                "socket_connect_timeout": TIMEOUT_SECONDS,
            },
        ) as conn:
            conn.ensure_connection(max_retries=0, timeout=TIMEOUT_SECONDS)
            _name, count, _consumers = conn.default_channel.queue_declare(queue=QUEUE, passive=True)
            return int(count)
    except Exception as exc:
        if type(exc).__name__ in {"ChannelError", "NotFound"}:
            return 0  # never declared: nothing was ever queued
        logger.warning("Could not read the queue's length (%s)", type(exc).__name__)
        return None
