"""Supervision fills the outcome report's registry (core.report_figures):
hours of supervision per month, counted once per mentor in a session."""

from datetime import date

import pytest
from django.urls import reverse

from reports.services import outcome_report, period_of
from supervision.selectors import supervision_figure
from tests.mentorship.factories import make_mentor
from tests.supervision.factories import designate, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(program, coordinator, mentor):
    second = make_mentor(program, email="second-mentor@example.org")
    designate(coordinator, by=coordinator)
    # January: a 90-minute individual session and a 60-minute group of two.
    make_session(coordinator, [mentor], held_on=date(2026, 1, 5), minutes=90)
    make_session(coordinator, [mentor, second], held_on=date(2026, 1, 31), minutes=60)
    # March 1st is outside a January-February period; February has none.
    make_session(coordinator, [mentor], held_on=date(2026, 3, 1), minutes=30)
    return second


def test_hours_per_month_count_a_group_hour_once_per_mentor(program, sessions):
    figure = supervision_figure([program.pk], date(2026, 1, 1), date(2026, 2, 28))
    rows = {row.label: [cell.value for cell in row.cells] for row in figure.rows}
    # 90 + 60 + 60 minutes = 3.5 hours, two mentors, two sessions.
    assert rows == {"2026-01": [3.5, 2, 2], "2026-02": [0, 0, 0]}


def test_another_programs_sessions_are_not_counted(program, other_program, sessions):
    figure = supervision_figure([other_program.pk], date(2026, 1, 1), date(2026, 1, 31))
    assert [cell.value for cell in figure.rows[0].cells] == [0, 0, 0]


def test_the_report_shows_the_supervision_figure(program, sessions, coordinator, client):
    report = outcome_report(
        programs=[program], period=period_of(date(2026, 1, 1), date(2026, 2, 1))
    )
    assert [c.text for c in report.figure("supervision").rows[0].cells][:2] == ["3.5", "2"]
    client.force_login(coordinator)
    page = client.get(reverse("reports:outcomes"), {"start": "2026-01", "end": "2026-02"})
    assert "Supervision hours per month" in page.content.decode()
