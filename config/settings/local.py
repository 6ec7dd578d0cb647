"""`make run`: a developer's machine. SQLite and a serverless broker unless
DATABASE_URL / REDIS_URL say otherwise."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: E402, F403
from .base import VAR_DIR, env  # noqa: E402

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# The demo's reminders and invitations are files under var/mail/ (one per
# connection, every message in it), not pages of console output between the
# server's lines. The Makefile's var-folders target makes the folder.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
