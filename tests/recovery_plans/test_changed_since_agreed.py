"""Acknowledgement follows the plan: a change to the active plan after the
mentee agreed to it shows "changed since you agreed" to her and to the staff,
asks her to read it again, and agreeing again clears it.

What counts as a change: everything the history keeps about the plan's
content (goals, steps, triggers, supports, the safety plan, the review date).
Progress is not a change to what she agreed to: a step ticked off or back on,
or a goal's status on its own, asks nothing of her.

The boundary: a change at the same instant as the acknowledgement is not
"after" it (the plan is locked by both writes, so what she agreed to at that
instant already held the change); one microsecond later it is."""

import importlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notifications_send_pending
from recovery_plans import services
from recovery_plans.models import RecoveryPlan
from tests.accounts.test_api import api_client_for
from tests.recovery_plans.factories import first_step, make_plan

pytestmark = pytest.mark.django_db

MENTEE_NOTICE = "changed since you agreed"
STAFF_NOTICE = "changed since Jordan agreed"
MOMENT = datetime(2026, 11, 26, 18, tzinfo=UTC)


def pages(plan, mentee_client, mentor_client, coordinator_client) -> dict[str, str]:
    url = reverse("recovery_plans:detail", args=[plan.pk])
    return {
        "mentee": mentee_client.get(url).content.decode(),
        "mentor": mentor_client.get(url).content.decode(),
        "coordinator": coordinator_client.get(url).content.decode(),
    }


def api_says(plan, user) -> bool:
    return (
        api_client_for(user)
        .get(reverse("api:plan-detail", args=[plan.pk]))
        .json()["changed_since_acknowledged"]
    )


def shows_notice(page: dict[str, str]) -> dict[str, bool]:
    return {
        "mentee": MENTEE_NOTICE in page["mentee"],
        "mentor": STAFF_NOTICE in page["mentor"],
        "coordinator": STAFF_NOTICE in page["coordinator"],
    }


ALL = {"mentee": True, "mentor": True, "coordinator": True}
NONE = {"mentee": False, "mentor": False, "coordinator": False}


def test_a_change_after_agreeing_shows_the_notice_to_the_mentee_and_the_staff(
    mentee_profile, mentor, mentee, coordinator, mentee_client, mentor_client, coordinator_client
):
    plan = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=plan, user=mentee)
    services.goal_add(plan=plan, by=mentor, domain="home", description="PHI-MARKER new goal")
    page = pages(plan, mentee_client, mentor_client, coordinator_client)
    assert shows_notice(page) == ALL
    # She is asked to read it again, with the button to agree again.
    assert "I have read my plan and agree" in page["mentee"]
    assert api_says(plan, mentee) is True and api_says(plan, coordinator) is True
    plan.refresh_from_db()
    assert plan.changed_since_acknowledged is True


@pytest.mark.parametrize(
    "change",
    [
        "goal_add",
        "goal_update",
        "goal_remove",
        "goal_move",
        "step_add",
        "step_update",
        "step_remove",
        "step_move",
        "trigger_add",
        "coping_add",
        "support_add",
        "safety_plan_save",
        "plan_set_review_date",
    ],
)
def test_every_change_to_the_content_asks_her_to_read_it_again(
    change, mentee_profile, mentor, mentee
):
    plan = make_plan(mentee_profile, mentor, goals=2, steps=2)
    services.plan_acknowledge(plan=plan, user=mentee)
    goal = plan.goals.first()
    step = first_step(plan)
    calls = {
        "goal_add": lambda: services.goal_add(
            plan=plan, by=mentor, domain="home", description="another"
        ),
        "goal_update": lambda: services.goal_update(goal=goal, by=mentor, description="reworded"),
        "goal_remove": lambda: services.goal_remove(goal=goal, by=mentor),
        "goal_move": lambda: services.goal_move(goal=goal, by=mentor, direction="down"),
        "step_add": lambda: services.step_add(goal=goal, by=mentor, description="one more"),
        "step_update": lambda: services.step_update(step=step, by=mentor, description="reworded"),
        "step_remove": lambda: services.step_remove(step=step, by=mentor),
        "step_move": lambda: services.step_move(step=step, by=mentor, direction="down"),
        "trigger_add": lambda: services.trigger_add(plan=plan, by=mentor, description="nights"),
        "coping_add": lambda: services.coping_add(
            trigger=plan.triggers.first(), by=mentor, description="tea"
        ),
        "support_add": lambda: services.support_add(plan=plan, by=mentor, name="Ana"),
        "safety_plan_save": lambda: services.safety_plan_save(
            plan=plan, by=mentor, warning_signs="not sleeping"
        ),
        "plan_set_review_date": lambda: services.plan_set_review_date(
            plan=plan, by=mentor, review_on=MOMENT.date() + timedelta(days=60)
        ),
    }
    calls[change]()
    assert RecoveryPlan.objects.get(pk=plan.pk).changed_since_acknowledged is True


def test_progress_is_not_a_change_to_what_she_agreed_to(mentee_profile, mentor, mentee):
    plan = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=plan, user=mentee)
    services.step_set_done(step=first_step(plan), by=mentee, done=True)
    services.step_set_done(step=first_step(plan), by=mentor, done=False)
    services.goal_update(goal=plan.goals.first(), by=mentor, status="in_progress")
    assert RecoveryPlan.objects.get(pk=plan.pk).changed_since_acknowledged is False
    # A goal reworded and moved on at once is a change.
    services.goal_update(
        goal=plan.goals.first(), by=mentor, status="achieved", description="reworded"
    )
    assert RecoveryPlan.objects.get(pk=plan.pk).changed_since_acknowledged is True


def test_agreeing_again_clears_the_notice(
    mentee_profile, mentor, mentee, coordinator, mentee_client, mentor_client, coordinator_client
):
    plan = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=plan, user=mentee)
    first_agreement = RecoveryPlan.objects.get(pk=plan.pk).acknowledged_at
    services.goal_add(plan=plan, by=mentor, domain="home", description="new goal")
    response = mentee_client.post(reverse("recovery_plans:acknowledge", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.acknowledged_at > first_agreement
    assert shows_notice(pages(plan, mentee_client, mentor_client, coordinator_client)) == NONE
    assert api_says(plan, coordinator) is False
    # The history keeps both agreements.
    summaries = list(plan.changes.values_list("summary", flat=True))
    assert summaries.count("Acknowledged by the mentee") == 1
    assert summaries.count("Acknowledged again by the mentee, after changes") == 1


def test_agreeing_again_through_the_api_clears_the_notice(mentee_profile, mentor, mentee):
    plan = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=plan, user=mentee)
    services.goal_add(plan=plan, by=mentor, domain="home", description="new goal")
    response = api_client_for(mentee).post(reverse("api:plan-acknowledge", args=[plan.pk]))
    assert response.status_code == 200
    assert response.json()["changed_since_acknowledged"] is False


def test_agreeing_twice_without_a_change_keeps_the_first_agreement(mentee_profile, mentor, mentee):
    plan = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=plan, user=mentee)
    first_agreement = RecoveryPlan.objects.get(pk=plan.pk).acknowledged_at
    services.plan_acknowledge(plan=RecoveryPlan.objects.get(pk=plan.pk), user=mentee)
    plan.refresh_from_db()
    assert plan.acknowledged_at == first_agreement
    assert plan.changes.filter(summary__startswith="Acknowledged").count() == 1


def test_a_change_before_agreeing_shows_nothing(
    mentee_profile, mentor, mentee, coordinator, mentee_client, mentor_client, coordinator_client
):
    plan = make_plan(mentee_profile, mentor)
    services.goal_add(plan=plan, by=mentor, domain="home", description="new goal")
    # Not yet agreed: the page asks her to read it, but nothing "changed since".
    page = pages(plan, mentee_client, mentor_client, coordinator_client)
    assert shows_notice(page) == NONE
    services.plan_acknowledge(plan=plan, user=mentee)
    assert shows_notice(pages(plan, mentee_client, mentor_client, coordinator_client)) == NONE
    assert api_says(plan, coordinator) is False


def test_a_change_to_a_draft_shows_nothing(
    mentee_profile, mentor, mentee, coordinator, mentee_client, mentor_client, coordinator_client
):
    active = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=active, user=mentee)
    draft = services.plan_new_version(plan=active, created_by=mentor)
    services.goal_add(plan=draft, by=mentor, domain="home", description="for the next version")
    services.plan_set_review_date(plan=draft, by=mentor, review_on=MOMENT.date())
    # Neither the agreed active plan nor the draft says "changed since".
    assert shows_notice(pages(active, mentee_client, mentor_client, coordinator_client)) == NONE
    draft_page = mentor_client.get(reverse("recovery_plans:detail", args=[draft.pk]))
    assert STAFF_NOTICE not in draft_page.content.decode()
    assert api_says(active, coordinator) is False and api_says(draft, coordinator) is False
    assert not Notification.objects.filter(kind="plan_changed").exists()


def test_a_new_version_made_active_asks_for_a_first_agreement_not_a_second(
    mentee_profile, mentor, mentee, mentee_client
):
    active = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=active, user=mentee)
    draft = services.plan_new_version(plan=active, created_by=mentor)
    services.plan_activate(plan=draft, activated_by=mentor)
    draft.refresh_from_db()
    assert draft.acknowledged_at is None and draft.changed_since_acknowledged is False
    page = mentee_client.get(reverse("recovery_plans:detail", args=[draft.pk])).content.decode()
    assert MENTEE_NOTICE not in page and "I have read my plan and agree" in page


# --- The boundary: a change at the same instant as the agreement ------------------


@pytest.mark.parametrize(
    ("change_after", "changed"),
    [
        (timedelta(microseconds=-1), False),  # before she agreed
        (timedelta(0), False),  # the same instant: not "after"
        (timedelta(microseconds=1), True),  # after she agreed
    ],
)
def test_a_change_at_the_same_instant_as_the_agreement_is_not_after_it(
    change_after, changed, mentee_profile, mentor, mentee
):
    with time_machine.travel(MOMENT - timedelta(days=1), tick=False):
        plan = make_plan(mentee_profile, mentor)
    agreed_at = MOMENT
    change_at = MOMENT + change_after
    for moment, write in sorted(
        [
            (agreed_at, lambda: services.plan_acknowledge(plan=plan, user=mentee)),
            (
                change_at,
                lambda: services.goal_add(plan=plan, by=mentor, domain="home", description="x"),
            ),
        ],
        key=lambda pair: pair[0],
    ):
        with time_machine.travel(moment, tick=False):
            write()
    plan = RecoveryPlan.objects.get(pk=plan.pk)
    assert plan.acknowledged_at == agreed_at
    assert plan.changed_since_acknowledged is changed


# --- She is told, in words that name nothing -----------------------------------------


def test_the_mentee_is_told_once_per_agreement_in_words_that_name_nothing(
    mentee_profile, mentor, mentee
):
    plan = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=plan, user=mentee)
    services.goal_add(plan=plan, by=mentor, domain="home", description="PHI-MARKER one")
    services.step_add(goal=plan.goals.first(), by=mentor, description="PHI-MARKER two")
    told = Notification.objects.filter(kind="plan_changed")
    assert list(told.values_list("recipient_id", "channel")) == [(mentee.pk, "email")]
    while notifications_send_pending():
        pass
    (message,) = mail.outbox
    assert message.to == [mentee.email]
    assert message.subject == "[Peerpath] Your plan changed: please read it again"
    assert "recovery" not in (message.subject + message.body).lower()
    # Agreed again, changed again: told again.
    services.plan_acknowledge(plan=RecoveryPlan.objects.get(pk=plan.pk), user=mentee)
    services.trigger_add(plan=plan, by=mentor, description="PHI-MARKER three")
    assert told.count() == 2


def test_the_in_app_list_names_her_own_plan(mentee_profile, mentor, mentee, mentee_client):
    plan = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=plan, user=mentee)
    services.goal_add(plan=plan, by=mentor, domain="home", description="new goal")
    page = mentee_client.get(reverse("notifications:list")).content.decode()
    assert "Your plan changed: please read it again" in page
    (notification,) = Notification.objects.filter(kind="plan_changed")
    assert notification.target_url() == reverse("recovery_plans:detail", args=[plan.pk])


def test_the_mentee_dashboard_asks_her_to_read_it_again(
    mentee_profile, mentor, mentee, mentee_client
):
    plan = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=plan, user=mentee)
    services.goal_add(plan=plan, by=mentor, domain="home", description="new goal")
    page = mentee_client.get(reverse("dashboard")).content.decode()
    assert "Your plan changed since you agreed to it" in page


def test_the_staff_plan_list_shows_which_plans_changed_since_agreed(
    mentee_profile, mentor, mentee, coordinator_client
):
    plan = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=plan, user=mentee)
    page = coordinator_client.get(reverse("recovery_plans:list")).content.decode()
    assert "changed since" not in page
    services.goal_add(plan=plan, by=mentor, domain="home", description="new goal")
    page = coordinator_client.get(reverse("recovery_plans:list")).content.decode()
    assert "changed since" in page


# --- She agrees to the plan she read, not to one changed while she read it --------


def test_a_change_while_she_reads_is_not_agreed_to_unseen(
    mentee_profile, mentor, mentee, mentee_client
):
    plan = make_plan(mentee_profile, mentor)
    url = reverse("recovery_plans:detail", args=[plan.pk])
    acknowledge = reverse("recovery_plans:acknowledge", args=[plan.pk])
    for agreed_before in (False, True):
        if agreed_before:  # changed since she agreed: her page asks her to read it again
            services.support_add(plan=plan, by=mentor, name="Ana")
        page = mentee_client.get(url).content.decode()
        (as_read,) = re.findall(r'name="as_read" value="([^"]*)"', page)
        services.goal_add(plan=plan, by=mentor, domain="home", description="while she reads")
        response = mentee_client.post(acknowledge, {"as_read": as_read}, follow=True)
        assert "Your plan changed while you were reading it" in response.content.decode()
        plan.refresh_from_db()
        assert (plan.acknowledged_at is not None) is agreed_before
        # Read again, then agreed.
        page = mentee_client.get(url).content.decode()
        (as_read,) = re.findall(r'name="as_read" value="([^"]*)"', page)
        mentee_client.post(acknowledge, {"as_read": as_read})
        plan.refresh_from_db()
        assert plan.acknowledged_at is not None and not plan.changed_since_acknowledged


# --- Plans changed before this was recorded -------------------------------------------


def test_the_migration_takes_the_last_change_from_the_history(mentee_profile, mentor, mentee):
    from django.apps import apps

    backfill = importlib.import_module("recovery_plans.migrations.0004_plan_last_changed_at")
    plan = make_plan(mentee_profile, mentor)
    services.plan_acknowledge(plan=plan, user=mentee)
    services.support_add(plan=plan, by=mentor, name="Ana")
    changed_at = plan.changes.get(summary="Added support “Ana”").changed_at
    services.step_set_done(step=first_step(plan), by=mentee, done=True)  # progress
    services.goal_update(goal=plan.goals.first(), by=mentor, status="in_progress")  # progress
    RecoveryPlan.objects.update(last_changed_at=None)
    backfill.from_history(apps, None)
    plan.refresh_from_db()
    assert plan.last_changed_at == changed_at and plan.changed_since_acknowledged
