"""Supervision URLs for the audit middleware. A session names the mentees
discussed (links, no names); reading it is recorded as a read of those
mentees' records. Supervisors, assignments and logs are staff records.
An approval request is about one mentee (their plan's activation, their
discharge or graduation): reading or deciding it names them."""

from audit.models import Action
from audit.registry import api_result_ids, api_result_mentees, register

from .models import ApprovalRequest, FollowUpRequest, SupervisionSession


def discussed(object_id: str) -> list[int]:
    return list(
        SupervisionSession.mentees_discussed.through.objects.filter(
            supervisionsession_id=int(object_id)
        ).values_list("menteeprofile_id", flat=True)
    )


def follow_up_mentees(object_id: str) -> list[int]:
    return list(
        FollowUpRequest.objects.filter(pk=int(object_id)).values_list("mentee_id", flat=True)
    )


def checkin_mentees(object_id: str) -> list[int]:
    from checkins.models import CheckIn

    return list(CheckIn.objects.filter(pk=int(object_id)).values_list("mentee_id", flat=True))


def plan_mentees(object_id: str) -> list[int]:
    from recovery_plans.models import RecoveryPlan

    return list(RecoveryPlan.objects.filter(pk=int(object_id)).values_list("mentee_id", flat=True))


def listed_follow_up_mentees(request, response) -> list[int]:
    ids = api_result_ids(response)
    return list(
        FollowUpRequest.objects.filter(pk__in=ids)
        .order_by()
        .values_list("mentee_id", flat=True)
        .distinct()
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
    # A follow-up request is about one mentee's check-in or plan: reading,
    # asking and answering one is a read or a write of that mentee's record.
    for name in ["supervision:follow_up_detail", "api:follow-up-detail"]:
        register(
            name, action=Action.READ, object_type="follow_up_request", kwarg="pk",
            mentees=follow_up_mentees,
        )  # fmt: skip
    register(
        "supervision:follow_up_resolve", action=Action.READ, object_type="follow_up_request",
        kwarg="pk", mentees=follow_up_mentees,
    )  # fmt: skip
    for name in ["supervision:follow_up_resolve", "api:follow-up-resolve"]:
        register(
            name, action=Action.CHANGE, object_type="follow_up_request", kwarg="pk",
            mentees=follow_up_mentees, methods=["POST"],
        )  # fmt: skip
    for name, mentees in [
        ("supervision:follow_up_new_checkin", checkin_mentees),
        ("supervision:follow_up_new_plan", plan_mentees),
    ]:
        register(name, action=Action.READ, object_type="follow_up_request", kwarg="pk",
                 mentees=mentees)  # fmt: skip
        register(name, action=Action.CREATE, object_type="follow_up_request", kwarg="pk",
                 mentees=mentees, methods=["POST"])  # fmt: skip
    # The list page names the mentees of its page with audit.shown().
    register("supervision:follow_up_list", action=Action.LIST, object_type="follow_up_request")
    register(
        "api:follow-up-list", action=Action.LIST, object_type="follow_up_request",
        listed=listed_follow_up_mentees,
    )  # fmt: skip
    register(
        "api:follow-up-list", action=Action.CREATE, object_type="follow_up_request",
        listed=listed_follow_up_mentees, methods=["POST"],
    )  # fmt: skip
