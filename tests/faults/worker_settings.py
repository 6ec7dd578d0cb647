"""Settings for the real Celery workers the fault test starts and kills: the
test's database, mail written to files the test counts, claims and broker
redelivery in seconds so a short test sees every recovery path."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["PEERPATH_FAULT_DATABASE"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["PEERPATH_FAULT_MAILDIR"]
CELERY_BROKER_URL = os.environ["REDIS_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 5}
PEERPATH_NOTIFICATION_STALE_CLAIM_SECONDS = 3
