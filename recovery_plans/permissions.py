"""Who reaches which plan, and who may change it. Reads follow mentorship's
scope (mentees never see drafts); writes are for the current mentor and the
program's coordinators, except ticking steps and acknowledging, which the
mentee does on their own active plan."""

from django.shortcuts import get_object_or_404

from mentorship.permissions import can_manage_mentees, can_work_with_mentee

from .models import ActionStep, Goal, PlanTemplate, RecoveryPlan, Trigger


def get_plan_for_user(user, pk: int) -> RecoveryPlan:
    return get_object_or_404(
        RecoveryPlan.objects.visible_to(user).select_related("mentee__program"), pk=pk
    )


def get_goal_for_user(user, pk: int) -> Goal:
    return get_object_or_404(
        Goal.objects.visible_to(user).select_related("plan__mentee__program"), pk=pk
    )


def get_step_for_user(user, pk: int) -> ActionStep:
    return get_object_or_404(
        ActionStep.objects.visible_to(user).select_related("goal__plan__mentee__program"), pk=pk
    )


def get_trigger_for_user(user, pk: int) -> Trigger:
    plans = RecoveryPlan.objects.visible_to(user)
    return get_object_or_404(
        Trigger.objects.filter(plan__in=plans).select_related("plan__mentee__program"), pk=pk
    )


def get_template_for_user(user, pk: int) -> PlanTemplate:
    return get_object_or_404(PlanTemplate.objects.visible_to(user).select_related("program"), pk=pk)


def can_edit_plan(user, plan: RecoveryPlan) -> bool:
    return plan.is_editable and can_work_with_mentee(user, plan.mentee)


def can_tick_step(user, plan: RecoveryPlan) -> bool:
    if user.is_mentee:
        return plan.mentee.user_id == user.pk and plan.status == RecoveryPlan.Status.ACTIVE
    return can_edit_plan(user, plan)


def can_manage_templates(user, program) -> bool:
    return can_manage_mentees(user, program)
