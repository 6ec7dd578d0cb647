"""The report's tables as one CSV: a line per cell, the same text as the page
(a hidden cell says "fewer than 11", never its number)."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from .services import OutcomeReport

TABLE_HEADER = [
    _("program"),
    _("first month"),
    _("last month"),
    _("figure"),
    _("row"),
    _("column"),
    _("value"),
]


def programs_label(report: OutcomeReport) -> str:
    return "; ".join(p.name for p in report.programs)


def table_rows(report: OutcomeReport) -> Iterator[list]:
    programs = programs_label(report)
    first = report.period.start.strftime("%Y-%m")
    last = report.period.end.strftime("%Y-%m")
    for figure in report.figures:
        for row in figure.rows:
            for column, cell in zip(figure.columns, row.cells, strict=True):
                yield [programs, first, last, figure.title, row.label, column, cell.text]
    for outcome in report.outcomes:
        if not outcome.shown or outcome.change is None:
            continue
        c = outcome.change
        yield [programs, first, last, outcome.title, "95% CI", "low", f"{c.ci_low:.2f}"]
        yield [programs, first, last, outcome.title, "95% CI", "high", f"{c.ci_high:.2f}"]
        if outcome.test is not None:
            yield [
                programs, first, last, outcome.title, "Wilcoxon signed-rank", "p",
                f"{outcome.test.p_value:.4f}",
            ]  # fmt: skip


def table_filename(report: OutcomeReport) -> str:
    scope = report.programs[0].name if len(report.programs) == 1 else "all-programs"
    return f"outcomes-{scope}-{report.period.start:%Y-%m}-{report.period.end:%Y-%m}"


# --- The de-identified mentee-month file, for evaluators --------------------
#
# One line per mentee and month with check-ins: no name, contact, birth date
# or free text; a pseudonym that is stable within one file and different in
# the next (a keyed hash under a key made for this export and then thrown
# away); dates as months only.

MENTEE_MONTH_HEADER = [
    "pseudonym",
    "program",
    "month",
    "intake_month",
    "status",
    "checkins",
    "attempts",
    "substance_use_days",
    "mean_craving",
]


def pseudonymiser():
    import hashlib
    import hmac
    import secrets

    key = secrets.token_bytes(32)

    def pseudonym(mentee_id: int) -> str:
        return hmac.new(key, str(mentee_id).encode(), hashlib.sha256).hexdigest()[:12]

    return pseudonym


def mentee_month_rows(*, programs, period) -> Iterator[list]:
    """Streamed from the database a chunk at a time, one query per time zone."""
    from collections import defaultdict
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.db.models import Avg, Case, Count, Q, Sum, When
    from django.db.models.functions import TruncMonth

    from checkins.models import CheckIn
    from core.dates import add_months, start_of_day

    from .services import MET, status_on

    pseudonym = pseudonymiser()
    names = {p.pk: p.name for p in programs}
    zones: dict[str, list[int]] = defaultdict(list)
    for program in programs:
        zones[program.time_zone].append(program.pk)
    for zone, ids in sorted(zones.items()):
        rows = (
            CheckIn.objects.counted()
            .filter(
                mentee__program_id__in=ids,
                occurred_at__gte=start_of_day(period.start, zone),
                occurred_at__lt=start_of_day(period.end + timedelta(days=1), zone),
            )
            .annotate(
                month=TruncMonth("occurred_at", tzinfo=ZoneInfo(zone)),
                intake_month=TruncMonth("mentee__intake_date"),
                # Their status at the end of the month (the status history),
                # not today's: the month is the one whose bounds hold the check-in.
                status_then=Case(
                    *[
                        When(
                            occurred_at__lt=start_of_day(add_months(m, 1), zone),
                            then=status_on(
                                add_months(m, 1) - timedelta(days=1),
                                mentee="mentee",
                                status="mentee__status",
                            ),
                        )
                        for m in period.months
                    ],
                    default=None,
                ),
            )
            .values("mentee", "mentee__program", "month", "intake_month", "status_then")
            .annotate(
                checkins=Count("pk", filter=Q(kind__in=MET)),
                attempts=Count("pk", filter=Q(kind=CheckIn.Kind.ATTEMPT)),
                use_days=Sum("substance_use_days", filter=Q(kind__in=MET)),
                craving=Avg("craving_level", filter=Q(kind__in=MET)),
            )
            .order_by("mentee", "month")
        )
        for row in rows.iterator(chunk_size=2000):
            month = row["month"]
            month = month.date() if isinstance(month, datetime) else month
            yield [
                pseudonym(row["mentee"]),
                names[row["mentee__program"]],
                f"{month:%Y-%m}",
                f"{row['intake_month']:%Y-%m}",
                row["status_then"],
                row["checkins"],
                row["attempts"],
                row["use_days"],
                None if row["craving"] is None else round(float(row["craving"]), 2),
            ]


def mentee_month_filename(report_programs, period) -> str:
    scope = report_programs[0].name if len(report_programs) == 1 else "all-programs"
    return f"mentee-months-deidentified-{scope}-{period.start:%Y-%m}-{period.end:%Y-%m}"
