"""The small-cell rule, and each figure's table and chart from the same cells.

A cell that describes 1 to (minimum - 1) mentees is shown as "fewer than 11"
(the CMS cell-size rule; PEERPATH_SMALL_CELL_MINIMUM). A share is also
hidden when the mentees it leaves out are that few (its complement could be
read off). In a column whose cells add up to a total the reader sees, one
hidden cell could be worked out by subtraction: the smallest other non-zero
cell is hidden with it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

from core.report_figures import RawCell, RawFigure


def small_cell_minimum() -> int:
    return settings.PEERPATH_SMALL_CELL_MINIMUM


def is_small(mentees: int | None) -> bool:
    return mentees is not None and 0 < mentees < small_cell_minimum()


@dataclass(frozen=True)
class Cell:
    value: float | int | None
    mentees: int
    suppressed: bool
    share: bool = False

    @property
    def text(self) -> str:
        if self.suppressed:
            return gettext("fewer than %(minimum)s") % {"minimum": small_cell_minimum()}
        if self.value is None:
            return "–"
        if self.share:
            return f"{self.value * 100:.0f}%"
        if isinstance(self.value, float):
            return f"{self.value:.1f}"
        return str(self.value)

    @property
    def shown(self) -> float | int | None:
        """The number for the API and the CSV: None when hidden or absent."""
        if self.suppressed or self.value is None:
            return None
        return round(self.value, 3) if isinstance(self.value, float) else self.value


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]


# Drawn like the check-in trend charts (checkins/charts.py): a small SVG box,
# labels in 14-unit text, no JavaScript, the table beside it. Each row's label
# sits above its bars, so long category names keep the whole width.
BAR_WIDTH = 320
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
ROW_GAP = 8
VALUE_ROOM = 110  # right of the longest bar: its value, or "fewer than 11"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    text: str
    spoken: str


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    definition: str
    columns: list[str]
    rows: list[Row]
    charted_columns: Sequence[int]

    @property
    def has_data(self) -> bool:
        return any(
            cell.value not in (None, 0) or cell.suppressed
            for row in self.rows
            for cell in row.cells
        )

    @property
    def series(self) -> list[tuple[int, str]]:
        return [(i, self.columns[c]) for i, c in enumerate(self.charted_columns)]

    def _row_height(self) -> int:
        return LABEL_HEIGHT + BAR_HEIGHT * max(len(self.charted_columns), 1) + ROW_GAP

    @property
    def chart_height(self) -> int:
        return self._row_height() * len(self.rows)

    @property
    def chart_width(self) -> int:
        return BAR_WIDTH

    @property
    def bars(self) -> list[Bar]:
        """One horizontal bar per charted cell; a hidden cell draws no bar
        and says so in its label."""
        top = max(
            [
                float(row.cells[c].value or 0)
                for row in self.rows
                for c in self.charted_columns
                if not row.cells[c].suppressed
            ]
            or [0.0]
        )
        span = BAR_WIDTH - VALUE_ROOM
        bars = []
        for i, row in enumerate(self.rows):
            y = i * self._row_height() + LABEL_HEIGHT
            for n, c in enumerate(self.charted_columns):
                cell = row.cells[c]
                value = 0.0 if cell.suppressed else float(cell.value or 0)
                bars.append(
                    Bar(
                        x=0,
                        y=round(y + n * BAR_HEIGHT, 1),
                        width=round(0.0 if top == 0 else value / top * span, 1),
                        height=BAR_HEIGHT - 2,
                        series=n,
                        text=cell.text,
                        spoken=f"{row.label}, {self.columns[c]}: {cell.text}",
                    )
                )
        return bars

    @property
    def row_labels(self) -> list[tuple[str, int]]:
        """Each row's label and the baseline it sits on, above its bars."""
        return [
            (row.label, i * self._row_height() + LABEL_HEIGHT - 4)
            for i, row in enumerate(self.rows)
        ]


def _primary(raw: RawCell) -> bool:
    if is_small(raw.mentees):
        return True
    return raw.share and is_small(raw.complement)


def suppress(raw: RawFigure) -> Figure:
    """The figure as a reader may see it."""
    hidden = [[_primary(cell) for cell in row.cells] for row in raw.rows]
    for column in raw.partitioned_columns:
        column_hidden = [i for i, row in enumerate(hidden) if row[column]]
        if len(column_hidden) != 1:
            continue
        # The smallest other cell that is not zero goes too: the total less
        # the rest would give the hidden one away.
        candidates = sorted(
            (
                (float(row.cells[column].value or 0), i)
                for i, row in enumerate(raw.rows)
                if not hidden[i][column] and row.cells[column].mentees > 0
            ),
        )
        if candidates:
            hidden[candidates[0][1]][column] = True
    rows = [
        Row(
            label=row.label,
            cells=[
                Cell(cell.value, cell.mentees, hidden[i][j], cell.share)
                for j, cell in enumerate(row.cells)
            ],
        )
        for i, row in enumerate(raw.rows)
    ]
    return Figure(
        key=raw.key,
        title=raw.title,
        definition=raw.definition,
        columns=list(raw.columns),
        rows=rows,
        charted_columns=raw.charted_columns or tuple(range(len(raw.columns))),
    )
