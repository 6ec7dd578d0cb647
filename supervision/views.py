"""Thin pages: access → form → service → response."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import audit
from core.csv_export import csv_download, csv_lines
from core.dates import program_today, user_today
from core.service_errors import add_service_errors, run_service, save_form
from mentorship.choices import DischargeReason

from . import selectors, services
from .forms import (
    ApprovalDecisionForm,
    AssignForm,
    FollowUpRequestForm,
    FollowUpResolveForm,
    SessionForm,
    SettingsForm,
    SupervisorDesignateForm,
    TrainingForm,
)
from .models import SupervisionSettings, settings_of
from .permissions import (
    can_decide_approval,
    can_manage_supervision,
    can_see_supervision,
    current_supervisor,
    get_action_item_for_user,
    get_approval_for_user,
    get_follow_up_for_user,
    get_follow_up_target_for_user,
    get_mentor_log_for_user,
    get_session_for_user,
    get_supervisor_for_user,
)


def _coordinator(request):
    if not request.user.is_coordinator:
        raise PermissionDenied
    return request.user.program


@login_required
def home(request):
    user = request.user
    if not can_see_supervision(user):
        raise PermissionDenied
    today = user_today(user)
    supervisor = current_supervisor(user)
    context = {"today": today, "supervisor": supervisor}
    if user.is_coordinator:
        context["hours"] = list(selectors.mentor_hours(program=user.program, day=today))
        context["supervisors"] = list(selectors.supervisor_list(user=user))
        context["assignments"] = list(selectors.assignment_history(user=user)[:50])
        context["settings"] = settings_of(user.program)
    elif user.is_admin:
        context["supervisors"] = list(selectors.supervisor_list(user=user)[:200])
    if supervisor is not None and not user.is_coordinator:
        ids = selectors.supervisees(supervisor_user=user).values("pk")
        context["hours"] = list(
            selectors.mentor_hours(program=user.program, day=today).filter(pk__in=ids)
        )
    if not user.is_admin:
        context["debriefs"] = list(selectors.open_debriefs(user=user)[:50])
    if user.is_mentor:
        context["my_items"] = list(selectors.open_action_items(mentor=user)[:50])
    context["sessions"] = list(selectors.session_list(user=user)[:20])
    return render(request, "supervision/home.html", context)


@login_required
def supervisor_new(request):
    program = _coordinator(request)
    form = SupervisorDesignateForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.supervisor_designate(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Supervisor designated."))
            return redirect("supervision:home")
    return render(request, "supervision/supervisor_form.html", {"form": form})


@login_required
@require_POST
def supervisor_training(request, pk: int):
    supervisor = get_supervisor_for_user(request.user, pk)
    if not can_manage_supervision(request.user, supervisor.program):
        raise PermissionDenied
    form = TrainingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the training was completed."))
    else:
        run_service(
            request,
            services.supervisor_training_record,
            supervisor=supervisor,
            by=request.user,
            success=_("Training recorded."),
            **form.cleaned_data,
        )
    return redirect("supervision:home")


@login_required
def assign(request):
    program = _coordinator(request)
    form = AssignForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.supervisor_assign(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Supervisor assigned."))
            return redirect("supervision:home")
    return render(request, "supervision/assign_form.html", {"form": form})


@login_required
def program_settings(request):
    program = _coordinator(request)
    instance = SupervisionSettings.objects.filter(program=program).first()
    form = SettingsForm(
        request.POST or None, instance=instance or SupervisionSettings(program=program)
    )
    if request.method == "POST" and form.is_valid() and save_form(form) is not None:
        messages.success(request, _("Supervision settings saved."))
        return redirect("supervision:home")
    return render(request, "supervision/settings_form.html", {"form": form})


@login_required
def session_new(request):
    supervisor = current_supervisor(request.user)
    if supervisor is None:
        raise PermissionDenied
    initial = {"held_on": program_today(supervisor.program)}
    form = SessionForm(request.POST or None, supervisor=supervisor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_record(by=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Supervision session recorded."))
            return redirect("supervision:session_detail", session.pk)
    return render(request, "supervision/session_form.html", {"form": form})


@login_required
def session_detail(request, pk: int):
    session = get_session_for_user(request.user, pk)
    attendance = list(session.attendance.select_related("mentor"))
    mentor_ids = {row.mentor_id for row in attendance}
    from mentorship.models import MenteeProfile

    # Scoped links: only the discussed mentees the reader reaches are named.
    discussed = list(
        MenteeProfile.objects.visible_to(request.user)
        .filter(pk__in=session.mentees_discussed.values("pk"))
        .only("pk", "preferred_name")
    )
    context = {
        "session": session,
        "attendance": attendance,
        "items": list(session.action_items.select_related("mentor")),
        "discussed": discussed,
        "show_notes": session.notes_visible_to(request.user, mentor_ids),
        "is_mentor": request.user.pk in mentor_ids,
        "debriefs": list(session.debriefs.all()),
    }
    return render(request, "supervision/session_detail.html", context)


@login_required
@require_POST
def session_acknowledge(request, pk: int):
    session = get_session_for_user(request.user, pk)
    if not session.attendance.filter(mentor=request.user).exists():
        raise PermissionDenied
    run_service(
        request,
        services.session_acknowledge,
        session=session,
        mentor=request.user,
        success=_("Session acknowledged."),
    )
    return redirect("supervision:session_detail", session.pk)


@login_required
@require_POST
def action_item_done(request, pk: int):
    item = get_action_item_for_user(request.user, pk)
    if item.mentor_id != request.user.pk:
        raise PermissionDenied
    run_service(request, services.action_item_done, item=item, by=request.user, success=_("Done."))
    return redirect("supervision:session_detail", item.session_id)


@login_required
def log(request, mentor_id: int):
    mentor = get_mentor_log_for_user(request.user, mentor_id)
    today = user_today(mentor)
    hours = selectors.mentor_hours(program=mentor.program, day=today).filter(pk=mentor.pk).first()
    page = Paginator(selectors.supervision_log(mentor=mentor), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/log.html", {"mentor": mentor, "page": page, "hours": hours})


@login_required
def log_csv(request, mentor_id: int):
    mentor = get_mentor_log_for_user(request.user, mentor_id)
    rows = (
        (
            row.session.held_on.isoformat(),
            row.session.get_kind_display(),
            row.session.get_format_display(),
            row.session.duration_minutes,
            "; ".join(row.session.get_topics_display()),
            row.session.supervisor.full_name,
            row.acknowledged_at.date().isoformat() if row.acknowledged_at else "",
        )
        for row in selectors.supervision_log(mentor=mentor).iterator(chunk_size=500)
    )
    header = ["date", "kind", "format", "minutes", "topics", "supervisor", "acknowledged"]
    return csv_download(csv_lines(header, rows), f"supervision-log-{mentor.pk}")


# --- Follow-up requests ---------------------------------------------------------


@login_required
def follow_up_list(request):
    """Open or resolved follow-up requests the reader reaches: a mentor those
    asked of them (and those they asked as a supervisor), a coordinator the
    program's."""
    import audit

    if not can_see_supervision(request.user):
        raise PermissionDenied
    state = "resolved" if request.GET.get("state") == "resolved" else "open"
    rows = selectors.follow_up_list(user=request.user).select_related("mentee")
    rows = (
        rows.resolved().order_by("-resolved_at", "-pk")
        if state == "resolved"
        else rows.open().order_by("due_on", "created_at", "pk")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    audit.shown(request, (row.mentee_id for row in page))
    context = {"page": page, "state": state, "today": user_today(request.user)}
    return render(request, "supervision/follow_up_list.html", context)


def _follow_up_new(request, kind: str, pk: int):
    target = get_follow_up_target_for_user(request.user, kind, pk)
    mentee = target.mentee
    current = mentee.assignments.filter(ended_at__isnull=True).select_related("mentor").first()
    if not services.may_request_follow_up(
        request.user, program=mentee.program, mentor=current.mentor if current else None
    ):
        raise PermissionDenied
    form = FollowUpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = services.follow_up_request(
                by=request.user, **{kind: target}, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Follow-up requested. The mentor is told."))
            return redirect("supervision:follow_up_detail", follow_up.pk)
    context = {
        "form": form,
        "kind": kind,
        "target": target,
        "mentee": mentee,
        "mentor": current.mentor if current else None,
        "today": program_today(mentee.program),
    }
    return render(request, "supervision/follow_up_form.html", context)


@login_required
def follow_up_new_checkin(request, pk: int):
    return _follow_up_new(request, "checkin", pk)


@login_required
def follow_up_new_plan(request, pk: int):
    return _follow_up_new(request, "plan", pk)


def _follow_up_page(request, follow_up, form=None):
    may_answer = follow_up.is_open and follow_up.mentor_id == request.user.pk
    if may_answer and form is None:
        form = FollowUpResolveForm()
    context = {
        "follow_up": follow_up,
        "form": form if may_answer else None,
        "today": program_today(follow_up.program),
    }
    return render(request, "supervision/follow_up_detail.html", context)


@login_required
def follow_up_detail(request, pk: int):
    return _follow_up_page(request, get_follow_up_for_user(request.user, pk))


@login_required
def follow_up_resolve(request, pk: int):
    """The mentor asked answers; a second answer keeps the first."""
    follow_up = get_follow_up_for_user(request.user, pk)
    if follow_up.mentor_id != request.user.pk:
        raise PermissionDenied
    form = FollowUpResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_resolve(
                follow_up=follow_up, by=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Answered. The person who asked is told."))
            return redirect("supervision:follow_up_detail", follow_up.pk)
    return _follow_up_page(request, follow_up, form)


# --- Approvals ------------------------------------------------------------------


@login_required
def approval_list(request):
    """The queue: requests waiting for this user's decision, and their own."""
    user = request.user
    if not can_see_supervision(user):
        raise PermissionDenied
    page = Paginator(selectors.approval_queue(user=user), 50).get_page(request.GET.get("page"))
    waiting = list(page.object_list)
    mine = list(selectors.approval_list(user=user).filter(requested_by=user)[:20])
    names = selectors.reachable_mentees(user=user, mentee_ids=[a.mentee_id for a in waiting + mine])
    for approval in waiting + mine:
        approval.mentee_name = names.get(approval.mentee_id)
    audit.shown(request, names)
    context = {"page": page, "waiting": waiting, "mine": mine}
    return render(request, "supervision/approval_list.html", context)


@login_required
def approval_detail(request, pk: int):
    """A request: what is asked, and the decision (or the withdrawal)."""
    approval = get_approval_for_user(request.user, pk)
    asked = approval.requested_by_id == request.user.pk
    decides = not asked and can_decide_approval(request.user, approval)
    if request.method == "POST" and not (asked or decides):
        raise PermissionDenied
    may_decide, may_withdraw = approval.is_open and decides, approval.is_open and asked
    form = ApprovalDecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            decided = _decide(request, approval, form)
            if decided is not None:
                messages.success(request, decided)
                if request.POST.get("back") == "queue":
                    return redirect("supervision:approvals")
                return redirect("supervision:approval_detail", approval.pk)
    names = selectors.reachable_mentees(user=request.user, mentee_ids=[approval.mentee_id])
    approval.mentee_name = names.get(approval.mentee_id)
    context = {
        "approval": approval,
        "form": form,
        "can_decide": may_decide,
        "can_withdraw": may_withdraw,
        "reason_label": dict(DischargeReason.choices).get(approval.details.get("reason", ""), ""),
    }
    return render(request, "supervision/approval_detail.html", context)


def _decide(request, approval, form) -> str | None:
    """The service for the button pressed: its message, or None once its
    refusal is on the form."""
    decision = form.cleaned_data["decision"]
    try:
        if decision == "withdraw":
            services.approval_withdraw(approval=approval, by=request.user)
            return _("Request withdrawn.")
        done = services.approval_decide(
            approval=approval,
            by=request.user,
            approve=decision == "approve",
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    if done.status == "approved":
        return _("Approved: the change has taken effect.")
    return _("Rejected: nothing changed.")
