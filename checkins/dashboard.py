"""Check-in panels for the dashboards, the mentor's caseload among them."""

from accounts.models import Role
from core.dashboard import Panel, register
from core.dates import program_today

from . import selectors


def _caseload(user) -> dict:
    return {"assignments": selectors.caseload_later(mentor=user)}


def _caseload_mentees(data: dict) -> list[int]:
    return [row.mentee_id for row in data["assignments"]]


def _coordinator_watch(user) -> dict:
    return selectors.coordinator_watch_later(program=user.program)


def _watched_mentees(data: dict) -> list[int]:
    return [row.mentee_id for name in ("overdue", "crises", "gaps") for row in data[name]]


def _own_record(data: dict) -> list[int]:
    return [data["mentee"].pk] if data["mentee"] is not None else []


def _my_checkins(user) -> dict:
    mentee = getattr(user, "mentee_profile", None)
    if mentee is None:
        return {"mentee": None}
    schedule = selectors.schedule_for(mentee=mentee)
    return {"mentee": mentee, "schedule": schedule, "today": program_today(mentee.program)}


register(
    Panel(
        "caseload",
        frozenset({Role.MENTOR}),
        "checkins/partials/_panel_caseload.html",
        _caseload,
        order=10,
        mentees=_caseload_mentees,
    )
)
register(
    Panel(
        "checkin_watch",
        frozenset({Role.COORDINATOR}),
        "checkins/partials/_panel_watch.html",
        _coordinator_watch,
        order=5,
        mentees=_watched_mentees,
    )
)
register(
    Panel(
        "my_checkins",
        frozenset({Role.MENTEE}),
        "checkins/partials/_panel_my_checkins.html",
        _my_checkins,
        order=5,
        mentees=_own_record,
    )
)
