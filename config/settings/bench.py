"""`make bench` (bench/run.py): the site as production runs it — DEBUG off,
PostgreSQL with persistent connections, the same middleware — served by
gunicorn over plain http on 127.0.0.1, with the reference views of bench/urls.py
added. Nothing else differs from production but what plain http needs (no
HTTPS redirect, no __Host- cookies) and the API's per-user limits, which the
driver would exceed in a minute from one account: the counters are still read
and written on every call, so their cost is measured."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")

from .base import *  # noqa: E402, F403
from .base import BASE_DIR, REST_FRAMEWORK, TEMPLATES  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"user": "100000000/hour", "exports": "100000000/hour"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
