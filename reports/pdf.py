"""The outcome report as a PDF a funder can take (fpdf2, pure Python): the
programs, the months, when it was made, every figure with its definition,
its chart and its table, and the change from the first month to the latest
with its test, in the same words and numbers as the page (the cells' own
text: a hidden cell says "fewer than 11" here too)."""

import html
from dataclasses import dataclass
from datetime import datetime

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext
from fpdf import FPDF
from fpdf.fonts import FontFace

from core.pdf_text import latin1

from .figures import BAR_WIDTH, Figure
from .services import OutcomeReport

# The page's chart colours (static/css: .chart__bar--0, 1, 2).
SERIES_COLOURS = [(31, 95, 91), (138, 90, 0), (74, 74, 74)]
# Chart units (figures.py draws in a 320-unit box) to millimetres.
CHART_MM = 120
SCALE = CHART_MM / BAR_WIDTH


def _text_of(template: str, **context) -> str:
    """A shared partial as one line of plain text (the page includes it too)."""
    return " ".join(html.unescape(strip_tags(render_to_string(template, context))).split())


@dataclass(frozen=True)
class ChangeRow:
    """One line of the change table, formatted as the page formats it."""

    title: str
    cells: list[str]


def change_rows(report: OutcomeReport) -> list[ChangeRow]:
    """The page's "Change from the first month to the latest" table:
    floatformat:2 for the change and its interval, :4 for the p-value."""
    rows = []
    for outcome in report.outcomes:
        if outcome.shown and outcome.change is not None:
            c = outcome.change
            rows.append(
                ChangeRow(
                    outcome.title,
                    [
                        str(c.n),
                        floatformat(c.mean_change, 2),
                        f"{floatformat(c.ci_low, 2)} {gettext('to')} {floatformat(c.ci_high, 2)}",
                        floatformat(outcome.test.p_value, 4) if outcome.test else "–",
                    ],
                )
            )
        else:
            rows.append(
                ChangeRow(
                    outcome.title,
                    [
                        gettext(
                            "Not shown: fewer than %(minimum)s mentees have this measure "
                            "in two months or more."
                        )
                        % {"minimum": report.minimum}
                    ],
                )
            )
    return rows


class _Writer:
    def __init__(self) -> None:
        self.pdf = FPDF(format="Letter")
        self.pdf.set_margins(18, 18, 18)
        self.pdf.set_auto_page_break(True, margin=18)
        self.pdf.add_page()

    @property
    def width(self) -> float:
        return self.pdf.epw

    def heading(self, text: str, size: int = 13) -> None:
        self.pdf.ln(3)
        self.pdf.set_font("Helvetica", "B", size)
        self.pdf.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def para(self, text: str, size: int = 10) -> None:
        self.pdf.set_font("Helvetica", "", size)
        self.pdf.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def facts(self, pairs: list[tuple[str, str]]) -> None:
        for label, value in pairs:
            self.pdf.set_font("Helvetica", "B", 10)
            self.pdf.cell(45, 6, latin1(label))
            self.pdf.set_font("Helvetica", "", 10)
            self.pdf.multi_cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.pdf.set_font("Helvetica", "", 9)
        first = 0.34 if len(header) > 3 else 0.45
        rest = (1 - first) / max(len(header) - 1, 1)
        widths = [first] + [rest] * (len(header) - 1)
        with self.pdf.table(
            col_widths=widths,
            headings_style=FontFace(emphasis="BOLD"),
            line_height=5,
            text_align=["LEFT"] + ["RIGHT"] * (len(header) - 1),
        ) as table:
            for line in [header, *rows]:
                row = table.row()
                for value in line:
                    row.cell(latin1(value))
        self.pdf.ln(3)

    def chart(self, figure: Figure) -> None:
        """The page's bars (figures.py geometry), drawn with the PDF's own
        lines: each row's label above its bars, each bar's value beside it; a
        long chart goes on over the page a row at a time."""
        pdf = self.pdf
        if len(figure.series) > 1:
            pdf.set_font("Helvetica", "", 8)
            for i, name in figure.series:
                pdf.set_fill_color(*SERIES_COLOURS[i % len(SERIES_COLOURS)])
                pdf.rect(pdf.get_x(), pdf.get_y() + 1, 3, 3, style="F")
                pdf.set_x(pdf.get_x() + 4)
                pdf.cell(pdf.get_string_width(latin1(name)) + 6, 5, latin1(name))
            pdf.ln(6)
        pdf.set_font("Helvetica", "", 8)
        rows = len(figure.rows)
        unit = figure.chart_height / rows if rows else 0  # one row, in chart units
        per_row = len(figure.bars) // rows if rows else 0
        x0, y = pdf.l_margin, pdf.get_y()
        for i, (label, label_y) in enumerate(figure.row_labels):
            if y + unit * SCALE > pdf.page_break_trigger:
                pdf.add_page()
                y = pdf.get_y()
            pdf.text(x0, y + (label_y - i * unit) * SCALE, latin1(label))
            for bar in figure.bars[i * per_row : (i + 1) * per_row]:
                top = y + (bar.y - i * unit) * SCALE
                if bar.width > 0:
                    pdf.set_fill_color(*SERIES_COLOURS[bar.series % len(SERIES_COLOURS)])
                    pdf.rect(x0, top, bar.width * SCALE, bar.height * SCALE, style="F")
                pdf.text(
                    x0 + (bar.width + 4) * SCALE, top + bar.height * SCALE * 0.8, latin1(bar.text)
                )
            y += unit * SCALE
        pdf.set_y(y + 3)


def report_pdf(report: OutcomeReport, generated_at: datetime) -> bytes:
    w = _Writer()
    w.pdf.set_title(latin1(gettext("Program outcome report")))
    w.heading(gettext("Program outcome report"), size=16)
    programs = ", ".join(p.name for p in report.programs) or gettext("none")
    mentees = (
        gettext("fewer than %(minimum)s") % {"minimum": report.minimum}
        if 0 < report.mentees_in_report < report.minimum
        else str(report.mentees_in_report)
    )
    w.facts(
        [
            (gettext("Programs"), programs),
            (
                gettext("Months"),
                f"{report.period.start:%Y-%m} – {report.period.end:%Y-%m}",
            ),
            (gettext("Mentees in the report"), mentees),
            (
                gettext("Generated"),
                formats.date_format(timezone.localtime(generated_at), "Y-m-d H:i O"),
            ),
        ]
    )
    w.para(_text_of("reports/partials/_small_cells.txt", report=report), size=9)
    for figure in report.figures:
        w.heading(figure.title)
        w.para(figure.definition, size=9)
        if figure.has_data:
            w.chart(figure)
        else:
            w.para(
                gettext(
                    "Nothing to chart: no mentee in these programs and months has data "
                    "for this figure."
                ),
                size=9,
            )
        w.table(
            ["", *figure.columns],
            [[row.label, *(cell.text for cell in row.cells)] for row in figure.rows],
        )
        if figure.key == "outcomes":
            w.heading(gettext("Change from the first month to the latest"))
            w.para(_text_of("reports/partials/_test_note.txt"), size=9)
            header = [
                gettext("Measure"),
                gettext("Mentees"),
                gettext("Mean change"),
                # xgettext:no-python-format
                gettext("95% confidence interval"),
                gettext("Signed-rank p-value"),
            ]
            for row in change_rows(report):
                if len(row.cells) == 1:
                    w.para(f"{row.title}: {row.cells[0]}", size=9)
            shown = [[r.title, *r.cells] for r in change_rows(report) if len(r.cells) > 1]
            if shown:
                w.table(header, shown)
    return bytes(w.pdf.output())
