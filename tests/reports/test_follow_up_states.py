"""The follow-up list's state filter (due, in window, missed, done): the
database's answer is the same as each window's own state (reports.follow_ups
Window.state) for mentees on every edge of every window, on the program's
day with a frozen clock; the page lists only those points, the API only
those recorded follow-ups."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from mentorship.models import MenteeProfile
from reports.follow_ups import (
    DUE_AHEAD_DAYS,
    FILTERED_STATES,
    FROM_DISCHARGE,
    FROM_INTAKE,
    State,
    follow_ups_in_state,
    mentees_in_state,
    windows_of,
)
from reports.models import FollowUp
from tests.reports.factories import make_mentees

pytestmark = pytest.mark.django_db

# 05:00 UTC on Nov 27 is still Nov 26 in Sacramento (the program's day).
NOW = datetime(2026, 11, 27, 5, tzinfo=UTC)
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def edges() -> list[int]:
    """Days before today of an intake (or discharge) on each side of every
    edge of every window: opening, closing, and coming due."""
    days = set()
    for first, last in [*FROM_INTAKE.values(), FROM_DISCHARGE]:
        for edge in (first, last + 1, first - DUE_AHEAD_DAYS):
            days |= {edge - 1, edge, edge + 1}
    return sorted(d for d in days if d >= 0)


@pytest.fixture
def grid(program, coordinator):
    """Active mentees taken in on every edge; discharged ones too, on every
    edge of the closeout; every third one with its points done."""
    mentees = []
    for ago in edges():
        intake = TODAY - timedelta(days=ago)
        (m,) = make_mentees(program, coordinator, 1, intake=intake)
        mentees.append(m)
        (d,) = make_mentees(program, coordinator, 1, status="discharged",
                            intake=intake - timedelta(days=200))  # fmt: skip
        MenteeProfile.objects.filter(pk=d.pk).update(status_changed_on=intake)
        mentees.append(d)
    mentees = list(MenteeProfile.objects.filter(pk__in=[m.pk for m in mentees]))
    for n, mentee in enumerate(mentees):
        for w in windows_of(intake=mentee.intake_date, status=mentee.status,
                            status_changed_on=mentee.status_changed_on):  # fmt: skip
            if n % 3 == 0 and w.opens <= TODAY:
                FollowUp.objects.create(mentee=mentee, point=w.point, attempts=1,
                                        completed_on=w.opens)  # fmt: skip
            elif n % 3 == 1 and w.opens <= TODAY:
                FollowUp.objects.create(mentee=mentee, point=w.point, attempts=2)
    return mentees


def python_states(mentee) -> set[tuple[str, State]]:
    done = {f.point: f.completed_on for f in FollowUp.objects.filter(mentee=mentee)}
    return {
        (w.point, w.state(TODAY, done.get(w.point)))
        for w in windows_of(
            intake=mentee.intake_date,
            status=mentee.status,
            status_changed_on=mentee.status_changed_on,
        )  # fmt: skip
    }


@pytest.mark.parametrize("state", [*FILTERED_STATES, State.UPCOMING])
def test_the_database_agrees_with_every_window(grid, state):
    expected = {m.pk for m in grid if any(s == state for _, s in python_states(m))}
    found = set(
        MenteeProfile.objects.filter(mentees_in_state(state, TODAY)).values_list("pk", flat=True)
    )
    assert found == expected
    assert expected  # every state occurs in the grid


@pytest.mark.parametrize("state", FILTERED_STATES)
def test_recorded_follow_ups_in_a_state(grid, state):
    expected = {(m.pk, point) for m in grid for point, s in python_states(m) if s == state} & set(
        FollowUp.objects.values_list("mentee_id", "point")
    )
    found = set(
        FollowUp.objects.filter(follow_ups_in_state(state, TODAY)).values_list("mentee_id", "point")
    )
    assert found == expected


def test_the_page_lists_only_points_in_the_state(grid, coordinator_client):
    response = coordinator_client.get(reverse("reports:follow_ups"), {"state": "missed"})
    assert response.status_code == 200
    states = {state for _, cells in response.context["rows"] for _, state, _ in cells}
    assert states == {State.MISSED}
    expected = {m.pk for m in grid if any(s == State.MISSED for _, s in python_states(m))}
    assert response.context["page"].paginator.count == len(expected)
    assert 'value="missed" selected' in response.content.decode()


def test_the_page_refuses_a_state_that_does_not_exist(grid, coordinator_client):
    response = coordinator_client.get(reverse("reports:follow_ups"), {"state": "soon"})
    assert response.status_code == 200
    assert response.context["form"].errors["state"]
    assert response.context["page"].paginator.count == len(grid)  # unfiltered


def test_the_api_filters_by_state(grid, coordinator_client):
    rows = coordinator_client.get(
        reverse("api:follow-up-window-list"), {"state": "done", "page_size": 500}
    ).json()
    states = {r["state"] for r in rows["results"]}
    assert states == {"done"}
    assert rows["count"] == FollowUp.objects.filter(completed_on__isnull=False).count()
    missed = coordinator_client.get(
        reverse("api:follow-up-window-list"), {"state": "missed"}
    ).json()
    assert missed["count"] and {r["state"] for r in missed["results"]} == {"missed"}
