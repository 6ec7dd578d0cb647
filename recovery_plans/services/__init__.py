"""Writes to recovery plans. Every change to an active plan is logged with who
and what; archived versions are read-only; activating a version archives the
one before it in the same transaction.

Every write runs in one transaction that first locks the plan's row and
re-reads its state, then checks the rules: an edit never lands without its
history line, and one racing with an activation sees the status it left.
Lock order: the mentee profile (plan_create, plan_activate, plan_new_version),
then plan rows, then the parts of one plan.

One module a room: `plans` (a plan as a whole), `parts` (goals, steps,
triggers and coping, supports, the safety plan), `templates`; what they share
is in `_common`."""

from ..models import SAFETY_FIELDS
from .parts import (
    GOAL_FIELDS,
    coping_add,
    goal_add,
    goal_move,
    goal_remove,
    goal_update,
    safety_plan_save,
    step_add,
    step_move,
    step_remove,
    step_set_done,
    step_update,
    support_add,
    trigger_add,
)
from .plans import (
    plan_acknowledge,
    plan_activate,
    plan_create,
    plan_new_version,
    plan_set_review_date,
)
from .templates import template_create, template_goal_add

__all__ = [
    "GOAL_FIELDS",
    "SAFETY_FIELDS",
    "coping_add",
    "goal_add",
    "goal_move",
    "goal_remove",
    "goal_update",
    "plan_acknowledge",
    "plan_activate",
    "plan_create",
    "plan_new_version",
    "plan_set_review_date",
    "safety_plan_save",
    "step_add",
    "step_move",
    "step_remove",
    "step_set_done",
    "step_update",
    "support_add",
    "template_create",
    "template_goal_add",
    "trigger_add",
]
