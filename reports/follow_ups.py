"""Follow-up windows: where each mentee's follow-up points fall, from their
intake (baseline within 30 days, 180 ± 30 days, annual ± 30 days) and their
discharge (closeout within 30 days). Every date is the program's local date,
and a window includes both its first and its last day."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models import Q
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


# --- The same states in SQL, for a filter ---------------------------------
#
# A window's state on `today` compares its base date (intake, or the day of
# discharge for the closeout) with fixed days: no date arithmetic per row
# except "did the window open before discharge".

FILTERED_STATES = (State.DUE, State.IN_WINDOW, State.MISSED, State.DONE)


def _point_q(point: Point, state: str, today: date, prefix: str, done: Q) -> Q:
    """The rows (mentees, or their follow-ups with `prefix` "mentee__")
    whose `point` is in `state` on `today`; `done` says it was completed."""
    from django.db.models import DateField, ExpressionWrapper, F, Value

    closed = Q(**{f"{prefix}status__in": CLOSED_STATUSES})
    if point == Point.CLOSEOUT:
        base, (first, last) = f"{prefix}status_changed_on", FROM_DISCHARGE
        expected = closed
    else:
        base, (first, last) = f"{prefix}intake_date", FROM_INTAKE[point]
        # Expected unless discharged before the window opened.
        opened_by = ExpressionWrapper(
            F(f"{prefix}intake_date") + Value(timedelta(days=first)), output_field=DateField()
        )
        expected = ~closed | Q(**{f"{prefix}status_changed_on__gte": opened_by})
    if state == State.DONE:
        return expected & done
    when = {
        State.MISSED: Q(**{f"{base}__lt": today - timedelta(days=last)}),
        State.IN_WINDOW: Q(
            **{
                f"{base}__lte": today - timedelta(days=first),
                f"{base}__gte": today - timedelta(days=last),
            }
        ),
        State.DUE: Q(
            **{
                f"{base}__gt": today - timedelta(days=first),
                f"{base}__lte": today + timedelta(days=DUE_AHEAD_DAYS - first),
            }
        ),
        State.UPCOMING: Q(**{f"{base}__gt": today + timedelta(days=DUE_AHEAD_DAYS - first)}),
    }[State(state)]
    return expected & ~done & when


def mentees_in_state(state: str, today: date) -> Q:
    """Mentees with at least one follow-up point in `state` on `today`."""
    from functools import reduce
    from operator import or_

    from django.db.models import Exists, OuterRef

    from .models import FollowUp

    def done(point):
        return Q(
            Exists(
                FollowUp.objects.filter(
                    mentee=OuterRef("pk"), point=point, completed_on__isnull=False
                )
            )
        )

    return reduce(or_, (_point_q(p, state, today, "", done(p)) for p in Point))


def follow_ups_in_state(state: str, today: date) -> Q:
    """Recorded follow-ups (reports.models.FollowUp) whose point is in
    `state` on `today`."""
    from functools import reduce
    from operator import or_

    done = Q(completed_on__isnull=False)
    return reduce(or_, (Q(point=p) & _point_q(p, state, today, "mentee__", done) for p in Point))
