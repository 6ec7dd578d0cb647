"""`make bench`, phase 4: the program outcome report at 2,000 mentees and
100,000 check-ins (50 each over twelve months), BARC-10s every quarter, on
PostgreSQL, in process: its queries and median time, beside its CSV, its PDF
and the de-identified file."""

import random
import time
from datetime import date, timedelta

from allauth.mfa.models import Authenticator
from django.db import transaction

from accounts.models import Role
from checkins.models import CheckIn, RecoveryCapitalAssessment
from mentorship.models import MenteeProfile

from .data import _program, _staff, bulk, noon, quiet_triggers

FIRST_MONTH = date(2025, 1, 1)
QUERY = "?start=2025-01&end=2025-12"


@transaction.atomic
def outcome_data(mentees: int, checkins: int, seed: int = 17):
    rng = random.Random(seed)
    with quiet_triggers():
        program = _program("Bench Outcomes", "Sacramento", "America/Los_Angeles")
        (coordinator,) = _staff(program, Role.COORDINATOR, 1, "oc")
        # Staff pages need the second factor set up (else a redirect to it).
        Authenticator.objects.create(
            user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "B"}
        )
        mentors = _staff(program, Role.MENTOR, max(mentees // 25, 1), "om")
        profiles = bulk(
            MenteeProfile,
            (
                MenteeProfile(
                    program=program,
                    preferred_name=f"Outcome {n}",
                    created_by=coordinator,
                    status=rng.choice(["active"] * 8 + ["on_hold", "graduated"]),
                    intake_date=FIRST_MONTH + timedelta(days=rng.randrange(0, 60)),
                    status_changed_on=FIRST_MONTH,
                )
                for n in range(mentees)
            ),
        )
        each = checkins // mentees
        zone = program.time_zone
        rows = []
        for n, mentee in enumerate(profiles):
            mentor = mentors[n % len(mentors)]
            for k in range(each):
                day = FIRST_MONTH + timedelta(days=k * 365 // each + rng.randrange(0, 3))
                attempt = rng.random() < 0.1
                rows.append(
                    CheckIn(
                        mentee=mentee, author=mentor, mentor=mentor,
                        kind="attempt" if attempt else "contact",
                        occurred_at=noon(day, zone),
                        delivery_method=rng.choice(["in_person", "telephone", "telehealth"]),
                        support_types=[] if attempt else rng.sample(
                            ["emotional", "informational", "instrumental", "affiliational"], 2
                        ),
                        substance_use_days=None if attempt else rng.choice([0, 0, 0, 1, 2]),
                        craving_level=None if attempt else rng.randrange(0, 11),
                        next_checkin_on=day + timedelta(days=7),
                    )
                )  # fmt: skip
        bulk(CheckIn, rows)
        assessments = []
        for n, mentee in enumerate(profiles):
            for quarter in range(4):
                total = 30 + rng.randrange(0, 25)
                items = [total // 10] * 10
                for i in range(total - sum(items)):
                    items[i] += 1
                assessments.append(
                    RecoveryCapitalAssessment(
                        mentee=mentee, entered_by=mentors[n % len(mentors)],
                        assessed_on=FIRST_MONTH + timedelta(days=quarter * 90 + 5), total=total,
                        **{f"item_{i + 1}": v for i, v in enumerate(items)},
                    )
                )  # fmt: skip
        bulk(RecoveryCapitalAssessment, assessments)
    return coordinator


def outcomes_phase(mentees: int, checkins: int, in_process) -> dict:
    from .data import vacuum

    print(f"\n== Outcome report at {mentees:,} mentees, {checkins:,} check-ins ==", flush=True)
    began = time.perf_counter()
    coordinator = outcome_data(mentees, checkins)
    vacuum()
    print(f"generated in {time.perf_counter() - began:.0f} s", flush=True)
    result = {"mentees": mentees, "checkins": CheckIn.objects.count()}
    for name, path in [
        ("outcome report page", "/reports/outcomes/" + QUERY),
        ("outcome report CSV", "/reports/outcomes.csv" + QUERY),
        ("outcome report PDF", "/reports/outcomes.pdf" + QUERY),
        ("outcome report API", "/api/v1/reports/outcomes/" + QUERY),
        ("de-identified mentee months", "/reports/outcomes/mentee-months.csv" + QUERY),
    ]:
        status, _ = _status(coordinator, path)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
        in_process(coordinator, "GET", path, repeat=1)  # warm
        queries, ms = in_process(coordinator, "GET", path, repeat=5)
        result[name] = {"ms": ms, "queries": queries}
        print(f"  {name:<34}{ms:>9.1f} ms{queries:>4} queries", flush=True)
    return result


def verdicts(outcomes: dict) -> list[tuple[str, str, str, bool]]:
    page = outcomes["outcome report page"]
    return [
        (
            f"outcome report, {outcomes['mentees']:,} mentees / {outcomes['checkins']:,} check-ins",
            f"{page['ms'] / 1000:.3f} s, {page['queries']} q",
            "< 1 s",
            page["ms"] < 1000,
        )
    ]


def _status(user, path: str) -> tuple[int, None]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(path)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response.status_code, None
