"""Ticking a step: the goal's counter follows at once (an out-of-band swap),
and each tick button is named with its step for a screen reader."""

import re

import pytest
from django.urls import reverse

from tests.recovery_plans.factories import first_step, make_plan

pytestmark = pytest.mark.django_db


def test_the_counter_follows_a_tick(mentor_client, mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor, goals=1, steps=3)
    step = first_step(plan)
    response = mentor_client.post(
        reverse("recovery_plans:step_toggle", args=[step.pk]), {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert f'id="step-{step.pk}"' in page
    counter = re.search(rf'<div id="goal-{step.goal_id}-progress"[^>]*>', page).group(0)
    assert 'hx-swap-oob="true"' in counter
    assert "1 of 3 steps done" in page
    again = mentor_client.post(
        reverse("recovery_plans:step_toggle", args=[step.pk]), {"done": "0"}, HTTP_HX_REQUEST="true"
    )
    assert "0 of 3 steps done" in again.content.decode()


def test_the_mentee_ticks_too_and_sees_the_counter(mentee_client, mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor, goals=1, steps=2)
    step = first_step(plan)
    response = mentee_client.post(
        reverse("recovery_plans:step_toggle", args=[step.pk]), {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "1 of 2 steps done" in response.content.decode()


def test_each_tick_button_is_named_with_its_step(mentor_client, mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor, goals=1, steps=2)
    page = mentor_client.get(reverse("recovery_plans:detail", args=[plan.pk])).content.decode()
    for step in plan.goals.get().steps.all():
        assert f'<span class="visually-hidden">Mark done: {step.description}</span>' in page


def test_hand_written_create_forms_carry_a_one_time_token(mentor_client, mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor, goals=1, steps=1, active=False)
    page = mentor_client.get(reverse("recovery_plans:detail", args=[plan.pk])).content.decode()
    step_add = re.search(
        r'<form[^>]*action="{}".*?</form>'.format(
            reverse("recovery_plans:step_add", args=[plan.goals.get().pk])
        ),
        page,
        re.S,
    ).group(0)
    assert 'name="once_token"' in step_add
