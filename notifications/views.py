from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import audit
from audit.models import Action
from core.service_errors import REFUSED, form_service

from . import selectors, services
from .forms import EmailPreferencesForm


def _get_notification_for_user(user, pk: int):
    return get_object_or_404(selectors.notification_list(user=user), pk=pk)


@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    named = selectors.name_mentees(user=request.user, notifications=page.object_list)
    if named:
        # Naming mentees makes the list a list of mentee records (audit trail).
        audit.record(request, action=Action.LIST, mentee_ids=named, object_type="notification")
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "notifications": page.object_list},
    )


@login_required
def notification_open(request, pk: int):
    """The link in every email: mark it read, then go to the page it is about."""
    notification = services.notification_mark_read(
        notification=_get_notification_for_user(request.user, pk)
    )
    return redirect(notification.target_url())


@login_required
@require_POST
def notification_read(request, pk: int):
    services.notification_mark_read(notification=_get_notification_for_user(request.user, pk))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
def unread_count(request):
    """The bell's badge, loaded by htmx so pages do not pay for it."""
    return render(
        request,
        "notifications/partials/_unread_count.html",
        {"count": selectors.unread_count(user=request.user)},
    )


@login_required
def email_preferences(request):
    """Which notifications the reader also gets by email (their own only)."""
    rows = selectors.preference_list(user=request.user)
    form = EmailPreferencesForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        saved = form_service(
            form, services.preferences_save, user=request.user, emails=form.emails()
        )
        if saved is not REFUSED:
            messages.success(request, _("Your email notifications are saved."))
            return redirect("notifications:email_preferences")
    return render(request, "notifications/email_preferences.html", {"form": form})
