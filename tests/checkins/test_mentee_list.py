"""The coordinator's mentee list: last contact, next due, who needs attention
(an open crisis, an overdue check-in, no contact for 14 days), with filters,
sorts and search; query budgets at two sizes."""

from datetime import timedelta

import pytest
from django.urls import reverse

from checkins.models import CheckInSchedule
from mentorship.models import Assignment
from tests.accounts.factories import program_day
from tests.audit import AUDIT_EVENT_QUERIES
from tests.checkins.factories import make_checkin
from tests.mentorship.factories import MenteeProfileFactory, assign
from tests.mentorship.test_views import fill_program

pytestmark = pytest.mark.django_db
URL = "mentorship:mentee_list"


def rows(response):
    return {m.preferred_name: m for m in response.context["mentees"]}


def flags(response, name):
    return [key for key, _label in rows(response)[name].flags]


def active_mentee(program, mentor, name, *, assigned_days_ago=0):
    mentee = MenteeProfileFactory(program=program, preferred_name=name, status="active")
    assignment = assign(mentee, mentor)
    if assigned_days_ago:
        assignment.started_on = program_day() - timedelta(days=assigned_days_ago)
        assignment.save(update_fields=["started_on"])
    return mentee


def due_on(mentee, day):
    CheckInSchedule.objects.filter(assignment__mentee=mentee).update(next_due_on=day)


def test_the_list_shows_last_contact_and_next_due(coordinator_client, program, mentor):
    rosa = active_mentee(program, mentor, "Rosa")
    make_checkin(rosa, mentor, days_ago=3)
    due_on(rosa, program_day() + timedelta(days=4))
    response = coordinator_client.get(reverse(URL))
    row = rows(response)["Rosa"]
    assert row.last_contact_at is not None
    assert row.next_due_on == program_day() + timedelta(days=4)
    page = response.content.decode()
    assert "Last contact" in page and "Next due" in page and "Needs attention" in page


def test_an_open_crisis_is_flagged_until_handled_or_voided(coordinator_client, program, mentor):
    rosa = active_mentee(program, mentor, "Rosa")
    crisis = make_checkin(rosa, mentor, crisis_flag=True, crisis_notes="PHI-MARKER")
    assert "crisis" in flags(coordinator_client.get(reverse(URL)), "Rosa")
    crisis.crisis_handled_at = crisis.occurred_at
    crisis.crisis_handled_by = mentor
    crisis.save()
    assert "crisis" not in flags(coordinator_client.get(reverse(URL)), "Rosa")


@pytest.mark.parametrize(("days_late", "flagged"), [(0, False), (1, False), (2, True)])
def test_overdue_is_past_the_grace_days(coordinator_client, program, mentor, days_late, flagged):
    """The program allows `overdue_grace_days` (1 here) after the due date."""
    program.overdue_grace_days = 1
    program.save()
    rosa = active_mentee(program, mentor, "Rosa")
    make_checkin(rosa, mentor)
    due_on(rosa, program_day() - timedelta(days=days_late))
    response = coordinator_client.get(reverse(URL))
    assert ("overdue" in flags(response, "Rosa")) is flagged
    filtered = coordinator_client.get(reverse(URL), {"risk": "overdue"})
    assert ("Rosa" in rows(filtered)) is flagged


@pytest.mark.parametrize(("days", "flagged"), [(13, False), (14, True), (15, True)])
def test_a_contact_gap_is_14_days(coordinator_client, program, mentor, days, flagged):
    rosa = active_mentee(program, mentor, "Rosa", assigned_days_ago=60)
    make_checkin(rosa, mentor, days_ago=days)
    response = coordinator_client.get(reverse(URL))
    assert ("gap" in flags(response, "Rosa")) is flagged
    filtered = coordinator_client.get(reverse(URL), {"risk": "gap"})
    assert ("Rosa" in rows(filtered)) is flagged


def test_never_contacted_counts_from_the_assignment(coordinator_client, program, mentor):
    active_mentee(program, mentor, "New", assigned_days_ago=2)
    active_mentee(program, mentor, "Forgotten", assigned_days_ago=20)
    response = coordinator_client.get(reverse(URL))
    assert flags(response, "New") == []
    assert flags(response, "Forgotten") == ["gap"]
    assert "No contact for 20 days" in response.content.decode()


def test_filter_by_crisis(coordinator_client, program, mentor):
    rosa = active_mentee(program, mentor, "Rosa")
    active_mentee(program, mentor, "Sam")
    make_checkin(rosa, mentor, crisis_flag=True, crisis_notes="PHI-MARKER")
    assert list(rows(coordinator_client.get(reverse(URL), {"risk": "crisis"}))) == ["Rosa"]


def test_sort_by_longest_without_contact_puts_never_first(coordinator_client, program, mentor):
    recent = active_mentee(program, mentor, "Recent")
    older = active_mentee(program, mentor, "Older")
    active_mentee(program, mentor, "Never")
    make_checkin(recent, mentor, days_ago=1)
    make_checkin(older, mentor, days_ago=9)
    response = coordinator_client.get(reverse(URL), {"sort": "last_contact"})
    assert [m.preferred_name for m in response.context["mentees"]] == ["Never", "Older", "Recent"]


def test_sort_by_next_due(coordinator_client, program, mentor):
    later = active_mentee(program, mentor, "Later")
    sooner = active_mentee(program, mentor, "Sooner")
    due_on(later, program_day() + timedelta(days=9))
    due_on(sooner, program_day() + timedelta(days=1))
    response = coordinator_client.get(reverse(URL), {"sort": "next_due"})
    assert [m.preferred_name for m in response.context["mentees"]][:2] == ["Sooner", "Later"]


def test_an_unknown_risk_or_sort_is_ignored_with_the_list_shown(coordinator_client, program):
    response = coordinator_client.get(reverse(URL), {"risk": "nope", "sort": "nope"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 50])
@pytest.mark.parametrize("risk", ["", "crisis", "overdue", "gap"])
def test_query_count_is_constant_with_every_filter(
    size, risk, coordinator_client, program, mentor, django_assert_num_queries
):
    fill_program(program, mentor, size)
    # Someone at every risk, so that every filter shows a page.
    long_ago = program_day() - timedelta(days=30)
    CheckInSchedule.objects.update(next_due_on=long_ago)
    Assignment.objects.update(started_on=long_ago)
    make_checkin(Assignment.objects.first().mentee, mentor, crisis_flag=True, crisis_notes="x")
    # (1 session, 2 user with the program and second factor: accounts.backends)
    # 3 mentors for the filter, 4 count, 5 the page with every column;
    # a date rule reads 6 the programs in the list; then the audit event
    extra = 1 if risk in ("overdue", "gap") else 0
    with django_assert_num_queries(5 + extra + AUDIT_EVENT_QUERIES):
        response = coordinator_client.get(reverse(URL), {"risk": risk, "sort": "last_contact"})
        assert response.status_code == 200
