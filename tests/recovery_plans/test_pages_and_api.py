"""Plan pages and API: who may do what, the mentee's own page, reminders, and
query budgets at 3 and 30 goals."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from notifications.services import notifications_send_pending
from recovery_plans import services
from recovery_plans.models import Goal, RecoveryPlan
from recovery_plans.reminders import remind_plan_reviews
from tests.accounts.test_api import api_client_for
from tests.audit import AUDIT_EVENT_QUERIES
from tests.recovery_plans.factories import first_step, make_plan

pytestmark = pytest.mark.django_db


def test_mentee_reads_their_plan_in_plain_language_ticks_a_step_and_acknowledges(
    mentee_client, mentee_profile, mentor
):
    plan = make_plan(mentee_profile, mentor)
    page = mentee_client.get(reverse("recovery_plans:detail", args=[plan.pk])).content.decode()
    assert "My recovery plan" in page and "I have read my plan and agree" in page
    assert "Add a goal" not in page
    step = first_step(plan)
    mentee_client.post(reverse("recovery_plans:step_toggle", args=[step.pk]), {"done": "1"})
    mentee_client.post(reverse("recovery_plans:acknowledge", args=[plan.pk]))
    step.refresh_from_db()
    plan.refresh_from_db()
    assert step.done_at is not None and plan.acknowledged_at is not None


def test_mentee_cannot_edit_goals_in_pages_or_api(mentee_client, mentee, mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor)
    goal = plan.goals.first()
    assert mentee_client.get(reverse("recovery_plans:goal_edit", args=[goal.pk])).status_code == 403
    assert (
        mentee_client.post(
            reverse("recovery_plans:goal_add", args=[plan.pk]),
            {"domain": "home", "description": "x"},
        ).status_code
        == 403
    )
    api = api_client_for(mentee)
    url = reverse("api:goal-detail", args=[goal.pk])
    assert api.patch(url, {"description": "mine now"}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    assert (
        api.post(
            reverse("api:goal-list"),
            {"plan": plan.pk, "domain": "home", "description": "x"},
            format="json",
        ).status_code
        == 403
    )
    goal.refresh_from_db()
    assert goal.description != "mine now"


def test_mentee_may_only_mark_own_steps_done_through_the_api(mentee, mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor)
    step = first_step(plan)
    api = api_client_for(mentee)
    url = reverse("api:action-step-detail", args=[step.pk])
    assert api.patch(url, {"description": "changed"}, format="json").status_code == 403
    response = api.patch(url, {"done": True}, format="json")
    assert response.status_code == 200 and response.json()["is_done"] is True


def test_mentees_never_see_drafts_or_other_plans(
    mentee_client, other_mentee, mentee_profile, mentor, client_for
):
    draft = make_plan(mentee_profile, mentor, active=False)
    assert mentee_client.get(reverse("recovery_plans:detail", args=[draft.pk])).status_code == 404
    active = make_plan(mentee_profile, mentor)
    other = client_for(other_mentee)
    assert other.get(reverse("recovery_plans:detail", args=[active.pk])).status_code == 404
    assert (
        api_client_for(other_mentee).get(reverse("api:plan-detail", args=[active.pk])).status_code
        == 404
    )


def test_mentor_builds_a_plan_with_htmx_swaps(mentor_client, mentee_profile):
    mentor_client.post(reverse("recovery_plans:start", args=[mentee_profile.pk]))
    plan = RecoveryPlan.objects.get()
    response = mentor_client.post(
        reverse("recovery_plans:goal_add", args=[plan.pk]),
        {"domain": "purpose", "description": "Find part-time work"},
        HTTP_HX_REQUEST="true",
    )
    assert (
        response.status_code == 200
        and b'id="goals"' in response.content
        and b"<html" not in response.content
    )
    goal = Goal.objects.get()
    response = mentor_client.post(
        reverse("recovery_plans:step_add", args=[goal.pk]),
        {"description": "Update résumé"},
        HTTP_HX_REQUEST="true",
    )
    assert "Update résumé" in response.content.decode()
    mentor_client.post(
        reverse("recovery_plans:safety_edit", args=[plan.pk]),
        {
            "warning_signs": "Not sleeping",
            "professionals": "988",
            "coping_steps": "",
            "distractions": "",
            "people_to_call": "",
            "environment": "",
        },
    )
    mentor_client.post(reverse("recovery_plans:activate", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "active" and plan.safety_plan.warning_signs == "Not sleeping"


def test_history_page_shows_changes_and_earlier_versions_read_only(
    mentor_client, mentee_profile, mentor
):
    first = make_plan(mentee_profile, mentor)
    response = mentor_client.post(reverse("recovery_plans:new_version", args=[first.pk]))
    second = RecoveryPlan.objects.get(version=2)
    assert response.url == reverse("recovery_plans:detail", args=[second.pk])
    mentor_client.post(reverse("recovery_plans:activate", args=[second.pk]))
    history = mentor_client.get(
        reverse("recovery_plans:history", args=[second.pk])
    ).content.decode()
    assert "Version 1" in history and "Activated version 2" in history
    old = mentor_client.get(reverse("recovery_plans:detail", args=[first.pk]))
    assert old.context["can_edit"] is False and "read-only" in old.content.decode()


def test_the_printable_page_has_the_plan_and_988(mentee_client, mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor)
    page = mentee_client.get(reverse("recovery_plans:print", args=[plan.pk])).content.decode()
    assert "PHI-MARKER goal 0" in page and "988" in page
    # The print button works through static/js/print.js (no inline handler).
    assert "data-print" in page and "js/print.js" in page


def test_goal_page_shows_the_checkins_that_touched_it(mentor_client, mentee_profile, mentor):
    from tests.checkins.factories import make_checkin

    plan = make_plan(mentee_profile, mentor)
    goal = plan.goals.first()
    make_checkin(mentee_profile, mentor).goals_discussed.add(goal)
    page = mentor_client.get(reverse("recovery_plans:detail", args=[plan.pk])).content.decode()
    assert "Discussed in 1 check-in" in page


@time_machine.travel(datetime(2026, 11, 26, 18, tzinfo=UTC), tick=False)
def test_review_reminders_are_sent_once_and_carry_no_plan_text(mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor)
    RecoveryPlan.objects.filter(pk=plan.pk).update(review_on=date(2026, 12, 3))
    assert remind_plan_reviews() == 1
    assert remind_plan_reviews() == 0
    RecoveryPlan.objects.filter(pk=plan.pk).update(review_on=date(2026, 11, 20))
    assert remind_plan_reviews() == 1
    assert remind_plan_reviews() == 0
    while notifications_send_pending():
        pass
    assert sorted(m.subject for m in mail.outbox) == [
        "[Peerpath] A recovery plan review date has passed",
        "[Peerpath] A recovery plan review is due in 7 days",
    ]
    assert all(m.to == [mentor.email] for m in mail.outbox)
    # the autouse privacy check also scans these emails for PHI-MARKER


# --- Query budgets at 3 and 30 goals ---------------------------------------------------
# Each plan was agreed to and then changed, so the pages show the notice.

MENTEE_NOTICE = "changed since you agreed"
STAFF_NOTICE = "changed since Jordan agreed"


def changed_since_agreed(plan: RecoveryPlan, mentor, mentee) -> RecoveryPlan:
    services.plan_acknowledge(plan=plan, user=mentee)
    services.support_add(plan=plan, by=mentor, name="Ana")
    return plan


@pytest.mark.parametrize("goals", [3, 30])
def test_plan_page_query_count_is_constant(
    goals, mentor_client, mentee_profile, mentor, mentee, django_assert_num_queries
):
    plan = changed_since_agreed(make_plan(mentee_profile, mentor, goals=goals), mentor, mentee)
    # 1 session, 2 user, 3 plan in scope, 4 plan with mentee and safety plan, 5 goals, 6 steps,
    # 7 triggers, 8 coping strategies, 9 supports, 10 check-ins per goal, 11 can the mentor edit
    # (active assignment), 12 the program, for the mentor's coordinator check, 13 the mentor's
    # draft of a new goal (core.drafts), 14 the plan's mentee for the audit event, then the event
    with django_assert_num_queries(14 + AUDIT_EVENT_QUERIES):
        assert (
            STAFF_NOTICE
            in mentor_client.get(reverse("recovery_plans:detail", args=[plan.pk])).content.decode()
        )


@pytest.mark.parametrize("goals", [3, 30])
def test_mentee_plan_page_query_count_is_constant(
    goals, mentee_client, mentee_profile, mentor, mentee, django_assert_num_queries
):
    plan = changed_since_agreed(make_plan(mentee_profile, mentor, goals=goals), mentor, mentee)
    # 1 session, 2 user, 3 her language (accounts.languages), 4 plan in scope, 5 plan with
    # mentee and safety plan, 6 goals, 7 steps, 8 triggers, 9 coping strategies, 10 supports,
    # 11 the plan's mentee for the audit event, then the event
    with django_assert_num_queries(11 + AUDIT_EVENT_QUERIES):
        assert (
            MENTEE_NOTICE
            in mentee_client.get(reverse("recovery_plans:detail", args=[plan.pk])).content.decode()
        )


@pytest.mark.parametrize("goals", [3, 30])
def test_plan_list_query_count_is_constant(
    goals, coordinator_client, mentee_profile, mentor, mentee, django_assert_num_queries
):
    changed_since_agreed(make_plan(mentee_profile, mentor, goals=goals), mentor, mentee)
    # 1 session, 2 user, 3 MFA check, 4 plans with their progress, then the audit event
    with django_assert_num_queries(3 + AUDIT_EVENT_QUERIES):
        page = coordinator_client.get(reverse("recovery_plans:list")).content.decode()
    assert "changed since" in page


@pytest.mark.parametrize("goals", [3, 30])
def test_plan_api_lists_query_counts_are_constant(
    goals, coordinator, mentee_profile, mentor, mentee, django_assert_num_queries
):
    changed_since_agreed(make_plan(mentee_profile, mentor, goals=goals), mentor, mentee)
    api = api_client_for(coordinator)
    # 1 token, 2 the rate limit's count (core.api.throttling), 3 count and page
    # (one statement: config.api_pagination; the plans, counted with an
    # aggregate, are counted apart: 3 count, 4 page); every list is audited:
    # then the rows' mentees, then the event
    budgets = {
        "api:plan-list": 5 + AUDIT_EVENT_QUERIES,
        "api:goal-list": 4 + AUDIT_EVENT_QUERIES,
        "api:action-step-list": 4 + AUDIT_EVENT_QUERIES,
    }
    for name, budget in budgets.items():
        with django_assert_num_queries(budget):
            response = api.get(reverse(name))
        assert response.status_code == 200
    plans = api.get(reverse("api:plan-list")).json()["results"]
    assert [plan["changed_since_acknowledged"] for plan in plans] == [True]
