"""Writes to recovery plans. Every change to an active plan is logged with who
and what; archived versions are read-only; activating a version archives the
one before it in the same transaction.

Every write runs in one transaction that first locks the plan's row and
re-reads its state, then checks the rules: an edit never lands without its
history line, and one racing with an activation sees the status it left.
Lock order: the mentee profile (plan_create, plan_activate, plan_new_version),
then plan rows, then the parts of one plan."""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Program, User
from mentorship.models import MenteeProfile
from mentorship.permissions import can_manage_mentees, can_work_with_mentee
from notifications.models import Notification
from notifications.services import notify

from .models import (
    ActionStep,
    CopingStrategy,
    Goal,
    PlanChange,
    PlanTemplate,
    RecoveryPlan,
    SafetyPlan,
    SupportContact,
    TemplateGoal,
    TemplateStep,
    Trigger,
)

# The fields of a plan that change after it is created.
PLAN_STATE = ("status", "review_on", "activated_at", "archived_at", "acknowledged_at")


def _lock(plan: RecoveryPlan) -> RecoveryPlan:
    """Lock the plan's row until the transaction ends and re-read its state
    into `plan`, which a page may have read before an activation archived it."""
    plan.refresh_from_db(fields=PLAN_STATE, from_queryset=RecoveryPlan.objects.select_for_update())
    return plan


def _reread(part: models.Model, fields: Sequence[str]) -> None:
    """A part of a locked plan as stored now; refused if it was removed meanwhile."""
    try:
        part.refresh_from_db(fields=fields)
    except ObjectDoesNotExist:
        name = part._meta.verbose_name
        raise ValidationError(f"This {name} was removed meanwhile.") from None


def _require_editor(user: User, plan: RecoveryPlan) -> None:
    if not can_work_with_mentee(user, plan.mentee):
        raise PermissionDenied(
            "Only the mentee's mentor and the program's coordinators edit plans."
        )
    if not plan.is_editable:
        raise ValidationError("This version is archived: it can be read, not changed.")


def _log(plan: RecoveryPlan, by: User, summary: str) -> None:
    # Drafts are work in progress; once a plan is active, every change is history.
    if plan.status == RecoveryPlan.Status.ACTIVE:
        PlanChange.objects.create(plan=plan, changed_by=by, summary=summary[:500])


def _next_order(queryset) -> int:
    return (queryset.aggregate(top=Max("order"))["top"] or 0) + 1


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


# --- Plans ------------------------------------------------------------------


def plan_create(
    *, mentee: MenteeProfile, created_by: User, template: PlanTemplate | None = None,
    review_on: date | None = None,
) -> RecoveryPlan:  # fmt: skip
    """A new draft for the mentee, empty or from one of the program's templates."""
    if not can_work_with_mentee(created_by, mentee):
        raise PermissionDenied(
            "Only the mentee's mentor and the program's coordinators write plans."
        )
    if template is not None and template.program_id != mentee.program_id:
        raise ValidationError({"template": "Use a template of the mentee's program."})
    with transaction.atomic():
        MenteeProfile.objects.select_for_update().filter(pk=mentee.pk).first()
        version = (mentee.recovery_plans.aggregate(top=Max("version"))["top"] or 0) + 1
        plan = RecoveryPlan.objects.create(
            mentee=mentee, version=version, created_by=created_by, review_on=review_on
        )
        SafetyPlan.objects.create(plan=plan)
        if template is not None:
            for template_goal in template.goals.prefetch_related("steps"):
                goal = Goal.objects.create(
                    plan=plan, domain=template_goal.domain, description=template_goal.description,
                    order=template_goal.order,
                )  # fmt: skip
                ActionStep.objects.bulk_create(
                    ActionStep(goal=goal, description=s.description, order=s.order)
                    for s in template_goal.steps.all()
                )
    return plan


def plan_activate(*, plan: RecoveryPlan, activated_by: User) -> RecoveryPlan:
    """Make a draft the active plan; the active one before it is archived in
    the same transaction. The mentee is asked to acknowledge it."""
    with transaction.atomic():
        MenteeProfile.objects.select_for_update().filter(pk=plan.mentee_id).first()
        _lock(plan)
        _require_editor(activated_by, plan)  # refuses archived versions
        if plan.status != RecoveryPlan.Status.DRAFT:
            # A second click, or a colleague at the same moment: activated once.
            raise ValidationError("This version is already the active plan.")
        if not plan.goals.exists():
            raise ValidationError("Add at least one goal before activating the plan.")
        now = timezone.now()
        RecoveryPlan.objects.filter(
            mentee_id=plan.mentee_id, status=RecoveryPlan.Status.ACTIVE
        ).update(status=RecoveryPlan.Status.ARCHIVED, archived_at=now)
        plan.status, plan.activated_at, plan.acknowledged_at = RecoveryPlan.Status.ACTIVE, now, None
        plan.save(update_fields=["status", "activated_at", "acknowledged_at"])
        PlanChange.objects.create(
            plan=plan, changed_by=activated_by, summary=f"Activated version {plan.version}"
        )
        if plan.mentee.user_id:
            notify(
                kind="plan_to_acknowledge", recipients=[plan.mentee.user_id], subject=plan,
                due_key=f"v{plan.version}", channel=Notification.Channel.IN_APP,
            )  # fmt: skip
    return plan


def plan_new_version(*, plan: RecoveryPlan, created_by: User) -> RecoveryPlan:
    """Copy the active (or an archived) plan into a new draft to rework it."""
    with transaction.atomic():
        # The plan is copied as one state: no edit lands half way through.
        MenteeProfile.objects.select_for_update().filter(pk=plan.mentee_id).first()
        _lock(plan)
        if not can_work_with_mentee(created_by, plan.mentee):
            raise PermissionDenied
        if plan.status == RecoveryPlan.Status.DRAFT:
            raise ValidationError("This is already a draft: edit it directly.")
        draft = plan_create(mentee=plan.mentee, created_by=created_by, review_on=plan.review_on)
        draft.previous = plan
        draft.save(update_fields=["previous"])
        for goal in plan.goals.prefetch_related("steps"):
            copy = Goal.objects.create(
                plan=draft, domain=goal.domain, description=goal.description,
                target_on=goal.target_on, status=goal.status, order=goal.order,
            )  # fmt: skip
            ActionStep.objects.bulk_create(
                ActionStep(
                    goal=copy,
                    description=s.description,
                    due_on=s.due_on,
                    done_at=s.done_at,
                    done_by_id=s.done_by_id,
                    order=s.order,
                )  # fmt: skip
                for s in goal.steps.all()
            )
        for trigger in plan.triggers.prefetch_related("coping_strategies"):
            new = Trigger.objects.create(
                plan=draft, description=trigger.description, order=trigger.order
            )
            CopingStrategy.objects.bulk_create(
                CopingStrategy(trigger=new, description=c.description, order=c.order)
                for c in trigger.coping_strategies.all()
            )
        SupportContact.objects.bulk_create(
            SupportContact(
                plan=draft,
                name=s.name,
                relationship=s.relationship,
                phone=s.phone,
                kind=s.kind,
                order=s.order,
            )  # fmt: skip
            for s in plan.supports.all()
        )
        old_safety = SafetyPlan.objects.filter(plan=plan).first()
        if old_safety is not None:
            fields = {f: getattr(old_safety, f) for f in SAFETY_FIELDS}
            SafetyPlan.objects.filter(plan=draft).update(**fields)
    return draft


@transaction.atomic
def plan_set_review_date(*, plan: RecoveryPlan, by: User, review_on: date | None) -> RecoveryPlan:
    _require_editor(by, _lock(plan))
    if plan.review_on != review_on:
        _log(plan, by, f"Review date: {plan.review_on or 'none'} → {review_on or 'none'}")
        plan.review_on = review_on
        plan.save(update_fields=["review_on"])
    return plan


@transaction.atomic
def plan_acknowledge(*, plan: RecoveryPlan, user: User) -> RecoveryPlan:
    """The mentee: "I have read and agree"; the time is kept."""
    _lock(plan)
    if plan.mentee.user_id != user.pk:
        raise PermissionDenied("Only the mentee acknowledges their plan.")
    if plan.status != RecoveryPlan.Status.ACTIVE:
        raise ValidationError("Only the active plan is acknowledged.")
    if plan.acknowledged_at is None:
        plan.acknowledged_at = timezone.now()
        plan.save(update_fields=["acknowledged_at"])
        _log(plan, user, "Acknowledged by the mentee")
    return plan


# --- Goals and steps ----------------------------------------------------------


@transaction.atomic
def goal_add(
    *, plan: RecoveryPlan, by: User, domain: str, description: str, target_on=None
) -> Goal:
    _require_editor(by, _lock(plan))
    goal = Goal(plan=plan, domain=domain, description=description.strip(), target_on=target_on,
                order=_next_order(plan.goals))  # fmt: skip
    goal.full_clean()
    goal.save()
    _log(plan, by, f"Added goal “{_short(goal.description)}”")
    return goal


GOAL_FIELDS = ("domain", "description", "target_on", "status")


@transaction.atomic
def goal_update(*, goal: Goal, by: User, **changes) -> Goal:
    _require_editor(by, _lock(goal.plan))
    _reread(goal, GOAL_FIELDS)  # the history says what changed from the stored goal
    said = []
    for field in GOAL_FIELDS:
        if field in changes and getattr(goal, field) != changes[field]:
            before = goal.get_status_display() if field == "status" else getattr(goal, field)
            setattr(goal, field, changes[field])
            after = goal.get_status_display() if field == "status" else changes[field]
            said.append(f"{field.replace('_', ' ')}: {before or '—'} → {after or '—'}")
    if said:
        goal.full_clean()
        goal.save()
        _log(goal.plan, by, f"Changed goal “{_short(goal.description)}”: " + "; ".join(said))
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


@transaction.atomic
def step_add(*, goal: Goal, by: User, description: str, due_on=None) -> ActionStep:
    _require_editor(by, _lock(goal.plan))
    step = ActionStep(
        goal=goal, description=description.strip(), due_on=due_on, order=_next_order(goal.steps)
    )
    step.full_clean()
    step.save()
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
            raise PermissionDenied("You can tick off steps of your own active plan.")
    else:
        _require_editor(by, plan)
    _reread(step, ["done_at", "done_by"])  # ticked on another page meanwhile: logged once
    if done == (step.done_at is not None):
        return step
    step.done_at, step.done_by = (timezone.now(), by) if done else (None, None)
    step.save(update_fields=["done_at", "done_by"])
    _log(plan, by, f"{'Done' if done else 'Not done'}: step “{_short(step.description)}”")
    return step


# --- Triggers, supports, safety plan ---------------------------------------------


@transaction.atomic
def trigger_add(
    *, plan: RecoveryPlan, by: User, description: str, coping: Sequence[str] = ()
) -> Trigger:
    _require_editor(by, _lock(plan))
    trigger = Trigger.objects.create(
        plan=plan, description=description.strip(), order=_next_order(plan.triggers)
    )
    CopingStrategy.objects.bulk_create(
        CopingStrategy(trigger=trigger, description=text.strip(), order=n)
        for n, text in enumerate(coping, start=1)
        if text.strip()
    )
    _log(plan, by, f"Added trigger “{_short(trigger.description)}”")
    return trigger


@transaction.atomic
def coping_add(*, trigger: Trigger, by: User, description: str) -> CopingStrategy:
    _require_editor(by, _lock(trigger.plan))
    strategy = CopingStrategy.objects.create(
        trigger=trigger,
        description=description.strip(),
        order=_next_order(trigger.coping_strategies),
    )
    _log(trigger.plan, by, f"Added a way to cope with “{_short(trigger.description)}”")
    return strategy


@transaction.atomic
def support_add(*, plan: RecoveryPlan, by: User, name: str, relationship: str = "", phone: str = "",
                kind: str = SupportContact.Kind.PERSON) -> SupportContact:  # fmt: skip
    _require_editor(by, _lock(plan))
    support = SupportContact(plan=plan, name=name.strip(), relationship=relationship, phone=phone, kind=kind,
                             order=_next_order(plan.supports))  # fmt: skip
    support.full_clean()
    support.save()
    _log(plan, by, f"Added support “{support.name}”")
    return support


SAFETY_FIELDS = (
    "warning_signs",
    "coping_steps",
    "distractions",
    "people_to_call",
    "professionals",
    "environment",
)


@transaction.atomic
def safety_plan_save(*, plan: RecoveryPlan, by: User, **fields) -> SafetyPlan:
    _require_editor(by, _lock(plan))
    safety, _ = SafetyPlan.objects.get_or_create(plan=plan)
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


# --- Templates -------------------------------------------------------------------


def template_create(*, program: Program, by: User, name: str) -> PlanTemplate:
    if not can_manage_mentees(by, program):
        raise PermissionDenied("Coordinators keep their program's templates.")
    template = PlanTemplate(program=program, created_by=by, name=name.strip())
    template.full_clean()
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as exc:  # the same name saved by someone else meanwhile
        raise ValidationError({"name": "The program already has a template of that name."}) from exc
    return template


@transaction.atomic
def template_goal_add(*, template: PlanTemplate, by: User, domain: str, description: str,
                      steps: Sequence[str] = ()) -> TemplateGoal:  # fmt: skip
    if not can_manage_mentees(by, template.program):
        raise PermissionDenied
    # Locked so that two goals added at once are not given the same place.
    PlanTemplate.objects.select_for_update().filter(pk=template.pk).first()
    goal = TemplateGoal.objects.create(
        template=template,
        domain=domain,
        description=description.strip(),
        order=_next_order(template.goals),
    )
    TemplateStep.objects.bulk_create(
        TemplateStep(goal=goal, description=text.strip(), order=n)
        for n, text in enumerate(steps, start=1)
        if text.strip()
    )
    return goal
