"""Reminder sweeps at two sizes, in one run: queries and time, and their ratios.

Every sweep runs over the same program at both sizes: check-ins and BARC-10 per
mentee, a plan under review per mentee, a certification per mentor, and
several admins (each renewal alert goes to the holder and every admin).

    .venv/bin/python bench/sweeps.py [small] [large]

Uses a throwaway SQLite database (or DATABASE_URL's server). Not a test: it
prints numbers for a person to read; the constant-query rule itself is
asserted in tests/checkins/test_reminders.py and tests/certification/.
"""

import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Program, User  # noqa: E402
from certification.models import Certification, CertificationType  # noqa: E402
from certification.reminders import send_renewal_alerts  # noqa: E402
from checkins import reminders  # noqa: E402
from checkins.models import CheckInSchedule  # noqa: E402
from core.dates import local_today  # noqa: E402
from mentorship.models import Assignment, MenteeProfile  # noqa: E402
from notifications.models import Notification  # noqa: E402
from recovery_plans.models import RecoveryPlan  # noqa: E402
from recovery_plans.reminders import remind_plan_reviews  # noqa: E402

ADMINS = 5

SWEEPS = {
    "check-ins due": reminders.remind_checkins_due,
    "overdue": reminders.alert_overdue_checkins,
    "contact gaps": reminders.flag_contact_gaps,
    "BARC-10 due": reminders.remind_recovery_capital_due,
    "plan reviews": remind_plan_reviews,
    "renewal alerts": send_renewal_alerts,
}


def populate(n: int) -> None:
    models = (Notification, Certification, RecoveryPlan, CheckInSchedule, Assignment, MenteeProfile)
    for model in models:
        model.objects.all().delete()
    User.objects.exclude(role="admin").delete()
    Program.objects.all().delete()
    program = Program.objects.create(name="Bench", county="Sacramento")
    today = local_today(program.time_zone)
    coordinator = User.objects.create_user(
        email="c@bench.test", full_name="C", role="coordinator", program=program
    )
    mentors = User.objects.bulk_create(
        User(email=f"m{i}@bench.test", full_name=f"M{i}", role="mentor", program=program)
        for i in range(max(n // 20, 1))
    )
    mentees = MenteeProfile.objects.bulk_create(
        MenteeProfile(
            program=program, preferred_name=f"P{i}", created_by=coordinator, status="active"
        )
        for i in range(n)
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(
            mentee=m,
            mentor=mentors[i % len(mentors)],
            assigned_by=coordinator,
            started_on=today - timedelta(days=40),
        )
        for i, m in enumerate(mentees)
    )
    CheckInSchedule.objects.bulk_create(
        CheckInSchedule(assignment=a, next_due_on=today + timedelta(days=1 if i % 2 else -5))
        for i, a in enumerate(assignments)
    )
    RecoveryPlan.objects.bulk_create(
        RecoveryPlan(
            mentee=m,
            status="active",
            created_by=coordinator,
            review_on=today + timedelta(days=7 if i % 2 else -3),
        )
        for i, m in enumerate(mentees)
    )
    ctype = CertificationType.objects.first()
    Certification.objects.bulk_create(
        Certification(
            holder=m,
            certification_type=ctype,
            training_completed_on=today - timedelta(days=900),
            exam_passed_on=today - timedelta(days=800),
            issued_on=today - timedelta(days=700),
            cycle_started_on=today - timedelta(days=700),
            expires_on=today + timedelta(days=i % 100 - 10),
        )
        for i, m in enumerate(mentors)
    )


def measure(n: int) -> dict[str, tuple[int, float]]:
    populate(n)
    results = {}
    for name, sweep in SWEEPS.items():
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            sweep()
            elapsed = time.perf_counter() - started
        results[name] = (len(queries), elapsed)
    return results


def main() -> None:
    small, large = (int(a) for a in (sys.argv[1:3] if len(sys.argv) > 2 else (100, 10_000)))
    call_command("migrate", verbosity=0)
    for i in range(ADMINS):
        User.objects.get_or_create(
            email=f"admin{i}@bench.test", defaults={"full_name": f"A{i}", "role": "admin"}
        )
    # Warm Django's content-type cache so both sizes are measured alike.
    for model in (CheckInSchedule, MenteeProfile, Certification, RecoveryPlan):
        ContentType.objects.get_for_model(model)
    few, many = measure(small), measure(large)
    print(
        f"{'sweep':<16}{'queries ' + str(small):>14}{'queries ' + str(large):>16}{'time ratio':>12}"
    )
    for name in SWEEPS:
        (q1, t1), (q2, t2) = few[name], many[name]
        print(f"{name:<16}{q1:>14}{q2:>16}{t2 / t1 if t1 else float('nan'):>12.1f}")
    print(
        f"\n{large // small}x the mentees, {ADMINS} admins: the query counts should not move;"
        " time grows inside the database."
    )


if __name__ == "__main__":
    main()
