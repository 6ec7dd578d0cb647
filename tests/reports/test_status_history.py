"""Mentees by status as they were at the end of the period (and of each
month), from the history of status changes, not as they are today; a change
dated the period's last day counts, one dated the day after does not, and
"the day" is the program's (its zone), not UTC."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mentorship.models import MenteeProfile, MenteeStatusChange
from mentorship.services import mentee_transition
from reports.services import outcome_report, period_of, status_on
from tests.reports.factories import make_mentees

pytestmark = pytest.mark.django_db

PERIOD = period_of(date(2026, 1, 1), date(2026, 3, 1))
UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def every_cell_shown(settings):
    # Tiny numbers worked out by hand: the small-cell rule is tested elsewhere.
    settings.PEERPATH_SMALL_CELL_MINIMUM = 1


def history(mentee, coordinator, *changes):
    """(day, from, to) changes; the mentee's status now is the last one's."""
    MenteeStatusChange.objects.bulk_create(
        MenteeStatusChange(
            mentee=mentee, from_status=a, to_status=b, changed_on=day, changed_by=coordinator
        )
        for day, a, b in changes
    )
    status = changes[-1][2]
    MenteeProfile.objects.filter(pk=mentee.pk).update(
        status=status, discharge_reason="moved" if status == "discharged" else ""
    )


def table(report, key):
    return {row.label: [c.text for c in row.cells] for row in report.figure(key).rows}


@pytest.fixture
def known(program, coordinator):
    a, b, c, d = make_mentees(program, coordinator, 4, status="referred")
    # A: active Jan 10, on hold Feb 20, active again Mar 5.
    history(a, coordinator, (date(2026, 1, 10), "referred", "active"),
            (date(2026, 2, 20), "active", "on_hold"), (date(2026, 3, 5), "on_hold", "active"))  # fmt: skip
    # B: active Jan 12, discharged on Feb 28 (the month's last day).
    history(b, coordinator, (date(2026, 1, 12), "referred", "active"),
            (date(2026, 2, 28), "active", "discharged"))  # fmt: skip
    # C: active Jan 15, graduated Apr 2, after the period: active at its end.
    history(c, coordinator, (date(2026, 1, 15), "referred", "active"),
            (date(2026, 4, 2), "active", "graduated"))  # fmt: skip
    # D: referred, never changed.
    return a, b, c, d


def test_status_at_the_period_end_not_today(program, known):
    a, b, c, d = known
    assert MenteeProfile.objects.get(pk=c.pk).status == "graduated"  # today
    report = outcome_report(programs=[program], period=PERIOD)
    assert table(report, "status") == {
        "referred": ["1"], "active": ["2"], "on hold": ["0"], "discharged": ["1"], "graduated": ["0"],
    }  # fmt: skip


def test_active_at_each_month_end(program, known):
    report = outcome_report(programs=[program], period=PERIOD)
    active = {label: cells[3] for label, cells in table(report, "flow").items()}
    # Jan 31: A, B, C. Feb 28: A on hold, B discharged that day: C. Mar 31: A, C.
    assert active == {"2026-01": "3", "2026-02": "1", "2026-03": "2"}
    discharges = {label: cells[1] for label, cells in table(report, "flow").items()}
    assert discharges == {"2026-01": "0", "2026-02": "1", "2026-03": "0"}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 9), "referred"),  # before any change: the first one's "from"
        (date(2026, 1, 10), "active"),  # the change's own day counts
        (date(2026, 2, 19), "active"),
        (date(2026, 2, 20), "on_hold"),
        (date(2026, 3, 4), "on_hold"),
        (date(2026, 3, 5), "active"),
        (date(2027, 1, 1), "active"),  # after the last change: as now
    ],
)
def test_status_on_a_day(known, day, expected):
    a = known[0]
    assert (
        MenteeProfile.objects.filter(pk=a.pk).annotate(s=status_on(day)).values_list("s", flat=True)
    ).get() == expected


def test_the_gap_figure_counts_mentees_active_at_the_period_end(program, known):
    # A and C were active on Mar 31 (C graduated since), neither had a check-in.
    report = outcome_report(programs=[program], period=PERIOD)
    assert table(report, "engagement")["Active mentees without a check-in for 30 days"] == [
        "100%",
        "2",
    ]


# The period ends on Mar 31 where the program is (Los Angeles, UTC-7 then).
LAST_EVENING = datetime(2026, 4, 1, 6, 30, tzinfo=UTC)  # Mar 31, 23:30 there
NEXT_NIGHT = datetime(2026, 4, 1, 7, 30, tzinfo=UTC)  # Apr 1, 00:30 there


@pytest.mark.parametrize(
    ("now", "day", "status_at_end"),
    [(LAST_EVENING, date(2026, 3, 31), "discharged"), (NEXT_NIGHT, date(2026, 4, 1), "active")],
    ids=["last-day-of-the-period", "the-day-after"],
)
def test_a_change_on_the_boundary_in_the_programs_zone(
    program, coordinator, now, day, status_at_end
):
    assert program.time_zone == "America/Los_Angeles"
    (mentee,) = make_mentees(program, coordinator, 1, status="referred")
    history(mentee, coordinator, (date(2026, 1, 10), "referred", "active"))
    with time_machine.travel(now, tick=False):
        mentee_transition(
            mentee=mentee, to_status="discharged", changed_by=coordinator, reason="moved"
        )
    change = MenteeStatusChange.objects.get(mentee=mentee, to_status="discharged")
    assert change.changed_on == day  # the program's date, not UTC's (Apr 1 both times)
    report = outcome_report(programs=[program], period=PERIOD)
    statuses = {label: cells[0] for label, cells in table(report, "status").items()}
    label = {"discharged": "discharged", "active": "active"}[status_at_end]
    assert statuses[label] == "1"
    assert statuses["discharged" if status_at_end == "active" else "active"] == "0"
    march = table(report, "flow")["2026-03"]
    assert march[1] == ("1" if status_at_end == "discharged" else "0")  # discharges in March
    assert march[3] == ("0" if status_at_end == "discharged" else "1")  # active on Mar 31
