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
