from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

import audit
from audit import selectors as audit_selectors
from core import approvals, drafts
from core.dates import month_day_year, program_today, show_times_in
from core.links import link_to
from core.once import already_saved, is_spent
from core.service_errors import add_service_errors, run_service, save_form

from . import mentee_list as mentee_list_columns
from . import selectors, services
from .choices import ALLOWED_TRANSITIONS, MenteeStatus
from .duplicates import possible_duplicates
from .eligibility import program_mentors_with_eligibility
from .forms import (
    AssignForm,
    BreakGlassForm,
    MenteeFilterForm,
    MenteeIntakeForm,
    MenteeProfileForm,
    MentorCapacityForm,
    MentorProfileForm,
    RemoteConsentForm,
    StatusChangeForm,
)
from .matching import matching_for
from .models import MentorProfile
from .permissions import (
    GATED_STATUSES,
    can_edit_mentor_profile,
    can_list_mentees,
    can_manage_mentees,
    can_request_status,
    can_see_private_mentor_fields,
    can_set_mentor_capacity,
    can_work_with_mentee,
    get_mentee_for_user,
    get_mentor_profile_for_user,
)

# "This may be the same person": the first few are enough to decide.
MAX_DUPLICATES_SHOWN = 5


@login_required
def mentee_list(request):
    if not can_list_mentees(request.user):
        raise PermissionDenied
    mentors = selectors.mentor_choices(user=request.user)
    filters = MenteeFilterForm(request.GET or None, mentors=mentors)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    mentees = selectors.mentee_list(
        user=request.user,
        status=criteria.get("status", ""),
        mentor_id=criteria["mentor"].pk if criteria.get("mentor") else None,
        county=criteria.get("county", ""),
        name=criteria.get("name", ""),
        risk=criteria.get("risk", ""),
        sort=criteria.get("sort", ""),
    )
    page = Paginator(mentees, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # flagged once, shown as flagged
    mentee_list_columns.flag_rows(page.object_list)
    _label_rows(page.object_list)
    audit.shown(request, (mentee.pk for mentee in page.object_list))
    return render(
        request,
        "mentorship/mentee_list.html",
        {
            "filters": filters,
            "page": page,
            "mentees": page.object_list,
            "columns": mentee_list_columns.registered_columns(),
        },
    )


def _intake_draft(request) -> drafts.DraftOf:
    if not request.user.is_coordinator:
        raise PermissionDenied
    url = reverse("mentorship:mentee_create")
    return drafts.DraftOf(form=url, shown_on=url)


# The intake's draft keeps what is typed, never "this is a different person".
mentee_create_draft = drafts.draft_view(
    _intake_draft, MenteeIntakeForm, leave_out=["different_person"]
)


def _label_rows(mentees) -> None:
    """Each row's link and labels, worked out once for the page (a {% url %}
    or a date filter per cell costs more than the row's share of the query)."""
    detail_url = link_to("mentorship:mentee_detail")
    statuses = dict(MenteeStatus.choices)
    for mentee in mentees:
        mentee.detail_url = detail_url(mentee.pk)
        mentee.status_label = statuses.get(mentee.status, mentee.status)
        mentee.intake_label = month_day_year(mentee.intake_date)


@login_required
def mentee_create(request):
    user = request.user
    of = _intake_draft(request)
    draft = drafts.offer(request, of, url=reverse("mentorship:mentee_create_draft"))
    form = MenteeIntakeForm(request.POST or None, initial=draft.initial())
    duplicates: list = []
    if request.method == "POST" and form.is_valid():
        confirmed = form.confirmed_different()
        once = form.once_for(user)
        if not confirmed and not is_spent(once):
            found = possible_duplicates(program=user.program, **form.duplicate_check_values())
            duplicates = found[:MAX_DUPLICATES_SHOWN]
            audit.shown(request, (mentee.pk for mentee in duplicates))
        if duplicates:
            return render(
                request,
                "mentorship/mentee_form.html",
                {"form": form, "duplicates": duplicates, "draft": draft},
            )
        try:
            mentee = services.mentee_intake(
                program=user.program, created_by=user, once=once, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            audit.shown(request, [mentee.pk])
            drafts.finish(request, of.form)
            if already_saved(mentee):
                messages.info(
                    request,
                    gettext("%(preferred_name)s was already recorded: this is the record.")
                    % {"preferred_name": mentee.preferred_name},
                )
            else:
                messages.success(
                    request,
                    gettext("%(preferred_name)s is recorded as referred.")
                    % {"preferred_name": mentee.preferred_name},
                )
            return redirect("mentorship:mentee_detail", pk=mentee.pk)
    return render(request, "mentorship/mentee_form.html", {"form": form, "draft": draft})


@login_required
def mentee_detail(request, pk: int):
    mentee = get_mentee_for_user(request.user, pk)
    show_times_in(request.user, mentee)
    manage = can_manage_mentees(request.user, mentee.program)
    context = {
        "mentee": mentee,
        "can_manage": manage,
        "can_work_with": manage or request.user.is_mentor,  # a mentor sees only their own mentees
    }
    active = mentee.assignments.active().select_related("mentor").first()
    context["active_assignment"] = active
    if manage:
        context["assignments"] = selectors.assignment_history(mentee=mentee)
        context["status_changes"] = selectors.status_history(mentee=mentee)
        context["matching"] = matching_for(
            mentee, current_mentor_ids={active.mentor_id} if active else set()
        )
        context["status_form"] = _status_form(request.user, mentee, has_mentor=active is not None)
        context["assign_form"] = AssignForm(mentors=selectors.mentor_choices(user=request.user))
    if manage or (active is not None and active.mentor_id == request.user.pk):
        context.update(_approval_context(request.user, mentee, manage=manage))
    return render(request, "mentorship/mentee_detail.html", context)


def _approval_context(user, mentee, *, manage: bool) -> dict:
    """Where closing a case needs approval (core.approvals): what waits, and
    for the mentee's mentor a form that asks to discharge or graduate."""
    if not approvals.required(mentee.program):
        return {}
    context = {
        "approvals_on": True,
        "waiting_approval": [r for r in approvals.open_requests(mentee=mentee) if not r.plan_id],
    }
    if not manage:
        context["asks_approval"] = True
        context["status_form"] = StatusChangeForm(
            mentee=mentee,
            allowed=sorted(set(ALLOWED_TRANSITIONS[mentee.status]) & set(GATED_STATUSES)),
        )
    return context


@login_required
def mentee_access_history(request, pk: int):
    """Every access to this mentee's record: the program's coordinators and admins."""
    mentee = get_mentee_for_user(request.user, pk)
    show_times_in(request.user, mentee)
    if not can_manage_mentees(request.user, mentee.program):
        raise PermissionDenied
    page = Paginator(audit_selectors.events_about(mentee.pk), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "mentorship/mentee_access_history.html",
        {"mentee": mentee, "page": page, "events": page.object_list},
    )


@login_required
def my_record_access(request):
    """ "Who has seen my record", for the mentee, in plain language: roles, not names."""
    mentee = getattr(request.user, "mentee_profile", None) if request.user.is_mentee else None
    if mentee is None:
        raise PermissionDenied
    audit.shown(request, [mentee.pk])
    events = audit_selectors.events_seen_by_others(mentee.pk, own_user_id=request.user.pk)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    lines = [(event.at, audit_selectors.plain_sentence(event)) for event in page.object_list]
    return render(request, "mentorship/my_record_access.html", {"page": page, "lines": lines})


@login_required
def mentee_edit(request, pk: int):
    mentee = get_mentee_for_user(request.user, pk)
    if not can_manage_mentees(request.user, mentee.program):
        raise PermissionDenied
    form = MenteeProfileForm(request.POST or None, instance=mentee)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentee_update(
                mentee=get_mentee_for_user(request.user, pk),
                changed_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Saved."))
            return redirect("mentorship:mentee_detail", pk=mentee.pk)
    return render(request, "mentorship/mentee_form.html", {"form": form, "mentee": mentee})


@login_required
@require_POST
def mentee_status(request, pk: int):
    mentee = get_mentee_for_user(request.user, pk)
    if can_manage_mentees(request.user, mentee.program):
        form = _status_form(
            request.user,
            mentee,
            has_mentor=mentee.assignments.active().exists(),
            data=request.POST,
        )
    elif any(can_request_status(request.user, mentee, status) for status in GATED_STATUSES):
        # The mentor asks to close the case; a coordinator or their supervisor approves.
        allowed = set(ALLOWED_TRANSITIONS[mentee.status]) & set(GATED_STATUSES)
        form = StatusChangeForm(request.POST, mentee=mentee, allowed=sorted(allowed))
    else:
        raise PermissionDenied
    if form.is_valid():
        run_service(
            request,
            services.mentee_transition,
            success=_status_changed,
            mentee=mentee,
            changed_by=request.user,
            **form.cleaned_data,
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("mentorship:mentee_detail", pk=mentee.pk)


def _status_form(user, mentee, *, has_mentor: bool, data=None) -> StatusChangeForm:
    """The status form, offering the program's mentors when the mentee may
    become active and has none."""
    return StatusChangeForm(
        data,
        mentee=mentee,
        allowed=sorted(ALLOWED_TRANSITIONS[mentee.status]),
        mentors=None
        if has_mentor
        else selectors.mentor_choices(user=user).filter(program=mentee.program_id),
    )


def _status_changed(mentee) -> str:
    request = approvals.approval_request_of(mentee)
    if request is not None:
        return gettext(
            "Sent for approval (%(action)s): nothing changes until the mentor's "
            "supervisor or a coordinator approves."
        ) % {"action": request.get_action_display()}
    said = f"{mentee.preferred_name} is now {mentee.get_status_display()}"
    if mentee.status == MenteeStatus.ACTIVE:
        assignment = mentee.assignments.active().select_related("mentor").first()
        if assignment is not None:
            return f"{said}, with {assignment.mentor} as mentor."
    return f"{said}."


@login_required
@require_POST
def mentee_assign(request, pk: int):
    mentee = get_mentee_for_user(request.user, pk)
    if not can_manage_mentees(request.user, mentee.program):
        raise PermissionDenied
    form = AssignForm(request.POST, mentors=selectors.mentor_choices(user=request.user))
    if form.is_valid():
        run_service(
            request,
            services.assignment_create,
            success=lambda a: (
                gettext("%(preferred_name)s is now assigned to %(mentor)s.")
                % {"preferred_name": mentee.preferred_name, "mentor": a.mentor}
            ),
            mentee=mentee,
            assigned_by=request.user,
            **form.cleaned_data,
        )
    else:
        messages.error(request, gettext("Choose a mentor of this program."))
    return redirect("mentorship:mentee_detail", pk=mentee.pk)


@login_required
@require_POST
def mentee_invite(request, pk: int):
    mentee = get_mentee_for_user(request.user, pk)
    run_service(
        request,
        services.mentee_invite,
        success=gettext("Invitation sent to %(email)s.") % {"email": mentee.email},
        mentee=mentee,
        invited_by=request.user,
        site_url=settings.SITE_URL,
    )
    return redirect("mentorship:mentee_detail", pk=mentee.pk)


@login_required
def mentor_list(request):
    if not (request.user.is_admin or request.user.is_coordinator):
        raise PermissionDenied
    if request.user.is_coordinator:
        mentors = program_mentors_with_eligibility(request.user.program)
    else:
        mentors = selectors.mentor_profile_list(user=request.user)
    return render(request, "mentorship/mentor_list.html", {"mentors": mentors})


@login_required
def mentor_detail(request, pk: int):
    profile = get_mentor_profile_for_user(request.user, pk)
    private = can_see_private_mentor_fields(request.user, profile)
    context = {
        "profile": profile,
        "private": private,
        "can_edit": can_edit_mentor_profile(request.user, profile),
        "can_set_capacity": can_set_mentor_capacity(request.user, profile),
    }
    if private:
        context["assignments"] = list(
            selectors.assignment_list(user=request.user).filter(mentor=profile.user).active()
        )
    return render(request, "mentorship/mentor_detail.html", context)


def _mentor_profile_draft(request) -> drafts.DraftOf:
    if not request.user.is_mentor:
        raise PermissionDenied
    url = reverse("mentorship:mentor_profile_edit")
    return drafts.DraftOf(form=url, shown_on=url)


# A mentor's profile being written: the bio and the rest of the form.
mentor_profile_draft = drafts.draft_view(_mentor_profile_draft, MentorProfileForm)


@login_required
def mentor_profile_edit(request):
    """A mentor edits their own profile."""
    of = _mentor_profile_draft(request)
    profile = get_object_or_404(MentorProfile.objects.visible_to(request.user))
    draft = drafts.offer(request, of, url=reverse("mentorship:mentor_profile_draft"))
    form = MentorProfileForm(request.POST or None, instance=profile, initial=draft.initial())
    if request.method == "POST" and form.is_valid() and save_form(form):
        drafts.finish(request, of.form)
        messages.success(request, gettext("Your profile is saved."))
        return redirect("mentorship:mentor_detail", pk=profile.pk)
    return render(
        request,
        "mentorship/mentor_form.html",
        {"form": form, "profile": profile, "draft": draft},
    )


@login_required
def mentor_capacity_edit(request, pk: int):
    """A coordinator sets a mentor's caseload capacity and intake."""
    profile = get_mentor_profile_for_user(request.user, pk)
    if not can_set_mentor_capacity(request.user, profile):
        raise PermissionDenied
    form = MentorCapacityForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid() and save_form(form):
        messages.success(request, gettext("Caseload settings saved."))
        return redirect("mentorship:mentor_detail", pk=profile.pk)
    return render(request, "mentorship/mentor_form.html", {"form": form, "profile": profile})


@login_required
def mentee_consent(request, pk: int):
    """Record the mentee's consent to telephone or telehealth check-ins, or
    its withdrawal; nothing is preselected, and the page says what it recorded."""
    mentee = get_mentee_for_user(request.user, pk)
    if not can_work_with_mentee(request.user, mentee):
        raise PermissionDenied
    form = RemoteConsentForm(
        request.POST or None, mentee=mentee, initial={"on": program_today(mentee.program)}
    )
    if request.method == "POST" and form.is_valid():
        had_consent = bool(mentee.remote_consent)
        try:
            recorded = services.mentee_record_remote_consent(
                mentee=mentee,
                recorded_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _consent_recorded(recorded, had_consent=had_consent))
            return _back_to(request, mentee)
    return render(request, "mentorship/mentee_consent.html", {"form": form, "mentee": mentee})


def _consent_recorded(mentee, *, had_consent: bool) -> str:
    """Exactly what was recorded, in words."""
    name = mentee.preferred_name
    if mentee.remote_consent:
        return (
            f"Recorded: {name} consented to remote services, "
            f"{mentee.get_remote_consent_display()}, on {_day(mentee.remote_consent_on)}."
        )
    if had_consent:
        # The record keeps no withdrawal date: the day it was recorded.
        return (
            f"Recorded: {name} withdrew consent to remote services on "
            f"{_day(program_today(mentee.program))}."
        )
    return f"Recorded: {name} has not consented to remote services."


def _day(value) -> str:
    return date_format(value, "M j, Y")


def _back_to(request, mentee):
    """Back to the page that sent us here (the check-in form), else the mentee."""
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("mentorship:mentee_detail", pk=mentee.pk)


@login_required
def break_glass(request):
    """An admin (or a coordinator covering a program that allows it) opens one
    mentee's record in an emergency, saying why."""
    if not (request.user.is_admin or request.user.is_coordinator):
        raise PermissionDenied
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.break_glass_open(
                user=request.user,
                mentee_id=form.cleaned_data["mentee"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Emergency access granted. It has been recorded."))
            return redirect("mentorship:mentee_detail", pk=grant.mentee_id)
    minutes = settings.PEERPATH_BREAK_GLASS_MINUTES
    return render(request, "mentorship/break_glass.html", {"form": form, "minutes": minutes})
