"""A program's plan templates: goals and steps, without dates, that plans
start from. Coordinators keep them."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import Program, User
from core.constraints import plain_violations
from core.once import submitted_once
from mentorship.permissions import can_manage_mentees

from ..models import PlanTemplate, TemplateGoal, TemplateStep
from ._common import _next_order, check_lines


@submitted_once
def template_create(*, program: Program, by: User, name: str) -> PlanTemplate:
    if not can_manage_mentees(by, program):
        raise PermissionDenied(gettext("Coordinators keep their program's templates."))
    template = PlanTemplate(program=program, created_by=by, name=name.strip())
    template.full_clean()
    with plain_violations():  # the same name saved by someone else meanwhile
        template.save()
    return template


@transaction.atomic
def template_goal_add(
    *, template: PlanTemplate, by: User, domain: str, description: str, steps: Sequence[str] = ()
) -> TemplateGoal:
    if not can_manage_mentees(by, template.program):
        raise PermissionDenied(gettext("Coordinators keep their program's templates."))
    lines = [text.strip() for text in steps if text.strip()]
    check_lines(lines, "steps", gettext("A step is at most 300 characters."))
    # Locked so that two goals added at once are not given the same place.
    PlanTemplate.objects.select_for_update().filter(pk=template.pk).first()
    goal = TemplateGoal(
        template=template,
        domain=domain,
        description=description.strip(),
        order=_next_order(template.goals),
    )
    goal.full_clean()
    goal.save()
    TemplateStep.objects.bulk_create(
        TemplateStep(goal=goal, description=text, order=n) for n, text in enumerate(lines, start=1)
    )
    return goal
