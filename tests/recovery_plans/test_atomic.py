"""Plan writes are all-or-nothing and decide on the plan as it is now: an
edit never lands without its history line, a version archived meanwhile is
not changed, and a double click or two people at once activate a version once."""

import threading
import time
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from recovery_plans import services
from recovery_plans.models import (
    ActionStep,
    CopingStrategy,
    Goal,
    PlanChange,
    PlanTemplate,
    RecoveryPlan,
    SafetyPlan,
    SupportContact,
    TemplateGoal,
    TemplateStep,
    Trigger,
)
from tests.recovery_plans.factories import first_step, make_plan
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


def stored(plan: RecoveryPlan) -> dict:
    """Everything the database holds about a plan, to compare before and after."""
    return {
        "plan": RecoveryPlan.objects.filter(pk=plan.pk).values().get(),
        "goals": list(Goal.objects.filter(plan=plan).order_by("pk").values()),
        "steps": list(ActionStep.objects.filter(goal__plan=plan).order_by("pk").values()),
        "triggers": list(Trigger.objects.filter(plan=plan).order_by("pk").values()),
        "coping": list(CopingStrategy.objects.filter(trigger__plan=plan).order_by("pk").values()),
        "supports": list(SupportContact.objects.filter(plan=plan).order_by("pk").values()),
        "safety": list(SafetyPlan.objects.filter(plan=plan).values()),
        "changes": list(PlanChange.objects.filter(plan=plan).order_by("pk").values()),
    }


# The parts as a page read them, together with the plan (as select_related does).
def _goal(plan):
    goal = Goal.objects.filter(plan=plan).order_by("order").last()
    goal.plan = plan
    return goal


def _step(plan):
    step = first_step(plan)
    step.goal.plan = plan
    return step


def _trigger(plan):
    trigger = Trigger.objects.filter(plan=plan).first()
    trigger.plan = plan
    return trigger


# Each edit of a plan, as (name, call(plan, mentor, mentee)). Each writes the
# record and a history line on an active plan.
EDITS = {
    "review date": lambda p, by, _: services.plan_set_review_date(
        plan=p, by=by, review_on=date(2030, 1, 1)
    ),
    "acknowledge": lambda p, _, mentee: services.plan_acknowledge(plan=p, user=mentee),
    "goal add": lambda p, by, _: services.goal_add(
        plan=p, by=by, domain="home", description="A new place"
    ),
    "goal update": lambda p, by, _: services.goal_update(
        goal=_goal(p), by=by, status="achieved", description="Changed words"
    ),
    "goal remove": lambda p, by, _: services.goal_remove(goal=_goal(p), by=by),
    "goal move": lambda p, by, _: services.goal_move(goal=_goal(p), by=by, direction="up"),
    "step add": lambda p, by, _: services.step_add(goal=_goal(p), by=by, description="Call"),
    "step update": lambda p, by, _: services.step_update(
        step=_step(p), by=by, description="Call twice", due_on=date(2030, 1, 2)
    ),
    "step remove": lambda p, by, _: services.step_remove(step=_step(p), by=by),
    "step move": lambda p, by, _: services.step_move(step=_step(p), by=by, direction="down"),
    "step done by mentor": lambda p, by, _: services.step_set_done(step=_step(p), by=by, done=True),
    "step done by mentee": lambda p, _, mentee: services.step_set_done(
        step=_step(p), by=mentee, done=True
    ),
    "trigger add": lambda p, by, _: services.trigger_add(
        plan=p, by=by, description="Payday", coping=["Call my sponsor", "Walk"]
    ),
    "coping add": lambda p, by, _: services.coping_add(
        trigger=_trigger(p), by=by, description="Go to a meeting"
    ),
    "support add": lambda p, by, _: services.support_add(plan=p, by=by, name="Sunday group"),
    "safety plan": lambda p, by, _: services.safety_plan_save(
        plan=p, by=by, warning_signs="Skipping meals", environment="No cash at home"
    ),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_an_edit_is_rolled_back_when_its_history_line_cannot_be_written(
    edit, mentee_profile, mentor, mentee, monkeypatch
):
    plan = make_plan(mentee_profile, mentor)
    before = stored(plan)
    real_create = PlanChange.objects.create

    def log_then_fail(*args, **kwargs):
        real_create(*args, **kwargs)  # the line is written, then the transaction fails
        raise RuntimeError("the history could not be kept")

    monkeypatch.setattr(PlanChange.objects, "create", log_then_fail)
    with pytest.raises(RuntimeError):
        edit(RecoveryPlan.objects.get(pk=plan.pk), mentor, mentee)
    assert stored(plan) == before


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_each_edit_of_an_active_plan_writes_its_history_line(edit, mentee_profile, mentor, mentee):
    plan = make_plan(mentee_profile, mentor)
    lines = plan.changes.count()
    edit(RecoveryPlan.objects.get(pk=plan.pk), mentor, mentee)
    assert plan.changes.count() == lines + 1


ARCHIVED = "This version is archived: it can be read, not changed."
# The mentee is told the plan is no longer the one to acknowledge or tick.
REFUSED_ON_AN_ARCHIVED_VERSION = {
    "acknowledge": (ValidationError, "Only the active plan is acknowledged."),
    "step done by mentee": (PermissionDenied, "You can tick off steps of your own active plan."),
}


@pytest.mark.parametrize("name", EDITS.keys())
def test_an_edit_from_a_page_read_before_the_version_was_archived_is_refused(
    name, mentee_profile, mentor, mentee
):
    plan = make_plan(mentee_profile, mentor)
    read_before = RecoveryPlan.objects.get(pk=plan.pk)  # still says "active"
    services.plan_activate(
        plan=services.plan_new_version(plan=plan, created_by=mentor), activated_by=mentor
    )
    before = stored(plan)
    error, message = REFUSED_ON_AN_ARCHIVED_VERSION.get(name, (ValidationError, ARCHIVED))
    with pytest.raises(error) as refused:
        EDITS[name](read_before, mentor, mentee)
    assert message in str(refused.value)
    assert stored(plan) == before


def test_a_second_activation_of_the_same_version_is_refused_and_not_logged_twice(
    mentee_profile, mentor
):
    draft = make_plan(mentee_profile, mentor, active=False)
    read_before = RecoveryPlan.objects.get(pk=draft.pk)  # still says "draft"
    services.plan_activate(plan=draft, activated_by=mentor)
    with pytest.raises(ValidationError, match="already the active plan"):
        services.plan_activate(plan=read_before, activated_by=mentor)
    draft.refresh_from_db()
    assert (draft.status, draft.archived_at) == ("active", None)
    assert list(draft.changes.values_list("summary", flat=True)) == ["Activated version 1"]


def test_an_archived_version_cannot_be_activated_again(mentee_profile, mentor):
    first = make_plan(mentee_profile, mentor)
    services.plan_activate(
        plan=services.plan_new_version(plan=first, created_by=mentor), activated_by=mentor
    )
    with pytest.raises(ValidationError, match="archived"):
        services.plan_activate(plan=first, activated_by=mentor)


def test_a_step_ticked_from_two_pages_is_logged_once(mentee_profile, mentor, mentee):
    plan = make_plan(mentee_profile, mentor)
    step = first_step(plan)
    page_one, page_two = ActionStep.objects.get(pk=step.pk), ActionStep.objects.get(pk=step.pk)
    services.step_set_done(step=page_one, by=mentee, done=True)
    services.step_set_done(step=page_two, by=mentor, done=True)
    step.refresh_from_db()
    assert step.done_by == mentee
    assert plan.changes.filter(summary__startswith="Done: step").count() == 1


def test_a_plan_acknowledged_from_two_pages_is_logged_once(mentee_profile, mentor, mentee):
    plan = make_plan(mentee_profile, mentor)
    page_one, page_two = RecoveryPlan.objects.get(pk=plan.pk), RecoveryPlan.objects.get(pk=plan.pk)
    services.plan_acknowledge(plan=page_one, user=mentee)
    acknowledged_at = RecoveryPlan.objects.get(pk=plan.pk).acknowledged_at
    services.plan_acknowledge(plan=page_two, user=mentee)
    assert RecoveryPlan.objects.get(pk=plan.pk).acknowledged_at == acknowledged_at
    assert plan.changes.filter(summary="Acknowledged by the mentee").count() == 1


def test_a_goal_removed_meanwhile_is_neither_changed_nor_removed_twice(mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor)
    goal = _goal(plan)
    page_one, page_two = Goal.objects.get(pk=goal.pk), Goal.objects.get(pk=goal.pk)
    services.goal_remove(goal=page_one, by=mentor)
    before = stored(plan)
    with pytest.raises(ValidationError, match="removed meanwhile"):
        services.goal_update(goal=page_two, by=mentor, description="Still here?")
    with pytest.raises(ValidationError, match="removed meanwhile"):
        services.goal_remove(goal=page_two, by=mentor)
    assert stored(plan) == before


def test_a_goal_change_is_logged_against_the_goal_as_stored(mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor)
    goal = _goal(plan)
    page_one, page_two = Goal.objects.get(pk=goal.pk), Goal.objects.get(pk=goal.pk)
    services.goal_update(goal=page_one, by=mentor, status="in_progress")
    services.goal_update(goal=page_two, by=mentor, status="in_progress")
    assert plan.changes.filter(summary__startswith="Changed goal").count() == 1


def test_a_new_version_is_not_left_half_copied(mentee_profile, mentor, monkeypatch):
    plan = make_plan(mentee_profile, mentor)

    def fail(*args, **kwargs):
        raise RuntimeError("the copy fails half way")

    monkeypatch.setattr(SupportContact.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        services.plan_new_version(plan=plan, created_by=mentor)
    assert list(RecoveryPlan.objects.filter(mentee=mentee_profile)) == [plan]


def test_a_template_goal_is_not_kept_without_its_steps(coordinator, monkeypatch):
    template = services.template_create(program=coordinator.program, by=coordinator, name="First")

    def fail(*args, **kwargs):
        raise RuntimeError("the steps cannot be written")

    monkeypatch.setattr(TemplateStep.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        services.template_goal_add(
            template=template, by=coordinator, domain="home", description="Housing", steps=["Apply"]
        )
    assert not TemplateGoal.objects.exists()


def test_a_template_name_taken_meanwhile_is_refused_with_a_message(coordinator, monkeypatch):
    services.template_create(program=coordinator.program, by=coordinator, name="First 90 days")
    # Both requests passed the name check before either saved.
    monkeypatch.setattr(PlanTemplate, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError, match="A template with this name already exists"):
        services.template_create(program=coordinator.program, by=coordinator, name="First 90 days")
    assert PlanTemplate.objects.count() == 1


# --- Pages: a version archived between the page's check and the write --------


def test_editing_a_goal_of_a_version_archived_meanwhile_shows_a_message(
    client_for, mentee_profile, mentor, monkeypatch
):
    plan = make_plan(mentee_profile, mentor)
    goal = _goal(plan)
    services.plan_activate(
        plan=services.plan_new_version(plan=plan, created_by=mentor), activated_by=mentor
    )
    monkeypatch.setattr("recovery_plans.views._common.can_edit_plan", lambda user, plan: True)
    response = client_for(mentor).post(
        reverse("recovery_plans:goal_edit", args=[goal.pk]),
        {"domain": "home", "description": "Changed", "status": "achieved"},
        follow=True,
    )
    assert response.status_code == 200
    assert "This version is archived" in response.content.decode()
    goal.refresh_from_db()
    assert goal.description != "Changed"


def test_saving_the_safety_plan_of_a_version_archived_meanwhile_shows_a_message(
    client_for, mentee_profile, mentor, monkeypatch
):
    plan = make_plan(mentee_profile, mentor)
    services.plan_activate(
        plan=services.plan_new_version(plan=plan, created_by=mentor), activated_by=mentor
    )
    monkeypatch.setattr("recovery_plans.views._common.can_edit_plan", lambda user, plan: True)
    response = client_for(mentor).post(
        reverse("recovery_plans:safety_edit", args=[plan.pk]),
        {"warning_signs": "Skipping meals"},
        follow=True,
    )
    assert response.status_code == 200
    assert "This version is archived" in response.content.decode()
    assert SafetyPlan.objects.get(plan=plan).warning_signs == ""


# --- Real races on PostgreSQL -------------------------------------------------------


def _run_in_threads(*targets) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_activations_of_the_same_draft_at_once_activate_it_once(mentee_profile, mentor):
    require_postgres()
    draft = make_plan(mentee_profile, mentor, active=False)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def activate():
        try:
            page = RecoveryPlan.objects.get(pk=draft.pk)  # each request read "draft"
            barrier.wait()
            services.plan_activate(plan=page, activated_by=mentor)
            outcomes.append("activated")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    _run_in_threads(activate, activate)
    assert sorted(outcomes) == ["activated", "refused"]
    draft.refresh_from_db()
    assert (draft.status, draft.archived_at) == ("active", None)
    assert RecoveryPlan.objects.filter(mentee=mentee_profile, status="active").count() == 1
    assert list(draft.changes.values_list("summary", flat=True)) == ["Activated version 1"]


def _waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [pid])
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_edit_racing_with_the_activation_of_a_new_version_waits_and_is_refused(
    mentee_profile, mentor, monkeypatch
):
    """The edit comes while the activation has archived the old version but not
    yet committed: it waits for the activation, then sees the archived status."""
    require_postgres()
    first = make_plan(mentee_profile, mentor)
    second = services.plan_new_version(plan=first, created_by=mentor)
    page = RecoveryPlan.objects.get(pk=first.pk)  # the editor read "active"
    before = stored(first)
    activation_inside, edit_done = threading.Event(), threading.Event()
    edit_pid: list[int] = []
    outcomes: dict[str, str] = {}
    real_notify = services.plans.notify

    def notify_once_the_edit_came(**kwargs):
        # Called inside the activation's transaction, the old version archived.
        activation_inside.set()
        deadline = time.monotonic() + 10
        while not edit_done.is_set() and time.monotonic() < deadline:
            if edit_pid and _waits_for_a_lock(edit_pid[0]):
                break
            time.sleep(0.02)
        real_notify(**kwargs)

    monkeypatch.setattr(services.plans, "notify", notify_once_the_edit_came)

    def activate():
        try:
            services.plan_activate(plan=second, activated_by=mentor)
            outcomes["activation"] = "activated"
        finally:
            connection.close()

    def edit():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                edit_pid.append(cursor.fetchone()[0])
            assert activation_inside.wait(timeout=10)
            services.goal_add(plan=page, by=mentor, domain="home", description="Late goal")
            outcomes["edit"] = "added"
        except ValidationError as refused:
            outcomes["edit"] = refused.messages[0]
        finally:
            edit_done.set()
            connection.close()

    _run_in_threads(activate, edit)
    assert outcomes == {
        "activation": "activated",
        "edit": "This version is archived: it can be read, not changed.",
    }
    first.refresh_from_db()
    assert first.status == "archived"
    after = stored(first)
    assert after["goals"] == before["goals"] and after["changes"] == before["changes"]
