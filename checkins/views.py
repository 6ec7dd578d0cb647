from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

import audit
from accounts.models import Role, User
from certification.selectors import billable_reason
from core import drafts
from core.dates import program_now, program_today, show_times_in
from core.service_errors import add_service_errors, run_service
from mentorship.choices import OPEN_STATUSES
from mentorship.models import MenteeProfile
from mentorship.permissions import get_mentee_for_user
from recovery_plans.selectors import goals_of_active_plan

from . import selectors, services
from .charts import trend_charts
from .forms import (
    AssessmentForm,
    CheckInCorrectionForm,
    CheckInForm,
    CrisisHandledForm,
    GroupSessionForm,
    SelfCheckInForm,
    VoidForm,
)
from .permissions import (
    can_correct_checkin,
    can_manage_mentees,
    can_read_checkin_notes,
    can_void_checkin,
    can_work_with_mentee,
    get_checkin_for_user,
)
from .recovery_capital import BARC10_ITEMS, ITEM_FIELDS

DRAFT_FIELDS = (
    "kind", "occurred_at", "delivery_method", "duration_minutes", "support_types",
    "substance_use_days", "craving_level", "mood", "notes", "crisis_flag", "crisis_notes",
    "next_checkin_on", "idempotency_key", "goals_discussed",
)  # fmt: skip


@login_required
def timeline(request, mentee_id: int):
    mentee = get_mentee_for_user(request.user, mentee_id)
    show_times_in(request.user, mentee)
    data = selectors.timeline(mentee=mentee)
    return render(
        request,
        "checkins/timeline.html",
        {
            "mentee": mentee,
            **data,
            "charts": trend_charts(data["checkins"], data["assessments"], program=mentee.program),
            "can_log": can_work_with_mentee(request.user, mentee),
            "staff_view": not request.user.is_mentee,
            "schedule": selectors.schedule_for(mentee=mentee),
            "today": program_today(mentee.program),
        },
    )


@login_required
def checkin_log(request, mentee_id: int):
    mentee = get_mentee_for_user(request.user, mentee_id, with_mentor_check=True)
    if not can_work_with_mentee(request.user, mentee):
        raise PermissionDenied
    draft = None
    goals = goals_of_active_plan(mentee)
    if request.method == "POST":
        form = CheckInForm(request.POST, goals=goals)
        if form.is_valid():
            try:
                checkin = services.checkin_log(
                    author=request.user,
                    mentee=mentee,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    **form.service_fields(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    gettext("%(kind)s saved.") % {"kind": checkin.get_kind_display().capitalize()},
                )
                return redirect("checkins:timeline", mentee_id=mentee.pk)
    else:
        # A saved draft (idle sign-out, closed tab) comes back as the form's values.
        draft = selectors.draft_for(author=request.user, mentee=mentee)
        initial = _defaults_from_last(mentee)
        if draft:
            initial |= selectors.draft_values(draft)
        form = CheckInForm(initial=initial, goals=goals)
    return render(
        request,
        "checkins/checkin_form.html",
        {
            "form": form,
            "mentee": mentee,
            "draft": draft,
            "needs_consent": not mentee.remote_consent,
            "not_billable_because": (
                billable_reason(holder=request.user) if request.user.is_mentor else ""
            ),
        },
    )


def _defaults_from_last(mentee) -> dict:
    """Start from how the last check-in went: same method, length and support."""
    last = selectors.last_checkin(mentee=mentee)
    if last is None:
        return {"delivery_method": "in_person", "duration_minutes": 30}
    return {
        "delivery_method": last.delivery_method,
        "duration_minutes": last.duration_minutes,
        "support_types": last.support_types,
    }


@login_required
@require_POST
def draft_save(request, mentee_id: int):
    """htmx autosave of the check-in form (every few seconds while typing)."""
    mentee = get_mentee_for_user(request.user, mentee_id)
    data = {
        key: request.POST.getlist(key)
        if key in ("support_types", "goals_discussed")
        else request.POST.get(key, "")
        for key in DRAFT_FIELDS
    }
    draft = services.draft_save(author=request.user, mentee=mentee, data=data)
    if draft is None:
        return HttpResponse(gettext("This check-in is already saved."))
    saved = timezone.localtime(draft.updated_at)
    return HttpResponse(gettext("Draft saved at %(time)s") % {"time": f"{saved:%H:%M:%S}"})


@login_required
@require_POST
def draft_discard(request, mentee_id: int):
    mentee = get_mentee_for_user(request.user, mentee_id)
    if not can_work_with_mentee(request.user, mentee):
        raise PermissionDenied
    services.draft_discard(author=request.user, mentee=mentee)
    return redirect("checkins:log", mentee_id=mentee.pk)


@login_required
def checkin_detail(request, pk: int):
    checkin = get_checkin_for_user(request.user, pk)
    show_times_in(request.user, checkin.mentee)
    return render(
        request,
        "checkins/checkin_detail.html",
        {
            "checkin": checkin,
            "show_notes": can_read_checkin_notes(request.user, checkin),
            "can_correct": can_correct_checkin(request.user, checkin)
            and checkin.voided_at is None
            and timezone.now() <= checkin.correctable_until(),
            "can_handle_crisis": checkin.is_open_crisis
            and can_manage_mentees(request.user, checkin.mentee.program),
            "crisis_form": CrisisHandledForm(),
            "can_void": can_void_checkin(request.user, checkin),
            "void_form": VoidForm(),
        },
    )


@login_required
@require_POST
def checkin_void(request, pk: int):
    checkin = get_checkin_for_user(request.user, pk)
    if not (
        can_manage_mentees(request.user, checkin.mentee.program)
        or checkin.author_id == request.user.pk
    ):
        raise PermissionDenied
    run_service(
        request,
        services.checkin_void,
        success=gettext_lazy("Check-in voided. It stays in the history, struck through."),
        checkin=checkin,
        by=request.user,
        reason=request.POST.get("reason", ""),
    )
    return redirect("checkins:detail", pk=checkin.pk)


@login_required
def checkin_edit(request, pk: int):
    checkin = get_checkin_for_user(request.user, pk)
    if not can_correct_checkin(request.user, checkin):
        raise PermissionDenied
    form = CheckInCorrectionForm(
        request.POST or None, instance=checkin, goals=goals_of_active_plan(checkin.mentee)
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The form has written its values into `checkin`; the service
            # checks the change against the stored check-in.
            services.checkin_correct(
                checkin=get_checkin_for_user(request.user, pk),
                editor=request.user,
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Check-in corrected."))
            return redirect("checkins:detail", pk=checkin.pk)
    return render(request, "checkins/checkin_edit.html", {"form": form, "checkin": checkin})


@login_required
@require_POST
def crisis_handled(request, pk: int):
    checkin = get_checkin_for_user(request.user, pk)
    form = CrisisHandledForm(request.POST)
    if not can_manage_mentees(request.user, checkin.mentee.program):
        raise PermissionDenied
    if form.is_valid():
        run_service(
            request,
            services.crisis_mark_handled,
            success=gettext_lazy("Crisis marked as handled."),
            checkin=checkin,
            handled_by=request.user,
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(request, gettext("Say how the crisis was handled."))
    if request.POST.get("next") == "dashboard":
        return redirect("dashboard")
    return redirect("checkins:detail", pk=checkin.pk)


@login_required
def self_checkin(request):
    """A mentee's short check-in, and their own trend."""
    if not request.user.is_mentee:
        raise PermissionDenied
    mentee = getattr(request.user, "mentee_profile", None)
    if mentee is not None:
        audit.shown(request, [mentee.pk])
    form = SelfCheckInForm(request.POST or None)
    if request.method == "POST" and mentee is not None and form.is_valid():
        try:
            services.self_checkin_submit(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Thank you. Your mentor will see your check-in."))
            return redirect("checkins:self")
    data = selectors.timeline(mentee=mentee) if mentee else {"checkins": [], "assessments": []}
    return render(
        request,
        "checkins/self_checkin.html",
        {
            "form": form,
            "mentee": mentee,
            "charts": trend_charts(
                data["checkins"], data["assessments"], program=mentee.program if mentee else None
            ),
            "schedule": selectors.schedule_for(mentee=mentee) if mentee else None,
        },
    )


def _assessment_draft(request, mentee_id: int) -> drafts.DraftOf:
    mentee = get_mentee_for_user(request.user, mentee_id)
    if not can_work_with_mentee(request.user, mentee):
        raise PermissionDenied
    url = reverse("checkins:assessment_new", args=[mentee.pk])
    return drafts.DraftOf(form=url, shown_on=url)


assessment_draft = drafts.draft_view(_assessment_draft, AssessmentForm, extra_fields=ITEM_FIELDS)


@login_required
def assessment_new(request, mentee_id: int):
    mentee = get_mentee_for_user(request.user, mentee_id)
    if not can_work_with_mentee(request.user, mentee):
        raise PermissionDenied
    of = _assessment_draft(request, mentee_id)
    draft = drafts.offer(request, of, url=reverse("checkins:assessment_draft", args=[mentee.pk]))
    form = AssessmentForm(request.POST or None, initial=draft.initial())
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                once=form.once_for(request.user),
                mentee=mentee,
                entered_by=request.user,
                scores=form.scores(),
                assessed_on=form.cleaned_data["assessed_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            drafts.finish(request, of.form)
            messages.success(
                request, gettext("BARC-10 recorded: %(total)s of 60.") % {"total": assessment.total}
            )
            return redirect("checkins:timeline", mentee_id=mentee.pk)
    return render(
        request,
        "checkins/assessment_form.html",
        {"form": form, "mentee": mentee, "items": BARC10_ITEMS, "draft": draft},
    )


def _may_log_groups(user) -> bool:
    return (user.is_mentor or user.is_coordinator) and bool(user.program_id)


@login_required
def group_list(request):
    """The peer support groups the user facilitated (a coordinator: the
    program's), newest first."""
    if not _may_log_groups(request.user):
        raise PermissionDenied
    groups = list(selectors.group_session_list(user=request.user)[:50])
    audit.shown(request, (a.mentee_id for g in groups for a in g.attendees))
    return render(request, "checkins/group_list.html", {"groups": groups})


@login_required
def group_new(request):
    """Log a group once with its attendance: each mentee who came gets a
    check-in of kind group."""
    if not _may_log_groups(request.user):
        raise PermissionDenied
    mentees = list(
        MenteeProfile.objects.visible_to(request.user)
        .filter(status__in=OPEN_STATUSES)
        .order_by("preferred_name", "pk")
        .only("pk", "preferred_name")
    )
    colleagues = (
        User.objects.filter(
            program_id=request.user.program_id, role__in=[Role.MENTOR, Role.COORDINATOR],
            is_active=True,
        )
        .exclude(pk=request.user.pk)
        .order_by("full_name")
    )  # fmt: skip
    kwargs = {"mentees": mentees, "colleagues": colleagues}
    audit.shown(request, (m.pk for m in kwargs["mentees"]))
    if request.method == "POST":
        form = GroupSessionForm(request.POST, **kwargs)
        if form.is_valid():
            once = form.once_for(request.user)
            try:
                group = services.group_session_log(
                    by=request.user,
                    attendees=form.attendees(services.NewAttendee),
                    once=once,
                    **form.service_fields(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("Group session saved."))
                return redirect("checkins:group_detail", pk=group.pk)
    else:
        form = GroupSessionForm(
            initial={"occurred_at": program_now(request.user.program)}, **kwargs
        )
    return render(request, "checkins/group_form.html", {"form": form})


@login_required
def group_detail(request, pk: int):
    group = selectors.group_session_list(user=request.user).filter(pk=pk).first()
    if group is None:
        raise Http404
    return render(request, "checkins/group_detail.html", {"group": group})
