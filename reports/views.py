from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.csv_export import csv_download, csv_lines
from core.dates import user_today

from . import exports
from .forms import ReportPeriodForm
from .permissions import can_see_outcome_report
from .selectors import programs_for_report, reportable_programs
from .services import outcome_report, period_of


def _chosen_report(request):
    """(form, report or None): the programs and months asked for; a program
    out of reach is a 404, a refused month the form's error and no report."""
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
    return form, outcome_report(programs=programs, period=period_of(data["start"], data["end"]))


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
