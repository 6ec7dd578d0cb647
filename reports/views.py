from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

import audit
from core.csv_export import csv_download, csv_lines, safe_filename
from core.dates import program_today, user_today
from mentorship.models import MenteeProfile
from mentorship.permissions import can_work_with_mentee, get_mentee_for_user

from . import exports
from .follow_ups import FOLLOW_UP_TARGET, Point, mentees_in_state
from .forms import FollowUpStateForm, ReportPeriodForm
from .permissions import can_see_outcome_report
from .selectors import follow_up_rate, follow_up_rows, programs_for_report, reportable_programs
from .services import follow_up_record, outcome_report, period_of


def _chosen_report(request, *, compute=True):
    """(form, report or None): the programs and months asked for; a program
    out of reach is a 404, a refused month the form's error and no report.
    With compute=False the report is (programs, period), not worked out."""
    if not can_see_outcome_report(request.user):
        raise PermissionDenied
    raw = request.GET.get("program") or None
    try:
        program_id = int(raw) if raw is not None else None
    except ValueError as exc:
        raise Http404("No such program.") from exc
    programs = programs_for_report(user=request.user, program_id=program_id)
    form = ReportPeriodForm(
        request.GET or None,
        programs=reportable_programs(user=request.user),
        today=user_today(request.user),
    )
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else form.clean_defaults()
    period = period_of(data["start"], data["end"])
    if not compute:
        return form, (programs, period)
    return form, outcome_report(programs=programs, period=period)


@login_required
def outcomes(request):
    form, report = _chosen_report(request)
    return render(
        request,
        "reports/outcomes.html",
        {
            "form": form,
            "report": report,
            "query": request.GET.urlencode(),
            "generated_at": timezone.now(),
        },
    )


@login_required
def outcomes_csv(request):
    form, report = _chosen_report(request)
    if report is None:
        return render(request, "reports/outcomes.html", {"form": form, "report": None}, status=400)
    return csv_download(
        csv_lines(exports.TABLE_HEADER, exports.table_rows(report)), exports.table_filename(report)
    )


@login_required
def outcomes_pdf(request):
    """The whole report as a PDF (reports.pdf): the page's numbers and words."""
    form, report = _chosen_report(request)
    if report is None:
        return render(request, "reports/outcomes.html", {"form": form, "report": None}, status=400)
    # fpdf imports numpy (installed for SciPy) when loaded: here, not at start-up.
    from .pdf import report_pdf

    response = HttpResponse(report_pdf(report, timezone.now()), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{safe_filename(exports.table_filename(report), "pdf")}"'
    )
    return response


@login_required
def mentee_months_csv(request):
    """The de-identified mentee-month file for evaluators (reports.exports)."""
    form, chosen = _chosen_report(request, compute=False)
    if chosen is None:
        return render(request, "reports/outcomes.html", {"form": form, "report": None}, status=400)
    programs, period = chosen
    return csv_download(
        csv_lines(
            exports.MENTEE_MONTH_HEADER,
            exports.mentee_month_rows(programs=programs, period=period),
        ),
        exports.mentee_month_filename(programs, period),
    )


# --- Follow-up windows ------------------------------------------------------


def _may_follow_up(user) -> bool:
    """Coordinators (their program's mentees) and mentors (their own)."""
    return user.is_authenticated and (user.is_coordinator or user.is_mentor)


@login_required
def follow_ups(request):
    if not _may_follow_up(request.user):
        raise PermissionDenied
    today = user_today(request.user)
    mentees = MenteeProfile.objects.visible_to(request.user).order_by("-intake_date", "pk")
    # The filter: mentees with a point in that state, and only those points.
    form = FollowUpStateForm(request.GET or None)
    state = (form.cleaned_data["state"] or None) if form.is_valid() else None
    listed = mentees.filter(mentees_in_state(state, today)) if state else mentees
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    rows = follow_up_rows(
        user=request.user, today=today, mentees=list(page.object_list), state=state
    )
    audit.shown(request, (mentee.pk for mentee, _cells in rows))
    return render(
        request,
        "reports/follow_ups.html",
        {
            "page": page,
            "rows": rows,
            "today": today,
            "form": form,
            "state": state,
            "rate": follow_up_rate(mentees=mentees, today=today),
            "target": FOLLOW_UP_TARGET,
            "points": Point,
        },
    )


@login_required
@require_POST
def follow_up_attempt(request, mentee_id: int, point: str):
    mentee = get_mentee_for_user(request.user, mentee_id)
    if not (_may_follow_up(request.user) and can_work_with_mentee(request.user, mentee)):
        raise PermissionDenied
    if point not in Point.values:
        raise Http404("No such follow-up point.")
    try:
        follow_up_record(
            mentee=mentee,
            point=point,
            reached=request.POST.get("reached") == "yes",
            by=request.user,
            today=program_today(mentee.program),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, gettext("Follow-up attempt recorded."))
    return redirect("reports:follow_ups")
