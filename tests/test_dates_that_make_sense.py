"""Dates that make sense, on the program's calendar: no date of birth, intake,
consent or course completion in the future; mentees 12 to 110 years old; no
step due before its plan starts. Each boundary on the day and either side."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from certification import services as certification_services
from core.dates import add_months
from mentorship import services as mentorship_services
from recovery_plans import services as plan_services
from tests.accounts.factories import program_day
from tests.recovery_plans.factories import make_plan

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def intake(coordinator, **fields):
    return mentorship_services.mentee_intake(
        program=coordinator.program,
        created_by=coordinator,
        preferred_name="Rae",
        county="Sacramento",
        preferred_language="en",
        **fields,
    )


def years_ago(years: int) -> date:
    return add_months(program_day(), -12 * years)


@pytest.mark.parametrize(
    ("born", "allowed"),
    [
        (lambda: years_ago(12), True),
        (lambda: years_ago(12) + DAY, False),
        (lambda: years_ago(111) + DAY, True),
        (lambda: years_ago(111), False),
        (lambda: program_day() + DAY, False),
    ],
    ids=["12 today", "a day short of 12", "110, a day before 111", "111 today", "tomorrow"],
)
def test_a_mentee_is_12_to_110_years_old(coordinator, born, allowed):
    if allowed:
        assert intake(coordinator, date_of_birth=born()).pk
    else:
        with pytest.raises(ValidationError) as refused:
            intake(coordinator, date_of_birth=born())
        assert "date_of_birth" in refused.value.message_dict


@pytest.mark.parametrize(("days", "allowed"), [(-1, True), (0, True), (1, False)])
def test_intake_is_not_in_the_future(coordinator, days, allowed):
    on = program_day() + timedelta(days=days)
    if allowed:
        assert intake(coordinator, intake_date=on).intake_date == on
    else:
        with pytest.raises(ValidationError, match="future"):
            intake(coordinator, intake_date=on)


@pytest.mark.parametrize(("days", "allowed"), [(-1, True), (0, True), (1, False)])
def test_consent_is_not_dated_in_the_future(mentee_profile, mentor, days, allowed):
    on = program_day() + timedelta(days=days)
    record = mentorship_services.mentee_record_remote_consent
    if allowed:
        assert record(mentee=mentee_profile, recorded_by=mentor, consent="video", on=on)
    else:
        with pytest.raises(ValidationError, match="future"):
            record(mentee=mentee_profile, recorded_by=mentor, consent="video", on=on)


@pytest.mark.parametrize(("days", "allowed"), [(-1, True), (0, True), (1, False)])
def test_a_course_is_not_completed_in_the_future(mentor, days, allowed):
    from decimal import Decimal

    fields = {
        "course_title": "Ethics",
        "provider": "CalMHSA",
        "hours": Decimal("2"),
        "category": "other",
        "completed_on": program_day() + timedelta(days=days),
    }
    if allowed:
        assert certification_services.ce_log(holder=mentor, by=mentor, **fields).pk
    else:
        with pytest.raises(ValidationError, match="future"):
            certification_services.ce_log(holder=mentor, by=mentor, **fields)


@pytest.mark.parametrize(("days", "allowed"), [(-1, False), (0, True), (1, True)])
def test_a_step_is_not_due_before_its_plan_starts(mentee_profile, mentor, days, allowed):
    plan = make_plan(mentee_profile, mentor, goals=1, steps=0)
    goal = plan.goals.get()
    due = program_day() + timedelta(days=days)
    if allowed:
        step = plan_services.step_add(goal=goal, by=mentor, description="Call", due_on=due)
        assert step.due_on == due
    else:
        with pytest.raises(ValidationError) as refused:
            plan_services.step_add(goal=goal, by=mentor, description="Call", due_on=due)
        assert "due_on" in refused.value.message_dict
