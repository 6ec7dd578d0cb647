from accounts.models import Role
from core.dashboard import Panel, register

from . import selectors


def _program_overview(user) -> dict:
    return selectors.program_overview_later(program=user.program)


def _unassigned_mentees(data: dict) -> list[int]:
    return [row.pk for row in data["unassigned"]]


def _my_mentor(user) -> dict:
    return {"mentor_profile": selectors.current_mentor_of(mentee_user=user)}


register(
    Panel(
        name="program_overview",
        roles=frozenset({Role.COORDINATOR}),
        template="mentorship/partials/_panel_program_overview.html",
        context=_program_overview,
        order=10,
        mentees=_unassigned_mentees,
    )
)
register(
    Panel(
        name="my_mentor",
        roles=frozenset({Role.MENTEE}),
        template="mentorship/partials/_panel_my_mentor.html",
        context=_my_mentor,
        order=10,
    )
)
