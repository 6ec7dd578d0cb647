"""Demo check-ins: 8–12 weeks per assigned mentee, most improving and some not,
one open crisis, one overdue mentee, one contact gap, BARC-10 assessments.
Runs after mentorship.demo. Idempotent: mentees with check-ins are left alone."""

import random
from datetime import timedelta

from django.utils import timezone

from mentorship.models import Assignment

from .models import CheckIn, CheckInSchedule, GroupSession, RecoveryCapitalAssessment
from .recovery_capital import ITEM_FIELDS
from .services import NewAttendee, contact_dates_refresh, group_session_log

NOTES = [
    "Talked through the week and what went well.",
    "Went over the weekend plan and who to call if it gets hard.",
    "Practised the coping steps from the plan; set a small goal for the week.",
    "Caught up on the job search and the bus pass.",
    "Went to a meeting together afterwards.",
]


def seed_demo(report) -> None:
    now = timezone.now()
    assignments = list(
        Assignment.objects.filter(ended_at__isnull=True, mentee__program__in=report.programs)
        .select_related("mentee", "mentor")
        .order_by("mentee__program_id", "mentee__preferred_name")
    )
    for n, assignment in enumerate(assignments):
        mentee = assignment.mentee
        if CheckIn.objects.filter(mentee=mentee).exists():
            continue
        rng = random.Random(mentee.pk)  # noqa: S311  (repeatable demo data, not security)
        weeks = 8 + n % 5
        improving = n % 4 != 3
        start = now - timedelta(weeks=weeks + 1)
        Assignment.objects.filter(pk=assignment.pk).update(
            started_on=start.date(), started_at=start
        )
        mentee.remote_consent, mentee.remote_consent_on = "video", start.date()
        mentee.remote_consent_recorded_by = assignment.mentor
        mentee.intake_date = start.date() - timedelta(days=3)
        mentee.save(
            update_fields=[
                "remote_consent",
                "remote_consent_on",
                "remote_consent_recorded_by",
                "intake_date",
            ]
        )

        # The last weeks are left out for the overdue mentee (n == 1) and the gap (n == 2).
        skip_last = {1: 2, 2: 3}.get(n, 0)
        checkins = []
        for week in range(weeks - skip_last):
            progress = week / max(weeks - 1, 1) if improving else rng.random() * 0.3
            when = start + timedelta(weeks=week + 1, hours=rng.randint(-20, 20))
            if rng.random() < 0.12:
                checkins.append(
                    CheckIn(
                        mentee=mentee,
                        mentor=assignment.mentor,
                        author=assignment.mentor,
                        kind="attempt",
                        occurred_at=when - timedelta(days=1),
                        delivery_method="telephone",
                    )
                )
            checkins.append(
                CheckIn(
                    mentee=mentee,
                    mentor=assignment.mentor,
                    author=assignment.mentor,
                    kind="contact",
                    occurred_at=when,
                    delivery_method=rng.choice(["in_person", "telephone", "telehealth"]),
                    duration_minutes=rng.choice([20, 30, 45, 60]),
                    support_types=rng.sample(
                        ["emotional", "informational", "instrumental", "affiliational"], 2
                    ),
                    substance_use_days=max(0, round(3 * (1 - progress) + rng.uniform(-1, 1))),
                    craving_level=max(0, min(10, round(7 - 5 * progress + rng.uniform(-1.5, 1.5)))),
                    mood=max(1, min(5, round(2 + 2.5 * progress + rng.uniform(-0.7, 0.7)))),
                    notes=rng.choice(NOTES),
                )
            )
        if n == 3:  # an open crisis on the latest check-in
            checkins[-1].crisis_flag = True
            checkins[
                -1
            ].crisis_notes = "Said the anniversary is this week and they feel unsafe; stayed on the line, called the crisis line together."
        CheckIn.objects.bulk_create(checkins)
        CheckInSchedule.objects.update_or_create(
            assignment=assignment,
            defaults={"cadence_days": 7, "next_due_on": assignment.started_on},
        )
        # The last contact and the next due date, as the services keep them.
        contact_dates_refresh(mentee=mentee)
        for day, base in [
            (start.date(), 30),
            (start.date() + timedelta(days=min(weeks * 7 - 3, 80)), 40 if improving else 31),
        ]:
            if day <= timezone.localdate():
                scores = [
                    max(1, min(6, round(base / 10 + rng.uniform(-1, 1)))) for _ in ITEM_FIELDS
                ]
                RecoveryCapitalAssessment.objects.create(
                    mentee=mentee,
                    entered_by=assignment.mentor,
                    assessed_on=day,
                    **dict(zip(ITEM_FIELDS, scores, strict=True)),
                )

    _seed_groups(assignments, now)


def _seed_groups(assignments: list[Assignment], now) -> None:
    """A weekly peer support group of each mentor with two mentees or more,
    three days ago: one left early, the rest present. Idempotent."""
    by_mentor: dict = {}
    for assignment in assignments:
        by_mentor.setdefault(assignment.mentor, []).append(assignment.mentee)
    for mentor, mentees in by_mentor.items():
        open_mentees = [m for m in mentees if m.status in ("referred", "active", "on_hold")]
        if len(open_mentees) < 2 or GroupSession.objects.filter(facilitator=mentor).exists():
            continue
        group_session_log(
            by=mentor,
            attendees=[
                NewAttendee(m, "left_early" if n == 0 else "present", "")
                for n, m in enumerate(open_mentees)
            ],
            occurred_at=now - timedelta(days=3),
            duration_minutes=90,
            delivery_method="in_person",
            topic="Coping with cravings",
            location="Community room",
            notes="Shared what helps on hard evenings; planned next week's walk.",
        )
