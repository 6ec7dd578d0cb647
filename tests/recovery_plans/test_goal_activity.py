"""The plan page learns what other apps did about each goal through a registry
that they fill from their AppConfig.ready(); recovery_plans never reads their
tables."""

import pytest

from recovery_plans import goal_activity
from recovery_plans.selectors import goal_rows, plan_with_everything
from tests.checkins.factories import make_checkin
from tests.recovery_plans.factories import make_plan

pytestmark = pytest.mark.django_db


def test_checkins_register_the_checkins_that_discussed_each_goal_newest_first(
    mentee_profile, mentor
):
    plan = make_plan(mentee_profile, mentor)
    first, second = plan.goals.all()
    older = make_checkin(mentee_profile, mentor, days_ago=3)
    newer = make_checkin(mentee_profile, mentor, days_ago=1)
    older.goals_discussed.add(first, second)
    newer.goals_discussed.add(first)
    assert goal_activity.goal_activity(plan) == {first.pk: [newer, older], second.pk: [older]}


def test_a_provider_registered_twice_counts_once_and_providers_add_up(
    mentee_profile, mentor, monkeypatch
):
    monkeypatch.setattr(goal_activity, "_providers", [])
    plan = make_plan(mentee_profile, mentor)
    first, second = plan.goals.all()

    def notes(plan):
        return {first.pk: ["note"]}

    def calls(plan):
        return {first.pk: ["call"], second.pk: ["call"]}

    for provider in (notes, notes, calls):
        goal_activity.register_goal_activity(provider)
    assert goal_activity.goal_activity(plan) == {first.pk: ["note", "call"], second.pk: ["call"]}


def test_goal_rows_pair_each_goal_with_its_activity_in_the_plans_order(mentee_profile, mentor):
    plan = plan_with_everything(make_plan(mentee_profile, mentor))
    first, second = plan.goals.all()
    rows = goal_rows(plan, {second.pk: ["a check-in"]})
    assert [(row.goal, list(row.discussed_in)) for row in rows] == [
        (first, []),
        (second, ["a check-in"]),
    ]
