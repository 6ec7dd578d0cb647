"""Figures that apps above add to the program outcome report.

The reports app sits beside referrals (and supervision) at the top of the
import graph, so it cannot ask them for their numbers; instead each registers
a contributor here from its AppConfig.ready(), as the dashboards' panels do.
A contributor runs a fixed number of aggregate queries whatever the size of
the programs, and answers raw numbers: the report applies the small-cell rule.

Each cell says how many distinct mentees it describes (`mentees`), so that a
cell about 1 to 10 of them is suppressed; a share also says how many mentees
it leaves out (`complement`), so that its other side is checked too.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class RawCell:
    value: float | int | None
    mentees: int
    # For a share: the mentees of its denominator not in its numerator.
    complement: int | None = None
    share: bool = False


@dataclass(frozen=True)
class RawRow:
    label: str
    cells: Sequence[RawCell]


@dataclass(frozen=True)
class RawFigure:
    key: str
    title: str
    definition: str
    columns: Sequence[str]
    rows: Sequence[RawRow]
    # Columns whose cells add up to a total shown to the reader: a single
    # suppressed cell among them is protected by suppressing a second.
    partitioned_columns: Sequence[int] = field(default_factory=tuple)
    # Which columns the chart draws (the others are shares or totals).
    charted_columns: Sequence[int] = field(default_factory=tuple)


# (program ids, first day, last day) -> the figure, or None when the app has none.
Contributor = Callable[[Sequence[int], date, date], RawFigure | None]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    contributor: Contributor
    order: int = 100


_sections: dict[str, Section] = {}


def register(section: Section) -> None:
    _sections[section.key] = section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))
