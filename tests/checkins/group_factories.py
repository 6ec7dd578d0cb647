from datetime import timedelta

from django.utils import timezone

from checkins import services
from checkins.services import NewAttendee
from tests.mentorship.factories import MenteeProfileFactory, assign


def caseload(program, mentor, coordinator, size: int, **fields):
    """`size` active mentees assigned to `mentor`."""
    mentees = []
    for n in range(size):
        profile = MenteeProfileFactory(
            program=program, created_by=coordinator, status="active",
            preferred_name=f"Member {n}", **fields,
        )  # fmt: skip
        assign(profile, mentor, by=coordinator)
        mentees.append(profile)
    return mentees


def log_group(by, mentees, *, statuses=None, **fields):
    defaults = {
        "occurred_at": timezone.now() - timedelta(hours=2),
        "duration_minutes": 90,
        "delivery_method": "in_person",
        "topic": "Coping with cravings",
        "notes": "GROUP-NOTES",
    }
    statuses = statuses or {}
    return services.group_session_log(
        by=by,
        attendees=[NewAttendee(m, statuses.get(m.pk, "present"), "") for m in mentees],
        **(defaults | fields),
    )
