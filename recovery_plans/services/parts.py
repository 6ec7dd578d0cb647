"""The parts of a plan: goals and their steps, triggers and ways to cope,
supports and the safety plan. Each write locks the plan, checks the editor
and keeps a history line."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext

from accounts.models import User
from core.dates import program_date
from core.once import submitted_once
from core.stale import refuse_if_changed

from ..models import (
    SAFETY_FIELDS,
    ActionStep,
    CopingStrategy,
    Goal,
    Ordered,
    RecoveryPlan,
    SafetyPlan,
    SupportContact,
    Trigger,
)
from ._common import _lock, _log, _next_order, _require_editor, _reread, _short, check_lines


def _save_last(part: Ordered, siblings) -> None:
    """Place a new part after its siblings, check it and save it."""
    part.order = _next_order(siblings)
    part.full_clean()
    part.save()


# --- Goals and steps ----------------------------------------------------------


@transaction.atomic
@submitted_once
def goal_add(
    *, plan: RecoveryPlan, by: User, domain: str, description: str, target_on=None
) -> Goal:
    _require_editor(by, _lock(plan))
    goal = Goal(plan=plan, domain=domain, description=description.strip(), target_on=target_on)
    _save_last(goal, plan.goals)
    _log(plan, by, f"Added goal “{_short(goal.description)}”")
    return goal


GOAL_FIELDS = ("domain", "description", "target_on", "status")


@transaction.atomic
def goal_update(*, goal: Goal, by: User, seen: dict | None = None, **changes) -> Goal:
    """`seen`: what the editor's form showed (core.stale); refused if the goal
    changed since."""
    _require_editor(by, _lock(goal.plan))
    _reread(goal, GOAL_FIELDS)  # the history says what changed from the stored goal
    refuse_if_changed(goal, seen)
    said, changed = [], []
    for field in GOAL_FIELDS:
        if field in changes and getattr(goal, field) != changes[field]:
            before = goal.get_status_display() if field == "status" else getattr(goal, field)
            setattr(goal, field, changes[field])
            after = goal.get_status_display() if field == "status" else changes[field]
            said.append(f"{field.replace('_', ' ')}: {before or '—'} → {after or '—'}")
            changed.append(field)
    if said:
        goal.full_clean()
        goal.save()
        # A goal's status on its own is progress, not a change to what she agreed to.
        _log(
            goal.plan,
            by,
            f"Changed goal “{_short(goal.description)}”: " + "; ".join(said),
            asks_agreement=changed != ["status"],
        )
    return goal


@transaction.atomic
def goal_remove(*, goal: Goal, by: User) -> None:
    _require_editor(by, _lock(goal.plan))
    _reread(goal, ["description"])
    _log(goal.plan, by, f"Removed goal “{_short(goal.description)}”")
    goal.delete()


def _move(item, siblings, direction: str) -> None:
    """Swap the item with its neighbour above or below (orders renumbered 1..n)."""
    ordered = list(siblings.select_for_update().order_by("order", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, sibling in enumerate(ordered, start=1):
            sibling.order = position
        type(item).objects.bulk_update(ordered, ["order"])


@transaction.atomic
def goal_move(*, goal: Goal, by: User, direction: str) -> None:
    _require_editor(by, _lock(goal.plan))
    _reread(goal, ["description"])
    _move(goal, goal.plan.goals.all(), direction)
    _log(goal.plan, by, f"Moved goal “{_short(goal.description)}” {direction}")


def _check_due_on(plan, due_on) -> None:
    """A step cannot be due before its plan starts (activated, or drafted)."""
    if due_on is None:
        return
    started = program_date(plan.activated_at or plan.created_at, plan.mentee.program)
    if due_on < started:
        raise ValidationError(
            {
                "due_on": gettext("The plan starts on %(on)s: choose that day or later.")
                % {"on": date_format(started, gettext("M j"))}
            }
        )


@transaction.atomic
@submitted_once
def step_add(*, goal: Goal, by: User, description: str, due_on=None) -> ActionStep:
    _require_editor(by, _lock(goal.plan))
    _check_due_on(goal.plan, due_on)
    step = ActionStep(goal=goal, description=description.strip(), due_on=due_on)
    _save_last(step, goal.steps)
    _log(
        goal.plan,
        by,
        f"Added step “{_short(step.description)}” to goal “{_short(goal.description)}”",
    )
    return step


@transaction.atomic
def step_move(*, step: ActionStep, by: User, direction: str) -> None:
    _require_editor(by, _lock(step.goal.plan))
    _reread(step, ["description"])
    _move(step, step.goal.steps.all(), direction)
    _log(step.goal.plan, by, f"Moved step “{_short(step.description)}” {direction}")


@transaction.atomic
def step_remove(*, step: ActionStep, by: User) -> None:
    _require_editor(by, _lock(step.goal.plan))
    _reread(step, ["description"])
    _log(step.goal.plan, by, f"Removed step “{_short(step.description)}”")
    step.delete()


@transaction.atomic
def step_update(*, step: ActionStep, by: User, **changes) -> ActionStep:
    _require_editor(by, _lock(step.goal.plan))
    _reread(step, ["description", "due_on"])
    fields = [
        f for f in ("description", "due_on") if f in changes and getattr(step, f) != changes[f]
    ]
    if "due_on" in fields:
        _check_due_on(step.goal.plan, changes["due_on"])
    for field in fields:
        setattr(step, field, changes[field])
    if fields:
        step.full_clean()
        step.save(update_fields=fields)
        _log(step.goal.plan, by, f"Changed step “{_short(step.description)}”")
    return step


@transaction.atomic
def step_set_done(*, step: ActionStep, by: User, done: bool) -> ActionStep:
    """Tick a step off (or back on). The mentee may, on their own active plan."""
    plan = _lock(step.goal.plan)
    if by.is_mentee:
        if plan.mentee.user_id != by.pk or plan.status != RecoveryPlan.Status.ACTIVE:
            raise PermissionDenied(gettext("You can tick off steps of your own active plan."))
    else:
        _require_editor(by, plan)
    _reread(step, ["done_at", "done_by"])  # ticked on another page meanwhile: logged once
    if done == (step.done_at is not None):
        return step
    step.done_at, step.done_by = (timezone.now(), by) if done else (None, None)
    step.save(update_fields=["done_at", "done_by"])
    _log(
        plan,
        by,
        f"{'Done' if done else 'Not done'}: step “{_short(step.description)}”",
        asks_agreement=False,  # progress, not a change to what she agreed to
    )
    return step


# --- Triggers, supports, safety plan ---------------------------------------------


@transaction.atomic
@submitted_once
def trigger_add(
    *, plan: RecoveryPlan, by: User, description: str, coping: Sequence[str] = ()
) -> Trigger:
    _require_editor(by, _lock(plan))
    lines = [text.strip() for text in coping if text.strip()]
    check_lines(lines, "coping", gettext("A way to cope is at most 300 characters."))
    trigger = Trigger(plan=plan, description=description.strip())
    _save_last(trigger, plan.triggers)
    CopingStrategy.objects.bulk_create(
        CopingStrategy(trigger=trigger, description=text, order=n)
        for n, text in enumerate(lines, start=1)
    )
    _log(plan, by, f"Added trigger “{_short(trigger.description)}”")
    return trigger


@transaction.atomic
@submitted_once
def coping_add(*, trigger: Trigger, by: User, description: str) -> CopingStrategy:
    _require_editor(by, _lock(trigger.plan))
    strategy = CopingStrategy(trigger=trigger, description=description.strip())
    _save_last(strategy, trigger.coping_strategies)
    _log(trigger.plan, by, f"Added a way to cope with “{_short(trigger.description)}”")
    return strategy


@transaction.atomic
@submitted_once
def support_add(
    *,
    plan: RecoveryPlan,
    by: User,
    name: str,
    relationship: str = "",
    phone: str = "",
    kind: str = SupportContact.Kind.PERSON,
) -> SupportContact:
    _require_editor(by, _lock(plan))
    support = SupportContact(
        plan=plan, name=name.strip(), relationship=relationship, phone=phone, kind=kind
    )
    _save_last(support, plan.supports)
    _log(plan, by, f"Added support “{support.name}”")
    return support


@transaction.atomic
def safety_plan_save(
    *, plan: RecoveryPlan, by: User, seen: dict | None = None, **fields
) -> SafetyPlan:
    """`seen`: what the editor's form showed (core.stale); refused if the
    safety plan changed since."""
    _require_editor(by, _lock(plan))
    safety, _ = SafetyPlan.objects.get_or_create(plan=plan)
    refuse_if_changed(safety, seen)
    changed = [f for f in SAFETY_FIELDS if f in fields and getattr(safety, f) != fields[f]]
    for field in changed:
        setattr(safety, field, fields[field])
    if changed:
        safety.save(update_fields=changed)
        names = ", ".join(
            str(getattr(SafetyPlan._meta.get_field(f), "verbose_name", f)) for f in changed
        )
        _log(plan, by, f"Safety plan: changed {names}")
    return safety
