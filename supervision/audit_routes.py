"""Supervision URLs for the audit middleware. A session names the mentees
discussed (links, no names); reading it is recorded as a read of those
mentees' records. Supervisors, assignments and logs are staff records."""

from audit.models import Action
from audit.registry import register

from .models import SupervisionSession


def discussed(object_id: str) -> list[int]:
    return list(
        SupervisionSession.mentees_discussed.through.objects.filter(
            supervisionsession_id=int(object_id)
        ).values_list("menteeprofile_id", flat=True)
    )


def register_routes() -> None:
    register(
        "supervision:session_detail",
        action=Action.READ,
        object_type="supervision_session",
        kwarg="pk",
        mentees=discussed,
    )
    register(
        "api:supervision-session-detail",
        action=Action.READ,
        object_type="supervision_session",
        kwarg="pk",
        mentees=discussed,
    )
