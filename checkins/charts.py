"""Small server-side SVG line charts: no JavaScript, readable when printed,
and always paired with a data table for screen readers."""

from dataclasses import dataclass
from datetime import date

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import program_date

from .models import CheckIn
from .recovery_capital import SUSTAINED_REMISSION_THRESHOLD

# Drawn in a small box so that its 14-unit labels stay at least 12 px on a
# phone (a chart there is about 300 px wide) and are not large on a desk.
WIDTH, HEIGHT = 320, 150
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 16, 20, 30


@dataclass(frozen=True)
class Chart:
    title: str
    points: list[tuple[date, float]]
    y_min: float
    y_max: float
    threshold: float | None = None
    threshold_label: str = ""

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return HEIGHT

    def _x(self, day: date) -> float:
        first, last = self.points[0][0], self.points[-1][0]
        span = max((last - first).days, 1)
        return PAD_LEFT + (day - first).days / span * (WIDTH - PAD_LEFT - PAD_RIGHT)

    def _y(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1
        return HEIGHT - PAD_BOTTOM - (value - self.y_min) / span * (HEIGHT - PAD_TOP - PAD_BOTTOM)

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{self._x(d):.1f},{self._y(v):.1f}"
            for i, (d, v) in enumerate(self.points)
        )

    @property
    def y_ticks(self) -> list[tuple[float, float]]:
        return [
            (v, round(self._y(v), 1))
            for v in (self.y_min, (self.y_min + self.y_max) / 2, self.y_max)
        ]

    @property
    def threshold_y(self) -> float | None:
        return None if self.threshold is None else round(self._y(self.threshold), 1)

    @property
    def marks(self) -> list[tuple[float, float, str, str]]:
        """Each point as (x, y, its value, what a screen reader says on focus)."""
        return [
            (
                round(self._x(d), 1),
                round(self._y(v), 1),
                f"{v:g}",
                f"{self.title}, {_day(d)}: {v:g}",
            )
            for d, v in self.points
        ]

    @property
    def date_labels(self) -> list[tuple[float, str, str]]:
        """Dates along the axis: the first, the middle and the last (x, text,
        anchor), fewer when the points span fewer days."""
        first, last = self.points[0][0], self.points[-1][0]
        days = [first] if first == last else [first, last]
        if (last - first).days >= 4:
            days.insert(1, first + (last - first) / 2)
        anchors = {len(days) - 1: "end", 0: "start"}
        return [
            (round(self._x(d), 1), _day(d), anchors.get(i, "middle")) for i, d in enumerate(days)
        ]


def _day(d: date) -> str:
    """A day as the axis and a screen reader say it, in the reader's language."""
    return date_format(d, gettext("M j"))


def chart(title, points, *, y_min, y_max, threshold=None, threshold_label="") -> Chart | None:
    """A chart of (date, value) points, oldest first; None when there is nothing to draw."""
    points = sorted((d, v) for d, v in points if v is not None)
    if not points:
        return None
    return Chart(title, points, y_min, y_max, threshold, threshold_label)


def trend_charts(checkins, assessments, *, program) -> list:
    """The mentee's trends, each check-in on its program's date (the day the
    timeline shows it), whoever reads them and in whatever zone."""
    # A voided check-in was entered by mistake: the timeline shows it, no trend counts it.
    contacts = [
        c
        for c in reversed(checkins)
        if c.kind not in (CheckIn.Kind.ATTEMPT, CheckIn.Kind.COLLATERAL) and c.voided_at is None
    ]
    day = lambda c: program_date(c.occurred_at, program)  # noqa: E731
    return [
        c
        for c in [
            chart(
                _("Days of substance use"),
                [(day(c), c.substance_use_days) for c in contacts],
                y_min=0,
                y_max=max([7, *[c.substance_use_days or 0 for c in contacts]]),
            ),
            chart(
                _("Craving level"), [(day(c), c.craving_level) for c in contacts], y_min=0, y_max=10
            ),
            chart(_("Mood"), [(day(c), c.mood) for c in contacts], y_min=1, y_max=5),
            chart(
                _("Recovery capital (BARC-10)"),
                [(a.assessed_on, a.total) for a in assessments],
                y_min=10,
                y_max=60,
                threshold=SUSTAINED_REMISSION_THRESHOLD,
                threshold_label=_("47: linked to sustained remission"),
            ),
        ]
        if c is not None
    ]
