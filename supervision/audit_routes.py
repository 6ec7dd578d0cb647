"""Supervision URLs for the audit middleware. A session names the mentees
discussed (links, no names); reading it is recorded as a read of those
mentees' records. Supervisors, assignments and logs are staff records.
An approval request is about one mentee (their plan's activation, their
discharge or graduation): reading or deciding it names them."""

from audit.models import Action
from audit.registry import api_result_mentees, register

from .models import ApprovalRequest, SupervisionSession


def discussed(object_id: str) -> list[int]:
    return list(
        SupervisionSession.mentees_discussed.through.objects.filter(
            supervisionsession_id=int(object_id)
        ).values_list("menteeprofile_id", flat=True)
    )


def approval_mentee(object_id: str) -> list[int]:
    return list(
        ApprovalRequest.objects.filter(pk=int(object_id)).values_list("mentee_id", flat=True)
    )


def register_routes() -> None:
    # The queue names the mentees it shows with audit.shown().
    register("supervision:approvals", action=Action.LIST, object_type="approval")
    register(
        "api:approval-list", action=Action.LIST, object_type="approval", listed=api_result_mentees
    )
    for name in ["supervision:approval_detail", "api:approval-detail"]:
        register(
            name, action=Action.READ, object_type="approval", kwarg="pk", mentees=approval_mentee
        )
    change = {"action": Action.CHANGE, "methods": ["POST"], "kwarg": "pk"}
    for name in [
        "supervision:approval_detail",
        "api:approval-approve",
        "api:approval-reject",
        "api:approval-withdraw",
    ]:
        register(name, object_type="approval", mentees=approval_mentee, **change)
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
