"""Supervision panels for the dashboards: a fixed number of queries each."""

from accounts.models import Role
from core.dashboard import Panel, register
from core.dates import user_today
from core.together import Later

from . import selectors


def _coordinator(user) -> dict:
    today = user_today(user)
    # Not read here: the dashboard reads every panel's rows at once.
    below = selectors.mentors_below_minimum(program=user.program, day=today)[:20]
    overdue = selectors.open_debriefs(user=user).filter(due_on__lt=today)[:20]
    follow_ups = selectors.open_follow_ups(user=user)[:20]
    return {"below": below, "overdue": overdue, "follow_ups": follow_ups, "today": today}


def _mentor(user) -> dict:
    today = user_today(user)
    # Not read here: the dashboard reads every panel's rows at once.
    hours = Later(
        selectors.mentor_hours(program=user.program, day=today).filter(pk=user.pk)[:1],
        shape=lambda rows: rows[0] if rows else None,
    )
    items = selectors.open_action_items(mentor=user)[:10]
    # Asked of them, or (a supervisor) asked by them.
    follow_ups = selectors.open_follow_ups(user=user)[:10]
    return {"hours": hours, "items": items, "follow_ups": follow_ups, "today": today}


register(
    Panel(
        "supervision_watch",
        frozenset({Role.COORDINATOR}),
        "supervision/partials/_panel_coordinator.html",
        _coordinator,
        order=30,
    )
)
register(
    Panel(
        "my_supervision",
        frozenset({Role.MENTOR}),
        "supervision/partials/_panel_mentor.html",
        _mentor,
        order=40,
    )
)
