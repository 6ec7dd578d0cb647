"""A program's plan templates: coordinators keep them, mentors start plans
from them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from core.service_errors import add_service_errors

from .. import selectors, services
from ..forms import TemplateForm, TemplateGoalForm
from ..permissions import can_manage_templates, get_template_for_user


@login_required
def template_list(request):
    user = request.user
    if not (user.is_coordinator or user.is_admin or user.is_mentor):
        raise PermissionDenied
    form = TemplateForm(request.POST or None)
    if request.method == "POST":
        if not user.is_coordinator:
            raise PermissionDenied
        if form.is_valid():
            try:
                template = services.template_create(
                    once=form.once_for(user),
                    program=user.program,
                    by=user,
                    name=form.cleaned_data["name"],
                )
            except ValidationError as exc:  # shown beside the name, with the form
                add_service_errors(form, exc)
            else:
                return redirect("recovery_plans:template_detail", pk=template.pk)
    return render(
        request,
        "recovery_plans/template_list.html",
        {
            "templates": selectors.template_list(user=user),
            "form": form,
            "can_create": user.is_coordinator,
        },
    )


@login_required
def template_detail(request, pk: int):
    template = get_template_for_user(request.user, pk)
    can_manage = can_manage_templates(request.user, template.program)
    form = TemplateGoalForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.template_goal_add(
                    template=template,
                    by=request.user,
                    domain=form.cleaned_data["domain"],
                    description=form.cleaned_data["description"],
                    steps=form.step_lines(),
                )
            except ValidationError as exc:  # a step too long: shown with the form
                add_service_errors(form, exc)
            else:
                return redirect("recovery_plans:template_detail", pk=template.pk)
    return render(
        request,
        "recovery_plans/template_detail.html",
        {
            "template": template,
            "goals": template.goals.prefetch_related("steps"),
            "form": form,
            "can_manage": can_manage,
        },
    )
