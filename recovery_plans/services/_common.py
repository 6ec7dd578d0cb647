"""What every write to a plan does first and last: lock the plan and re-read
it, check the editor, and keep the history line."""

from collections.abc import Sequence

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext

from accounts.models import User
from mentorship.permissions import can_work_with_mentee
from notifications.services import notify
from notifications.tasks import send_soon

from ..models import PlanChange, RecoveryPlan

# The fields of a plan that change after it is created.
PLAN_STATE = (
    "status",
    "review_on",
    "activated_at",
    "archived_at",
    "acknowledged_at",
    "last_changed_at",
)


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
        raise ValidationError(
            gettext("This %(name)s was removed meanwhile.") % {"name": name}
        ) from None


def _require_editor(user: User, plan: RecoveryPlan) -> None:
    if not can_work_with_mentee(user, plan.mentee):
        raise PermissionDenied(
            gettext("Only the mentee's mentor and the program's coordinators edit plans.")
        )
    if not plan.is_editable:
        raise ValidationError(gettext("This version is archived: it can be read, not changed."))


def _log(plan: RecoveryPlan, by: User, summary: str, *, asks_agreement: bool = True) -> None:
    """Keep the history line of a change to a locked plan. A change to what the
    mentee agrees to (`asks_agreement`: all but progress and her own
    agreement) is also kept on the plan, and the first one after she agreed
    asks her to read the plan again."""
    # Drafts are work in progress; once a plan is active, every change is history.
    if plan.status != RecoveryPlan.Status.ACTIVE:
        return
    change = PlanChange.objects.create(plan=plan, changed_by=by, summary=summary[:500])
    if asks_agreement:
        _changed(plan, change)


def _changed(plan: RecoveryPlan, change: PlanChange) -> None:
    was_changed = plan.changed_since_acknowledged
    plan.last_changed_at = change.changed_at
    plan.save(update_fields=["last_changed_at"])
    agreed_at = plan.acknowledged_at
    if was_changed or not plan.changed_since_acknowledged or agreed_at is None:
        return
    if plan.mentee.user_id:
        # Once per agreement: more changes before she reads it again add
        # nothing. The label names nothing (it goes into an email).
        notify(
            kind="plan_changed",
            recipients=[plan.mentee.user_id],
            subject=plan,
            due_key=agreed_at.isoformat(timespec="microseconds"),
        )
        send_soon(cause=f"plan {plan.pk} changed")


def _next_order(queryset) -> int:
    return (queryset.aggregate(top=Max("order"))["top"] or 0) + 1


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


# A line of a list typed one per line (ways to cope, a template's steps) is
# kept in a column of this many characters.
LINE_MAX = 300


def check_lines(lines: Sequence[str], field: str, message: str) -> None:
    """Refuse, under `field`, a list with a line longer than its column."""
    if any(len(line) > LINE_MAX for line in lines):
        raise ValidationError({field: message})
