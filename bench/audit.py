"""What auditing costs a page: the mentee page and the mentee list, served
N times by Django's test client with the audit middleware and without it.

    .venv/bin/python bench/audit.py [requests]

Uses a throwaway SQLite database (or DATABASE_URL's server). Prints the mean
time per request both ways, the difference and the ratio; the issue's budget
is "a few milliseconds" per page.
"""

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Program, User  # noqa: E402
from audit.models import AccessEvent  # noqa: E402
from mentorship.models import MenteeProfile  # noqa: E402
from tests.accounts.factories import enrol_totp  # noqa: E402

AUDIT_MIDDLEWARE = "audit.middleware.AuditMiddleware"
WARM_UP = 5


def coordinator_and_mentee() -> tuple[User, MenteeProfile]:
    # A fresh program each run, so DATABASE_URL's server can be reused.
    run = uuid.uuid4().hex[:8]
    program = Program.objects.create(name=f"Bench {run}", county="Sacramento")
    coordinator = User.objects.create_user(
        email=f"coordinator.{run}@bench.test", full_name="C", role="coordinator", program=program
    )
    enrol_totp(coordinator)
    MenteeProfile.objects.bulk_create(
        MenteeProfile(program=program, preferred_name=f"P{i}", created_by=coordinator)
        for i in range(50)
    )
    return coordinator, MenteeProfile.objects.filter(program=program).first()


def client_for(user: User) -> Client:
    # A client loads the middleware once, at its first request: one per setting.
    client = Client()
    client.force_login(user)
    return client


def mean_ms(client: Client, url: str, n: int) -> float:
    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200
    started = time.perf_counter()
    for _ in range(n):
        client.get(url)
    return (time.perf_counter() - started) * 1000 / n


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    call_command("migrate", verbosity=0)
    coordinator, mentee = coordinator_and_mentee()
    without = [m for m in settings.MIDDLEWARE if m != AUDIT_MIDDLEWARE]
    pages = {
        "mentee page": reverse("mentorship:mentee_detail", args=[mentee.pk]),
        "mentee list": reverse("mentorship:mentee_list"),
    }
    print(f"{'page':<14}{'no audit ms':>13}{'audit ms':>11}{'extra ms':>10}{'ratio':>8}")
    for name, url in pages.items():
        with override_settings(MIDDLEWARE=without):
            plain = mean_ms(client_for(coordinator), url, n)
        audited = mean_ms(client_for(coordinator), url, n)
        print(
            f"{name:<14}{plain:>13.2f}{audited:>11.2f}{audited - plain:>10.2f}{audited / plain:>8.2f}"
        )
    print(
        f"\n{n} requests each; {AccessEvent.objects.count()} audit events in the trail. Most of"
        " the extra time is the audit event's own commit (a disk flush)."
    )


if __name__ == "__main__":
    main()
