"""The admins' operations page, and the retry of a failed email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from notifications import services as notification_services
from notifications.models import Notification

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
