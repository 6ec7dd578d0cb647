"""The plan pages, one module a room: `plans` (a plan as a whole), `parts`
(goals, steps, triggers and coping, supports, the safety plan), `templates`;
what they share is in `_common`. urls.py reaches them all from here."""

from .parts import (
    coping_add,
    goal_add,
    goal_add_draft,
    goal_draft,
    goal_edit,
    goal_move,
    goal_remove,
    safety_draft,
    safety_edit,
    step_add,
    step_move,
    step_remove,
    step_toggle,
    support_add,
    trigger_add,
)
from .plans import (
    plan_acknowledge,
    plan_activate,
    plan_detail,
    plan_history,
    plan_list,
    plan_new_version,
    plan_print,
    plan_review_date,
    plan_start,
)
from .templates import template_detail, template_list

__all__ = [
    "coping_add",
    "goal_add",
    "goal_add_draft",
    "goal_draft",
    "goal_edit",
    "goal_move",
    "goal_remove",
    "plan_acknowledge",
    "plan_activate",
    "plan_detail",
    "plan_history",
    "plan_list",
    "plan_new_version",
    "plan_print",
    "plan_review_date",
    "plan_start",
    "safety_draft",
    "safety_edit",
    "step_add",
    "step_move",
    "step_remove",
    "step_toggle",
    "support_add",
    "template_detail",
    "template_list",
    "trigger_add",
]
