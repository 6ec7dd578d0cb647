import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.service_errors import api_detail
from core.dates import user_today

from ..forms import ReportPeriodForm
from ..permissions import can_see_outcome_report
from ..selectors import programs_for_report, reportable_programs
from ..services import OutcomeReport, outcome_report, period_of

# A month as the page's month field sends it.
MONTH = r"^[0-9]{4}-[0-9]{2}$"
PARAMETERS = [
    OpenApiParameter("program", int, description="One program (admins); all when left out."),
    OpenApiParameter("start", str, pattern=MONTH, description="The first month, YYYY-MM."),
    OpenApiParameter("end", str, pattern=MONTH, description="The last month, YYYY-MM."),
]


def report_data(report: OutcomeReport) -> dict:
    """The page's numbers: a hidden cell is null with `suppressed` true."""
    return {
        "programs": [{"id": p.pk, "name": p.name} for p in report.programs],
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
        "small_cell_minimum": report.minimum,
        "figures": [
            {
                "key": figure.key,
                "title": figure.title,
                "definition": figure.definition,
                "columns": figure.columns,
                "rows": [
                    {
                        "label": row.label,
                        "cells": [
                            {"value": c.shown, "suppressed": c.suppressed, "text": c.text}
                            for c in row.cells
                        ],
                    }
                    for row in figure.rows
                ],
            }
            for figure in report.figures
        ],
        "outcomes": [
            {
                "key": o.key,
                "title": o.title,
                "shown": o.shown,
                "test": "wilcoxon_signed_rank",
                **(
                    {
                        "mentees": o.change.n,
                        "mean_first": round(o.change.mean_first, 3),
                        "mean_latest": round(o.change.mean_latest, 3),
                        "mean_change": round(o.change.mean_change, 3),
                        "ci95": [round(o.change.ci_low, 3), round(o.change.ci_high, 3)],
                        "p_value": round(o.test.p_value, 4) if o.test else None,
                    }
                    if o.shown and o.change
                    else {}
                ),
            }
            for o in report.outcomes
        ],
    }


class OutcomeReportView(APIView):
    """The program outcome report as JSON: the same numbers as the page."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]
    throttle_scope = "exports"

    @extend_schema(parameters=PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        if not can_see_outcome_report(request.user):
            raise PermissionDenied(gettext("Admins and coordinators see the outcome report."))
        raw = request.query_params.get("program") or None
        # A program id is digits (ASCII, never past 64 bits): anything else is
        # a malformed parameter, named in a 400; a well-formed id out of reach
        # is a 404, as everywhere.
        if raw is not None and not re.fullmatch(r"[0-9]{1,18}", raw):
            raise ValidationError({"program": [gettext("A program is given by its number.")]})
        try:
            programs = programs_for_report(
                user=request.user, program_id=int(raw) if raw is not None else None
            )
        except Http404 as exc:
            raise NotFound(gettext("There is no such program.")) from exc
        form = ReportPeriodForm(
            request.query_params,
            programs=reportable_programs(user=request.user),
            today=user_today(request.user),
        )
        if not form.is_valid():
            # Messages by field, as every refusal (core/api/errors.py).
            raise ValidationError(api_detail(DjangoValidationError(form.errors.as_data())))
        data = form.cleaned_data
        report = outcome_report(programs=programs, period=period_of(data["start"], data["end"]))
        return Response(report_data(report))
