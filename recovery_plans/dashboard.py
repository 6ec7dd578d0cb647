from accounts.models import Role
from core.dashboard import Panel, register

from . import selectors


def _my_plan(user) -> dict:
    mentee = getattr(user, "mentee_profile", None)
    plan = selectors.active_plan_of(mentee=mentee) if mentee else None
    return {"plan": selectors.plan_with_everything(plan) if plan else None}


def _own_plan(data: dict) -> list[int]:
    return [data["plan"].mentee_id] if data["plan"] is not None else []


register(
    Panel(
        "my_plan",
        frozenset({Role.MENTEE}),
        "recovery_plans/partials/_panel_my_plan.html",
        _my_plan,
        order=1,
        mentees=_own_plan,
    )
)
