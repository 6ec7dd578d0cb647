"""Settings for the web processes, workers and beats the scale-out tests start
(tests/scaleout/processes.py): the test's database, the cache production uses
(the database's: every process shares it, where the test settings keep one
per process), the test's Redis as the broker, mail written to files.

Beats get a schedule of their own (one entry, every second, to a queue only
the test reads) under a Redis key prefix of their own."""

import importlib
import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ.get("PEERPATH_SCALEOUT_DATABASE", "")
# The test settings' import set the secret key base needs: base after them.
CACHES = importlib.import_module("config.settings.base").CACHES
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("PEERPATH_SCALEOUT_MAILDIR", "")
CELERY_BROKER_URL = os.environ["REDIS_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 10 * 60}

if beat_queue := os.environ.get("PEERPATH_SCALEOUT_BEAT_QUEUE"):
    CELERY_REDBEAT_KEY_PREFIX = f"{beat_queue}:"
    CELERY_BEAT_SCHEDULE = {
        "scaleout-tick": {
            "task": "scaleout.tick",
            "schedule": 1.0,
            "options": {"queue": beat_queue},
        }
    }
    # The lock lasts five loop intervals: a killed beat's is taken over in 5 s.
    CELERY_BEAT_MAX_LOOP_INTERVAL = 1
