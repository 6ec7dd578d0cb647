"""Examples shown in /api/docs/ for the main operations (issue #14, item 7):
each one a real answer of the demo data, shortened to a single record.
Every view that shows one imports it from here."""

from drf_spectacular.utils import OpenApiExample

CHECKIN = {
    "id": 1,
    "mentee": 12,
    "mentor": 3,
    "author": 3,
    "kind": "contact",
    "occurred_at": "2026-10-03T00:21:14Z",
    "delivery_method": "telehealth",
    "duration_minutes": 45,
    "support_types": ["informational", "affiliational"],
    "substance_use_days": 2,
    "craving_level": 7,
    "mood": 2,
    "notes": "Caught up on the job search and the bus pass.",
    "message_to_mentor": "",
    "crisis_flag": False,
    "crisis_notes": "",
    "crisis_handled_at": None,
    "next_checkin_on": None,
    "collateral_name": "",
    "collateral_role": "",
    "collateral_organisation": "",
    "goals_discussed": [],
    "billable": True,
    "voided_at": None,
    "voided_by": None,
    "void_reason": "",
    "created_at": "2026-10-03T00:21:15Z",
}
MENTEE = {
    "id": 9,
    "program": 1,
    "user": 6,
    "preferred_name": "Jordan",
    "legal_name": "Jordan Ellis",
    "date_of_birth": None,
    "phone": "(916) 555-0106",
    "email": "jordan@example.org",
    "county": "Sacramento",
    "referral_source": "treatment",
    "substances_of_concern": ["opioids"],
    "recovery_pathway": "medication",
    "preferred_language": "es",
    "mentor_gender_preference": "",
    "preferred_delivery_method": "in_person",
    "emergency_contact_name": "A. Ellis",
    "emergency_contact_relationship": "sibling",
    "emergency_contact_phone": "(916) 555-0199",
    "intake_date": "2026-09-15",
    "status": "active",
    "status_changed_on": "2026-11-27",
    "discharge_reason": "",
    "current_mentor": 3,
}


def _validation(attr: str, detail: str, code: str = "invalid") -> dict:
    return {"type": "validation_error", "errors": [{"code": code, "detail": detail, "attr": attr}]}


CHECKIN_CREATE = [
    OpenApiExample(
        "A telehealth check-in",
        request_only=True,
        value={
            "mentee": 12,
            "occurred_at": "2026-10-03T00:21:14Z",
            "delivery_method": "telehealth",
            "duration_minutes": 45,
            "support_types": ["informational", "affiliational"],
            "substance_use_days": 2,
            "craving_level": 7,
            "mood": 2,
            "notes": "Caught up on the job search and the bus pass.",
        },
    ),
    OpenApiExample("Recorded", response_only=True, status_codes=["201"], value=CHECKIN),
    OpenApiExample(
        "A score out of range",
        response_only=True,
        status_codes=["400"],
        value=_validation("mood", "Ensure this value is less than or equal to 5.", "max_value"),
    ),
]
CHECKIN_DETAIL = [OpenApiExample("A check-in", response_only=True, value=CHECKIN)]
MENTEE_DETAIL = [OpenApiExample("A mentee record", response_only=True, value=MENTEE)]
MENTEE_LIST = [
    OpenApiExample(
        "A page of mentees",
        response_only=True,
        value={
            "count": 1,
            "next": None,
            "previous": None,
            "results": [
                {
                    key: MENTEE[key]
                    for key in (
                        "id",
                        "program",
                        "user",
                        "preferred_name",
                        "county",
                        "status",
                        "status_changed_on",
                        "intake_date",
                        "current_mentor",
                    )
                }
            ],
        },
    ),
    OpenApiExample(
        "A filter refused",
        response_only=True,
        status_codes=["400"],
        value=_validation("mentor", "Enter a whole number."),
    ),
]
MENTEE_UPDATE = [
    OpenApiExample("A new county", request_only=True, value={"county": "Yolo"}),
    OpenApiExample(
        "Saved", response_only=True, status_codes=["200"], value={**MENTEE, "county": "Yolo"}
    ),
    OpenApiExample(
        "Changed since you read it (If-Match)",
        response_only=True,
        status_codes=["412"],
        value={
            "type": "client_error",
            "errors": [
                {
                    "code": "precondition_failed",
                    "detail": "This record changed after you read it: read it again and "
                    "send your change on the new version.",
                    "attr": None,
                }
            ],
        },
    ),
]
