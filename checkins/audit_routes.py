"""Check-in URLs that show or change a mentee's check-ins, for the audit
middleware (audit.registry)."""

from audit.models import Action
from audit.registry import api_result_mentees, api_result_rows, register

from .models import CheckIn, CheckInSchedule, GroupAttendance, RecoveryCapitalAssessment


def the_mentee(object_id: str) -> list[int]:
    return [int(object_id)]


def checkin_mentees(object_id: str) -> list[int]:
    return list(CheckIn.objects.filter(pk=int(object_id)).values_list("mentee_id", flat=True))


def assessment_mentees(object_id: str) -> list[int]:
    return list(
        RecoveryCapitalAssessment.objects.filter(pk=int(object_id)).values_list(
            "mentee_id", flat=True
        )
    )


def schedule_mentees(object_id: str) -> list[int]:
    return list(
        CheckInSchedule.objects.filter(pk=int(object_id)).values_list(
            "assignment__mentee_id", flat=True
        )
    )


def listed_checkin_mentees(request, response) -> list[int]:
    """The mentees of the check-ins in the response: read off the rows when
    they name them (the staff's), else looked up (a mentee's own rows)."""
    rows = api_result_rows(response)
    if all("mentee" in row for row in rows):
        return sorted({row["mentee"] for row in rows})
    ids = [row["id"] for row in rows if "id" in row]
    return list(CheckIn.objects.filter(pk__in=ids).values_list("mentee_id", flat=True).distinct())


def group_mentees(object_id: str) -> list[int]:
    return list(
        GroupAttendance.objects.filter(group_id=int(object_id)).values_list("mentee_id", flat=True)
    )


def listed_group_mentees(request, response) -> list[int]:
    """The attendees named in the response (only those the caller reaches)."""
    return sorted(
        {a["mentee"] for row in api_result_rows(response) for a in row.get("attendance", [])}
    )


def register_routes() -> None:
    # A group names its attendees: reading or logging one is a read or a
    # write of their records.
    for name in ["checkins:group_detail", "api:group-session-detail"]:
        register(
            name, action=Action.READ, object_type="group_session", kwarg="pk",
            mentees=group_mentees,
        )  # fmt: skip
    register(
        "api:group-session-list", action=Action.LIST, object_type="group_session",
        listed=listed_group_mentees,
    )  # fmt: skip
    register(
        "api:group-session-list", action=Action.CREATE, object_type="group_session",
        listed=listed_group_mentees, methods=["POST"],
    )  # fmt: skip
    # The pages name the mentees they show with audit.shown(): the groups'
    # attendees, the caseload the form lists, the attendees a post names.
    register("checkins:groups", action=Action.LIST, object_type="group_session")
    register("checkins:group_new", action=Action.LIST, object_type="mentee")
    register(
        "checkins:group_new", action=Action.CREATE, object_type="group_session", methods=["POST"]
    )
    for name in ["checkins:timeline", "checkins:log", "checkins:assessment_new"]:
        register(
            name, action=Action.READ, object_type="mentee", kwarg="mentee_id", mentees=the_mentee
        )
    for name in ["checkins:log", "checkins:assessment_new"]:
        register(
            name,
            action=Action.CREATE,
            object_type="checkin" if name == "checkins:log" else "assessment",
            kwarg="mentee_id",
            mentees=the_mentee,
            methods=["POST"],
        )
    # A draft is a check-in being written: saving or discarding it changes it.
    for name in ["checkins:draft", "checkins:draft_discard"]:
        register(
            name,
            action=Action.CHANGE,
            object_type="checkin_draft",
            kwarg="mentee_id",
            mentees=the_mentee,
            methods=["POST"],
        )
    # So is a BARC-10 being entered (core.drafts: its autosave and discard).
    register(
        "checkins:assessment_draft",
        action=Action.CHANGE,
        object_type="assessment_draft",
        kwarg="mentee_id",
        mentees=the_mentee,
        methods=["POST"],
    )
    # The mentee's own check-in page names them with audit.shown().
    register("checkins:self", action=Action.READ, object_type="mentee")
    register("checkins:self", action=Action.CREATE, object_type="checkin", methods=["POST"])
    for name in ["checkins:detail", "checkins:edit", "api:checkin-detail"]:
        register(
            name, action=Action.READ, object_type="checkin", kwarg="pk", mentees=checkin_mentees
        )
    for name, methods in [
        ("checkins:edit", ["POST"]),
        ("checkins:crisis_handled", ["POST"]),
        ("checkins:void", ["POST"]),
        ("api:checkin-void", ["POST"]),
        ("api:checkin-detail", ["PATCH", "PUT"]),
    ]:
        register(
            name,
            action=Action.CHANGE,
            object_type="checkin",
            kwarg="pk",
            mentees=checkin_mentees,
            methods=methods,
        )
    register(
        "api:checkin-list",
        action=Action.LIST,
        object_type="checkin",
        listed=listed_checkin_mentees,
    )
    register(
        "api:checkin-list",
        action=Action.CREATE,
        object_type="checkin",
        listed=listed_checkin_mentees,
        methods=["POST"],
    )
    # BARC-10s and check-in schedules through the API.
    register(
        "api:recovery-capital-list",
        action=Action.LIST,
        object_type="assessment",
        listed=api_result_mentees,
    )
    register(
        "api:recovery-capital-list",
        action=Action.CREATE,
        object_type="assessment",
        listed=api_result_mentees,
        methods=["POST"],
    )
    register(
        "api:recovery-capital-detail",
        action=Action.READ,
        object_type="assessment",
        kwarg="pk",
        mentees=assessment_mentees,
    )
    register(
        "api:schedule-list", action=Action.LIST, object_type="schedule", listed=api_result_mentees
    )
    register(
        "api:schedule-detail",
        action=Action.READ,
        object_type="schedule",
        kwarg="pk",
        mentees=schedule_mentees,
    )
