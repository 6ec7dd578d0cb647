"""Recovery plan rules: one active plan, versions, history, acknowledgement,
ticking steps, templates, and the check-ins that discussed a goal."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from recovery_plans import services
from recovery_plans.models import DEFAULT_CRISIS_LINES, PlanChange, RecoveryPlan
from tests.recovery_plans.factories import first_step, make_plan

pytestmark = pytest.mark.django_db


def test_database_allows_one_active_plan_per_mentee(mentee_profile, mentor):
    make_plan(mentee_profile, mentor)
    draft = services.plan_create(mentee=mentee_profile, created_by=mentor)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecoveryPlan.objects.filter(pk=draft.pk).update(status="active")


def test_activating_a_new_version_archives_the_old_one_in_the_same_transaction(
    mentee_profile, mentor, monkeypatch
):
    first = make_plan(mentee_profile, mentor)
    second = services.plan_new_version(plan=first, created_by=mentor)
    assert (second.version, second.status, second.previous) == (2, "draft", first)

    # If anything in the activation fails, the old plan stays active.
    def fail(*args, **kwargs):
        raise RuntimeError("fails after archiving")

    monkeypatch.setattr("recovery_plans.models.PlanChange.objects.create", fail)
    with pytest.raises(RuntimeError):
        services.plan_activate(plan=second, activated_by=mentor)
    first.refresh_from_db()
    assert first.status == "active"
    monkeypatch.undo()

    services.plan_activate(plan=RecoveryPlan.objects.get(pk=second.pk), activated_by=mentor)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("archived", "active")
    assert first.archived_at is not None


def test_a_new_version_copies_the_plan_and_asks_for_a_new_acknowledgement(
    mentee_profile, mentor, mentee
):
    first = make_plan(mentee_profile, mentor, goals=3, steps=2)
    services.plan_acknowledge(plan=first, user=mentee)
    second = services.plan_new_version(plan=first, created_by=mentor)
    assert second.goals.count() == 3 and sum(g.steps.count() for g in second.goals.all()) == 6
    assert [t.coping_strategies.count() for t in second.triggers.all()] == [2]
    services.plan_activate(plan=second, activated_by=mentor)
    second.refresh_from_db()
    assert second.acknowledged_at is None
    services.plan_acknowledge(plan=second, user=mentee)
    second.refresh_from_db()
    assert second.acknowledged_at is not None


def test_every_change_to_an_active_plan_is_kept_with_who_and_what(mentee_profile, mentor, mentee):
    plan = make_plan(mentee_profile, mentor)
    goal = plan.goals.first()
    services.goal_update(goal=goal, by=mentor, status="achieved")
    services.step_set_done(step=first_step(plan), by=mentee, done=True)
    summaries = list(plan.changes.order_by("pk").values_list("changed_by", "summary"))
    assert summaries[0] == (mentor.pk, "Activated version 1")
    assert summaries[1][0] == mentor.pk and "status: not started → achieved" in summaries[1][1]
    assert summaries[2][0] == mentee.pk and summaries[2][1].startswith("Done: step")


def test_drafts_are_not_logged_and_archived_versions_are_read_only(mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor, active=False)
    assert not PlanChange.objects.exists()
    services.plan_activate(plan=plan, activated_by=mentor)
    services.plan_activate(
        plan=services.plan_new_version(plan=plan, created_by=mentor), activated_by=mentor
    )
    plan.refresh_from_db()
    with pytest.raises(ValidationError):
        services.goal_add(plan=plan, by=mentor, domain="home", description="too late")


def test_a_plan_needs_a_goal_before_it_is_activated(mentee_profile, mentor):
    plan = services.plan_create(mentee=mentee_profile, created_by=mentor)
    with pytest.raises(ValidationError):
        services.plan_activate(plan=plan, activated_by=mentor)


def test_a_new_plan_has_a_safety_plan_with_988(mentee_profile, mentor):
    plan = services.plan_create(mentee=mentee_profile, created_by=mentor)
    assert plan.safety_plan.professionals == DEFAULT_CRISIS_LINES and "988" in DEFAULT_CRISIS_LINES


def test_mentee_ticks_own_steps_on_the_active_plan_only(
    mentee_profile, mentor, mentee, other_mentee
):
    plan = make_plan(mentee_profile, mentor)
    step = first_step(plan)
    services.step_set_done(step=step, by=mentee, done=True)
    step.refresh_from_db()
    assert step.done_by == mentee and step.done_at is not None
    with pytest.raises(PermissionDenied):
        services.step_set_done(step=step, by=other_mentee, done=False)
    draft = make_plan(mentee_profile, mentor, active=False)
    with pytest.raises(PermissionDenied):
        services.step_set_done(step=first_step(draft), by=mentee, done=True)


def test_mentees_and_other_mentors_cannot_write_plans(mentee_profile, mentor, mentee, other_mentor):
    plan = make_plan(mentee_profile, mentor)
    for user in (mentee, other_mentor):
        with pytest.raises(PermissionDenied):
            services.goal_add(plan=plan, by=user, domain="home", description="x")


def test_only_the_mentee_acknowledges_the_active_plan(mentee_profile, mentor, mentee):
    plan = make_plan(mentee_profile, mentor)
    with pytest.raises(PermissionDenied):
        services.plan_acknowledge(plan=plan, user=mentor)
    draft = services.plan_create(mentee=mentee_profile, created_by=mentor)
    with pytest.raises(ValidationError):
        services.plan_acknowledge(plan=draft, user=mentee)


def test_reordering_swaps_goals(mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor, goals=3)
    goals = list(plan.goals.all())
    services.goal_move(goal=goals[2], by=mentor, direction="up")
    assert list(plan.goals.all()) == [goals[0], goals[2], goals[1]]
    services.goal_move(goal=goals[0], by=mentor, direction="up")  # already first: nothing moves
    assert list(plan.goals.all()) == [goals[0], goals[2], goals[1]]


def test_a_plan_starts_from_a_program_template(mentee_profile, mentor, coordinator, outsider):
    template = services.template_create(
        program=coordinator.program, by=coordinator, name="First 90 days"
    )
    services.template_goal_add(
        template=template,
        by=coordinator,
        domain="home",
        description="Housing",
        steps=["Apply", "Visit"],
    )
    plan = services.plan_create(mentee=mentee_profile, created_by=mentor, template=template)
    goal = plan.goals.get()
    assert goal.description == "Housing" and [s.description for s in goal.steps.all()] == [
        "Apply",
        "Visit",
    ]
    assert all(s.due_on is None for s in goal.steps.all())
    with pytest.raises(PermissionDenied):
        services.template_create(program=coordinator.program, by=mentor, name="mine")
    other = services.template_create(program=outsider.program, by=outsider, name="theirs")
    with pytest.raises(ValidationError):
        services.plan_create(mentee=mentee_profile, created_by=mentor, template=other)


def test_checkins_record_the_goals_they_discussed(mentee_profile, mentor):
    from datetime import timedelta

    from django.utils import timezone

    from checkins.services import checkin_log

    plan = make_plan(mentee_profile, mentor)
    goal = plan.goals.first()
    checkin = checkin_log(
        author=mentor,
        mentee=mentee_profile,
        occurred_at=timezone.now() - timedelta(minutes=5),
        delivery_method="in_person",
        goals_discussed=[goal],
    )
    assert list(goal.checkins.all()) == [checkin]


def test_goals_of_another_mentee_cannot_be_discussed(mentee_profile, mentor, program, coordinator):
    from django.utils import timezone

    from checkins.services import checkin_log
    from tests.mentorship.factories import MenteeProfileFactory, assign

    other = MenteeProfileFactory(program=program, status="active")
    assign(other, mentor)
    foreign_goal = make_plan(other, mentor).goals.first()
    with pytest.raises(ValidationError):
        checkin_log(
            author=mentor,
            mentee=mentee_profile,
            occurred_at=timezone.now(),
            delivery_method="in_person",
            goals_discussed=[foreign_goal],
        )


def test_a_draft_is_edited_not_copied_into_a_new_version(mentee_profile, mentor):
    draft = make_plan(mentee_profile, mentor, active=False)
    with pytest.raises(ValidationError):
        services.plan_new_version(plan=draft, created_by=mentor)


def test_reordering_swaps_steps(mentee_profile, mentor, mentee):
    plan = make_plan(mentee_profile, mentor, goals=1, steps=3)
    goal = plan.goals.get()
    steps = list(goal.steps.all())
    services.step_move(step=steps[0], by=mentor, direction="down")
    assert list(goal.steps.all()) == [steps[1], steps[0], steps[2]]
    with pytest.raises(PermissionDenied):
        services.step_move(step=steps[0], by=mentee, direction="up")
