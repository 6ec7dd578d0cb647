"""Mentorship URLs that show or change a mentee's record, for the audit
middleware (audit.registry)."""

from audit.models import Action
from audit.registry import api_result_ids, register


def the_mentee(object_id: str) -> list[int]:
    return [int(object_id)]


def register_routes() -> None:
    for name, action in [
        ("mentorship:mentee_detail", Action.READ),
        ("mentorship:mentee_edit", Action.READ),
        ("mentorship:mentee_consent", Action.READ),
        ("mentorship:mentee_access_history", Action.READ),
        ("api:mentee-detail", Action.READ),
    ]:
        register(name, action=action, object_type="mentee", kwarg="pk", mentees=the_mentee)
    for name in [
        "mentorship:mentee_status",
        "mentorship:mentee_assign",
        "mentorship:mentee_invite",
    ]:
        # A refused change is recorded; an accepted one redirects (3xx) and the
        # database trigger keeps its before/after values.
        register(
            name,
            action=Action.CHANGE,
            object_type="mentee",
            kwarg="pk",
            mentees=the_mentee,
            methods=["POST"],
        )
    register("mentorship:mentee_list", action=Action.LIST, object_type="mentee")
    register(
        "api:mentee-list",
        action=Action.LIST,
        object_type="mentee",
        listed=lambda request, response: api_result_ids(response),
    )
