"""Plans as a whole: a new draft (empty, from a template or from another
version), its activation, the review date and the mentee's acknowledgement."""

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from core import approvals
from core.once import submitted_once
from mentorship.models import MenteeProfile
from mentorship.permissions import can_work_with_mentee
from notifications.models import Notification
from notifications.services import notify

from ..models import (
    SAFETY_FIELDS,
    ActionStep,
    CopingStrategy,
    Goal,
    PlanChange,
    PlanTemplate,
    RecoveryPlan,
    SafetyPlan,
    SupportContact,
    Trigger,
)
from ._common import _lock, _log, _require_editor


def _values(row: models.Model, fields: Sequence[str]) -> dict:
    """The named fields of `row`, to copy into a new row."""
    return {field: getattr(row, field) for field in fields}


@submitted_once
def plan_create(
    *,
    mentee: MenteeProfile,
    created_by: User,
    template: PlanTemplate | None = None,
    review_on: date | None = None,
) -> RecoveryPlan:
    """A new draft for the mentee, empty or from one of the program's templates."""
    if not can_work_with_mentee(created_by, mentee):
        raise PermissionDenied(
            gettext("Only the mentee's mentor and the program's coordinators write plans.")
        )
    if template is not None and template.program_id != mentee.program_id:
        raise ValidationError({"template": gettext("Use a template of the mentee's program.")})
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
                    plan=plan, **_values(template_goal, ("domain", "description", "order"))
                )
                ActionStep.objects.bulk_create(
                    ActionStep(goal=goal, **_values(step, ("description", "order")))
                    for step in template_goal.steps.all()
                )
    return plan


def plan_activate(*, plan: RecoveryPlan, activated_by: User, approval: Any = None) -> RecoveryPlan:
    """Make a draft the active plan; the active one before it is archived in
    the same transaction. The mentee is asked to acknowledge it.

    Where the program requires approval (core.approvals) a person's call
    checks the rules and asks for approval instead: the plan comes back
    marked with the request, unchanged. The approval calls again with
    `approval=` the request, checks the rules again (and that the draft is
    the one approval was asked for) and activates."""
    with transaction.atomic():
        mentee = MenteeProfile.objects.select_for_update().filter(pk=plan.mentee_id).first()
        _lock(plan)
        _require_editor(activated_by, plan)  # refuses archived versions
        if plan.status != RecoveryPlan.Status.DRAFT:
            # A second click, or a colleague at the same moment: activated once.
            raise ValidationError(gettext("This version is already the active plan."))
        if not plan.goals.exists():
            raise ValidationError(gettext("Add at least one goal before activating the plan."))
        if approval is not None:
            approvals.check_performs(
                approval,
                action=approvals.PLAN_ACTIVATION,
                mentee_id=plan.mentee_id,
                plan_id=plan.pk,
            )
            if approval.details.get("content") != _plan_content_mark(plan):
                raise ValidationError(
                    gettext(
                        "The plan was changed after approval was asked for: "
                        "reject this request and ask again."
                    )
                )
        elif mentee is not None and approvals.required(mentee.program):
            request = approvals.request(
                action=approvals.PLAN_ACTIVATION,
                mentee=mentee,
                plan=plan,
                requested_by=activated_by,
                details={"version": plan.version, "content": _plan_content_mark(plan)},
            )
            return approvals.mark(plan, request)
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
                kind="plan_to_acknowledge",
                recipients=[plan.mentee.user_id],
                subject=plan,
                due_key=f"v{plan.version}",
                channel=Notification.Channel.IN_APP,
            )
    return plan


# What a draft says, part by part (the plan's own state fields aside): its
# mark changes with any edit, so an approval is for the draft that was read.
CONTENT_PARTS = (
    (Goal, "plan"),
    (ActionStep, "goal__plan"),
    (Trigger, "plan"),
    (CopingStrategy, "trigger__plan"),
    (SupportContact, "plan"),
    (SafetyPlan, "plan"),
)


def _plan_content_mark(plan: RecoveryPlan) -> str:
    """A digest of everything the plan says (one query per kind of part)."""
    digest = hashlib.sha256(f"review:{plan.review_on}".encode())
    for model, to_plan in CONTENT_PARTS:
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = model.objects.filter(**{to_plan: plan}).order_by("pk").values_list(*fields)
        digest.update(f"{model.__name__}:{list(rows)!r}".encode())
    return digest.hexdigest()


GOAL_COPY = ("domain", "description", "target_on", "status", "order")
STEP_COPY = ("description", "due_on", "done_at", "done_by_id", "order")
SUPPORT_COPY = ("name", "relationship", "phone", "kind", "order")


def plan_new_version(*, plan: RecoveryPlan, created_by: User) -> RecoveryPlan:
    """Copy the active (or an archived) plan into a new draft to rework it."""
    with transaction.atomic():
        # The plan is copied as one state: no edit lands half way through.
        MenteeProfile.objects.select_for_update().filter(pk=plan.mentee_id).first()
        _lock(plan)
        if not can_work_with_mentee(created_by, plan.mentee):
            raise PermissionDenied
        if plan.status == RecoveryPlan.Status.DRAFT:
            raise ValidationError(gettext("This is already a draft: edit it directly."))
        draft = plan_create(mentee=plan.mentee, created_by=created_by, review_on=plan.review_on)
        draft.previous = plan
        draft.save(update_fields=["previous"])
        for goal in plan.goals.prefetch_related("steps"):
            copy = Goal.objects.create(plan=draft, **_values(goal, GOAL_COPY))
            ActionStep.objects.bulk_create(
                ActionStep(goal=copy, **_values(step, STEP_COPY)) for step in goal.steps.all()
            )
        for trigger in plan.triggers.prefetch_related("coping_strategies"):
            new = Trigger.objects.create(plan=draft, **_values(trigger, ("description", "order")))
            CopingStrategy.objects.bulk_create(
                CopingStrategy(trigger=new, **_values(coping, ("description", "order")))
                for coping in trigger.coping_strategies.all()
            )
        SupportContact.objects.bulk_create(
            SupportContact(plan=draft, **_values(support, SUPPORT_COPY))
            for support in plan.supports.all()
        )
        old_safety = SafetyPlan.objects.filter(plan=plan).first()
        if old_safety is not None:
            SafetyPlan.objects.filter(plan=draft).update(**_values(old_safety, SAFETY_FIELDS))
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
def plan_acknowledge(*, plan: RecoveryPlan, user: User, as_read: str | None = None) -> RecoveryPlan:
    """The mentee: "I have read and agree"; the time is kept. After a change
    to the plan she agrees again, which clears "changed since you agreed".

    `as_read` is the plan's `change_mark` on the page she read: a plan
    changed since is not agreed to unseen (None: not checked)."""
    _lock(plan)
    if plan.mentee.user_id != user.pk:
        raise PermissionDenied(gettext("Only the mentee acknowledges their plan."))
    if plan.status != RecoveryPlan.Status.ACTIVE:
        raise ValidationError(gettext("Only the active plan is acknowledged."))
    if as_read is not None and as_read != plan.change_mark:
        raise ValidationError(
            gettext("Your plan changed while you were reading it. Please read it again first.")
        )
    # Once, and again after each change to what she agreed to.
    if plan.acknowledged_at is None or plan.changed_since_acknowledged:
        summary = (
            "Acknowledged again by the mentee, after changes"
            if plan.acknowledged_at
            else "Acknowledged by the mentee"
        )
        plan.acknowledged_at = timezone.now()
        plan.save(update_fields=["acknowledged_at"])
        _log(plan, user, summary, asks_agreement=False)
    return plan
