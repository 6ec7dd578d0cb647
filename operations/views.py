"""The admins' operations page, and the retry of a failed email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.models import Program
from core.api.filters import BIGINT_MAX
from core.service_errors import REFUSED, run_service, save_form
from notifications import services as notification_services
from notifications.models import Notification

from . import retention
from .forms import PurgeForm, RetentionSettingForm
from .models import RetentionCandidate, RetentionSetting
from .selectors import is_operator, overview


def _require_admin(user) -> None:
    if not is_operator(user):
        raise PermissionDenied


@login_required
def operations_page(request):
    _require_admin(request.user)
    return render(request, "operations/page.html", {"overview": overview()})


@login_required
@require_POST
def notification_retry(request, pk: int):
    _require_admin(request.user)
    notification = get_object_or_404(
        Notification.objects.filter(channel=Notification.Channel.EMAIL).only("pk"), pk=pk
    )
    notification_services.notification_retry(notification_id=notification.pk)
    messages.success(
        request,
        gettext("Email %(id)s is back in the outbox and will be sent again shortly.")
        % {"id": notification.pk},
    )
    return redirect("operations:page")


@login_required
def retention_page(request):
    """The closed cases past retention as the monthly job last listed them
    (record numbers and dates only), and each program's retention."""
    _require_admin(request.user)
    candidates = list(RetentionCandidate.objects.order_by("due_since", "mentee_id"))
    programs = list(Program.objects.order_by("name").values("pk", "name", "retention__years"))
    for program in programs:
        program["years"] = program["retention__years"] or retention.DEFAULT_RETENTION_YEARS
    return render(
        request,
        "operations/retention.html",
        {"candidates": candidates, "programs": programs, "form": PurgeForm()},
    )


@login_required
def retention_setting(request, pk: int):
    _require_admin(request.user)
    program = get_object_or_404(Program, pk=pk)
    instance = RetentionSetting.objects.filter(program=program).first()
    form = RetentionSettingForm(
        request.POST or None, instance=instance or RetentionSetting(program=program)
    )
    if request.method == "POST" and form.is_valid() and save_form(form) is not None:
        messages.success(request, gettext("Retention saved."))
        return redirect("operations:retention")
    return render(request, "operations/retention_setting.html", {"form": form, "program": program})


@login_required
@require_POST
def retention_purge(request, pk: int):
    _require_admin(request.user)
    if pk > BIGINT_MAX:
        # No record ever had this number. (One purged already answers as the
        # first purge did: see retention.retention_purge.)
        raise Http404
    form = PurgeForm(request.POST)
    form.is_valid()
    result = run_service(
        request,
        retention.retention_purge,
        mentee_id=pk,
        by=request.user,
        confirmation=form.cleaned_data.get("confirmation", ""),
    )
    if result is not REFUSED:
        messages.success(request, gettext("Record %(id)s was purged.") % {"id": pk})
    return redirect("operations:retention")
