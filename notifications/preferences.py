"""Which notifications people may stop getting by email, and who gets which.

The row in the app's bell is always kept; a preference only decides whether a
notification is also mailed. The kinds in ALWAYS_EMAILED protect people —
crisis alerts, and what a coordinator or admin must act on (an emergency
opening of a record, a certification about to lapse) — and are always mailed:
the service refuses to turn them off and the database refuses to store it.
This is the one place that lists them.
"""

from accounts.models import Role

# Every kind about a crisis is protected, whatever its code; these are the others.
ALWAYS_EMAILED = frozenset(
    {
        "crisis_flag",
        "crisis_debrief_overdue",
        "break_glass",
        "cert_window_open",
        "cert_expiring_60",
        "cert_expiring_30",
        "cert_expiring_7",
        "cert_lapsed",
    }
)

STAFF = frozenset({Role.ADMIN, Role.COORDINATOR, Role.MENTOR})
LEADS = frozenset({Role.ADMIN, Role.COORDINATOR})

# The roles each kind is sent to; a kind not listed here is offered to staff.
RECEIVED_BY: dict[str, frozenset[str]] = {
    "checkin_due": STAFF,
    "checkin_overdue": STAFF,
    "contact_gap_14": STAFF,
    "contact_gap_30": STAFF,
    "crisis_flag": STAFF,
    "self_checkin": STAFF,
    "recovery_capital_due": STAFF,
    "plan_review_soon": STAFF,
    "plan_review_past": STAFF,
    "plan_to_acknowledge": frozenset({Role.MENTEE}),
    "plan_changed": frozenset({Role.MENTEE}),
    "supervision_below_minimum": STAFF,
    "crisis_debrief_overdue": STAFF,
    "supervisor_training_overdue": STAFF,
    "break_glass": LEADS,
    "mentee_assigned": STAFF,
    "cert_window_open": STAFF,
    "cert_expiring_60": STAFF,
    "cert_expiring_30": STAFF,
    "cert_expiring_7": STAFF,
    "cert_lapsed": STAFF,
    "cert_ce_short": STAFF,
    "cert_background_check": STAFF,
    "checkin_not_billable": STAFF,
    "follow_up_window": STAFF,
    "referral_follow_up": STAFF,
}


def is_protected(code: str) -> bool:
    return "crisis" in code or code in ALWAYS_EMAILED


def offered_to(code: str, role: str) -> bool:
    return role in RECEIVED_BY.get(code, STAFF)
