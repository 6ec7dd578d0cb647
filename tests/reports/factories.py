"""Mentees and check-ins straight into the tables, in bulk: a report's
figures are aggregates, and a large program must build in seconds."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from checkins.models import CheckIn, RecoveryCapitalAssessment
from mentorship.models import MenteeProfile


def at(program, day: date, hour: int = 12) -> datetime:
    """Noon (or `hour`) of a day where the program is."""
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(program.time_zone))


def make_mentees(program, coordinator, count: int, *, status="active", intake=date(2026, 1, 5)):
    return MenteeProfile.objects.bulk_create(
        MenteeProfile(
            program=program,
            preferred_name=f"Mentee {n}",
            created_by=coordinator,
            status=status,
            intake_date=intake,
            status_changed_on=intake,
            discharge_reason="moved" if status == "discharged" else "",
        )
        for n in range(count)
    )


def checkin(mentee, author, day: date, **fields) -> CheckIn:
    """An unsaved check-in at noon of `day` where the mentee's program is."""
    defaults = {
        "kind": CheckIn.Kind.CONTACT,
        "delivery_method": "in_person",
        "support_types": ["emotional"],
        "substance_use_days": None,
        "craving_level": None,
    }
    return CheckIn(
        mentee=mentee,
        author=author,
        mentor=author,
        occurred_at=at(mentee.program, day),
        **(defaults | fields),
    )


def barc(mentee, by, day: date, total: int) -> RecoveryCapitalAssessment:
    """An unsaved BARC-10 whose items add up to `total` (10 to 60)."""
    items, left = [], total
    for n in range(10):
        item = max(1, min(6, left - (9 - n)))
        items.append(item)
        left -= item
    fields = {f"item_{n + 1}": value for n, value in enumerate(items)}
    return RecoveryCapitalAssessment(
        mentee=mentee, entered_by=by, assessed_on=day, total=total, **fields
    )
