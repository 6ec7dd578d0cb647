"""Mentorship URLs that show or change a mentee's record, for the audit
middleware (audit.registry). Accepted writes also leave before/after values
through the database trigger (audit.operations.TrackChanges)."""

from audit.models import Action
from audit.registry import api_result_ids, api_result_mentees, register


def the_mentee(object_id: str) -> list[int]:
    return [int(object_id)]


def assignment_mentees(object_id: str) -> list[int]:
    from .models import Assignment

    return list(Assignment.objects.filter(pk=int(object_id)).values_list("mentee_id", flat=True))


def created_mentee(request, response) -> list[int]:
    return api_result_ids(response)


def listed_assignment_mentees(request, response) -> list[int]:
    from .models import Assignment

    ids = api_result_ids(response)
    return list(
        Assignment.objects.filter(pk__in=ids).values_list("mentee_id", flat=True).distinct()
    )


def status_change_mentees(object_id: str) -> list[int]:
    from .models import MenteeStatusChange

    return list(
        MenteeStatusChange.objects.filter(pk=int(object_id)).values_list("mentee_id", flat=True)
    )


def register_routes() -> None:
    for name in [
        "mentorship:mentee_detail",
        "mentorship:mentee_edit",
        "mentorship:mentee_consent",
        "mentorship:mentee_access_history",
        "api:mentee-detail",
        "api:mentee-match-suggestions",
    ]:
        register(name, action=Action.READ, object_type="mentee", kwarg="pk", mentees=the_mentee)
    for name, methods in [
        ("mentorship:mentee_edit", ["POST"]),
        ("mentorship:mentee_consent", ["POST"]),
        ("mentorship:mentee_status", ["POST"]),
        ("mentorship:mentee_assign", ["POST"]),
        ("mentorship:mentee_invite", ["POST"]),
        ("api:mentee-detail", ["PATCH", "PUT"]),
        ("api:mentee-transition", ["POST"]),
        ("api:mentee-invite", ["POST"]),
        ("api:mentee-remote-consent", ["POST"]),
    ]:
        register(
            name,
            action=Action.CHANGE,
            object_type="mentee",
            kwarg="pk",
            mentees=the_mentee,
            methods=methods,
        )
    register(
        "api:assignment-detail",
        action=Action.READ,
        object_type="assignment",
        kwarg="pk",
        mentees=assignment_mentees,
    )
    register(
        "api:assignment-end",
        action=Action.CHANGE,
        object_type="assignment",
        kwarg="pk",
        mentees=assignment_mentees,
        methods=["POST"],
    )
    register(
        "api:assignment-list",
        action=Action.LIST,
        object_type="assignment",
        listed=listed_assignment_mentees,
    )
    register(
        "api:assignment-list",
        action=Action.CREATE,
        object_type="assignment",
        listed=listed_assignment_mentees,
        methods=["POST"],
    )
    # These pages name their mentee with audit.shown(): the new record, and
    # the mentee's own when they read who has seen it.
    register(
        "mentorship:mentee_create", action=Action.CREATE, object_type="mentee", methods=["POST"]
    )
    register("mentorship:my_record_access", action=Action.READ, object_type="access_history")
    register("mentorship:mentee_list", action=Action.LIST, object_type="mentee")
    register(
        "api:mentee-list",
        action=Action.LIST,
        object_type="mentee",
        listed=lambda request, response: api_result_ids(response),
    )
    register(
        "api:mentee-list",
        action=Action.CREATE,
        object_type="mentee",
        listed=created_mentee,
        methods=["POST"],
    )
    register(
        "api:status-change-list",
        action=Action.LIST,
        object_type="status_change",
        listed=api_result_mentees,
    )
    register(
        "api:status-change-detail",
        action=Action.READ,
        object_type="status_change",
        kwarg="pk",
        mentees=status_change_mentees,
    )
