"""Follow-up windows: where each mentee's follow-up points fall, from their
intake (baseline within 30 days, 180 ± 30 days, annual ± 30 days) and their
discharge (closeout within 30 days). Every date is the program's local date,
and a window includes both its first and its last day."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorship.choices import MenteeStatus

# The share of follow-ups a program aims to complete (funders' usual target).
FOLLOW_UP_TARGET = 0.8
# A window opening within this many days is "due" on the page.
DUE_AHEAD_DAYS = 14
# Statuses after which the closeout point is expected.
CLOSED_STATUSES = (MenteeStatus.DISCHARGED, MenteeStatus.GRADUATED)


class Point(models.TextChoices):
    BASELINE = "baseline", _("baseline")
    SIX_MONTH = "six_month", _("six months")
    ANNUAL = "annual", _("annual")
    CLOSEOUT = "closeout", _("closeout")


# Days from intake to each window's first and last day.
FROM_INTAKE = {
    Point.BASELINE: (0, 30),
    Point.SIX_MONTH: (150, 210),
    Point.ANNUAL: (335, 395),
}
# Days from discharge (or graduation) to the closeout window's first and last day.
FROM_DISCHARGE = (0, 30)


class State(models.TextChoices):
    UPCOMING = "upcoming", _("upcoming")
    DUE = "due", _("due soon")
    IN_WINDOW = "in_window", _("in window")
    DONE = "done", _("done")
    MISSED = "missed", _("missed")


@dataclass(frozen=True)
class Window:
    point: Point
    opens: date
    closes: date

    def state(self, today: date, completed_on: date | None) -> State:
        if completed_on is not None:
            return State.DONE
        if today > self.closes:
            return State.MISSED
        if today >= self.opens:
            return State.IN_WINDOW
        if (self.opens - today).days <= DUE_AHEAD_DAYS:
            return State.DUE
        return State.UPCOMING


def windows_of(*, intake: date, status: str, status_changed_on: date) -> list[Window]:
    """A mentee's windows. After discharge only the points whose window had
    opened by then are expected, and the closeout is."""
    discharged_on = status_changed_on if status in CLOSED_STATUSES else None
    windows = []
    for point, (first, last) in FROM_INTAKE.items():
        opens = intake + timedelta(days=first)
        if discharged_on is not None and opens > discharged_on:
            continue
        windows.append(Window(point, opens, intake + timedelta(days=last)))
    if discharged_on is not None:
        windows.append(
            Window(
                Point.CLOSEOUT,
                discharged_on + timedelta(days=FROM_DISCHARGE[0]),
                discharged_on + timedelta(days=FROM_DISCHARGE[1]),
            )
        )
    return windows


def window_for(mentee, point: str) -> Window | None:
    for window in windows_of(
        intake=mentee.intake_date, status=mentee.status, status_changed_on=mentee.status_changed_on
    ):
        if window.point == point:
            return window
    return None
