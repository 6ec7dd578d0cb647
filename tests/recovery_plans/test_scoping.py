"""Every plan URL, every role: mentees read their own active plan and tick its
steps; mentors and coordinators write; everyone else gets 404."""

import pytest
from django.urls import reverse

from recovery_plans import services
from tests.recovery_plans.factories import first_step, make_plan
from tests.scoping import (
    CASE_ROLES,
    LOGIN,
    assert_reaches,
    check_admin_reaches_only_with_grant,
    check_read_is_audited,
    mentee_record_reads,
    row,
)

pytestmark = pytest.mark.django_db

PAGES = [
    #    name                               method  arg         anon   admin coord mentor other  mentee other  outsider
    row("recovery_plans:list",              "get",  None,       LOGIN, 200,  200,  200,   200,   302,   200,   200),
    row("recovery_plans:start",             "get",  "mentee",   LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("recovery_plans:template_list",     "get",  None,       LOGIN, 200,  200,  200,   200,   403,   403,   200),
    row("recovery_plans:template_detail",   "get",  "template", LOGIN, 200,  200,  200,   200,   404,   404,   404),
    row("recovery_plans:detail",            "get",  "plan",     LOGIN, 404,  200,  200,   404,   200,   404,   404),
    row("recovery_plans:print",             "get",  "plan",     LOGIN, 404,  200,  200,   404,   200,   404,   404),
    row("recovery_plans:history",           "get",  "plan",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("recovery_plans:activate",          "post", "plan",     LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("recovery_plans:new_version",       "post", "plan",     LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("recovery_plans:acknowledge",       "post", "plan",     LOGIN, 404,  403,  403,   404,   302,   404,   404),
    row("recovery_plans:review_date",       "post", "plan",     LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("recovery_plans:goal_add",          "post", "plan",     LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("recovery_plans:goal_add_draft",    "post", "plan",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("recovery_plans:trigger_add",       "post", "plan",     LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("recovery_plans:support_add",       "post", "plan",     LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("recovery_plans:safety_edit",       "get",  "plan",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("recovery_plans:safety_draft",      "post", "plan",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("recovery_plans:goal_edit",         "get",  "goal",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("recovery_plans:goal_draft",        "post", "goal",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("recovery_plans:goal_move",         "post", "goal",     LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("recovery_plans:goal_remove",       "post", "goal",     LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("recovery_plans:step_add",          "post", "goal",     LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("recovery_plans:step_toggle",       "post", "step",     LOGIN, 404,  302,  302,   404,   302,   404,   404),
    row("recovery_plans:step_move",         "post", "step",     LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("recovery_plans:step_remove",       "post", "step",     LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("recovery_plans:coping_add",        "post", "trigger",  LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("api:plan-list",                    "get",  None,       401,   200,  200,  200,   200,   200,   200,   200),
    row("api:plan-detail",                  "get",  "plan",     401,   404,  200,  200,   404,   200,   404,   404),
    row("api:plan-activate",                "post", "plan",     401,   404,  400,  400,   404,   403,   404,   404),
    row("api:plan-new-version",             "post", "plan",     401,   404,  201,  201,   404,   403,   404,   404),
    row("api:plan-acknowledge",             "post", "plan",     401,   404,  403,  403,   404,   200,   404,   404),
    row("api:goal-list",                    "get",  None,       401,   200,  200,  200,   200,   200,   200,   200),
    row("api:goal-detail",                  "get",  "goal",     401,   404,  200,  200,   404,   200,   404,   404),
    row("api:action-step-list",             "get",  None,       401,   200,  200,  200,   200,   200,   200,   200),
    row("api:action-step-detail",           "get",  "step",     401,   404,  200,  200,   404,   200,   404,   404),
    row("api:trigger-list",                 "get",  None,       401,   200,  200,  200,   200,   200,   200,   200),
    row("api:trigger-detail",               "get",  "trigger",  401,   404,  200,  200,   404,   200,   404,   404),
    row("api:support-list",                 "get",  None,       401,   200,  200,  200,   200,   200,   200,   200),
    row("api:support-detail",               "get",  "support",  401,   404,  200,  200,   404,   200,   404,   404),
    row("api:safety-plan-list",             "get",  None,       401,   200,  200,  200,   200,   200,   200,   200),
    row("api:safety-plan-detail",           "get",  "safety_plan", 401, 404, 200,  200,   404,   200,   404,   404),
    # Sent empty: nothing to change, answered by the service as the page's form
    # (the mentee refused, the editors given the plan as it is).
    row("api:safety-plan-detail",           "patch", "safety_plan", 401, 404, 200, 200,   404,   403,   404,   404),
    # Sent empty: the editors are told what is missing; the mentee is refused first.
    row("api:trigger-coping",               "post", "trigger",  401,   404,  400,  400,   404,   403,   404,   404),
    row("api:plan-template-goals",          "post", "template", 401,   400,  400,  403,   403,   404,   404,   404),
    # A mentee's list is empty: templates are the staff's.
    row("api:plan-template-list",           "get",  None,       401,   200,  200,  200,   200,   200,   200,   200),
    row("api:plan-template-detail",         "get",  "template", 401,   200,  200,  200,   200,   404,   404,   404),
]  # fmt: skip


@pytest.fixture
def url_args(mentee_profile, mentor, coordinator):
    plan = make_plan(mentee_profile, mentor)
    template = services.template_create(
        program=coordinator.program, by=coordinator, name="Ninety days"
    )
    return {
        "mentee": [mentee_profile.pk],
        "plan": [plan.pk],
        "goal": [plan.goals.first().pk],
        "step": [first_step(plan).pk],
        "trigger": [plan.triggers.first().pk],
        "template": [template.pk],
        "support": [services.support_add(plan=plan, by=mentor, name="Sam").pk],
        "safety_plan": [plan.safety_plan.pk],
    }


@pytest.mark.parametrize("role", CASE_ROLES)
@pytest.mark.parametrize(("name", "method", "arg", "expected"), PAGES, ids=[r[0] for r in PAGES])
def test_each_role_reaches_only_what_it_may(
    case_clients, url_args, role, name, method, arg, expected
):
    url = reverse(name, args=url_args[arg] if arg else None)
    response = getattr(case_clients[role], method)(url)
    assert_reaches(response, expected[role], f"{role} {method} {url}")


@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"),
    mentee_record_reads(PAGES),
    ids=[r[0] for r in mentee_record_reads(PAGES)],
)
def test_an_admin_reaches_a_mentee_record_only_with_a_break_glass_grant(
    case_clients, admin_user, mentee_profile, url_args, name, method, arg, expected
):
    url = reverse(name, args=url_args[arg])
    check_admin_reaches_only_with_grant(
        case_clients["admin"], admin_user, mentee_profile, url, name
    )


def test_a_reassigned_mentor_loses_the_plan_at_once(
    client_for, mentee_profile, mentor, other_mentor, coordinator
):
    from mentorship.services import assignment_create

    plan = make_plan(mentee_profile, mentor)
    client = client_for(mentor)
    assert client.get(reverse("recovery_plans:detail", args=[plan.pk])).status_code == 200
    assignment_create(
        mentee=mentee_profile, mentor=other_mentor, assigned_by=coordinator, end_reason="other"
    )
    assert client.get(reverse("recovery_plans:detail", args=[plan.pk])).status_code == 404
    assert (
        client_for(other_mentor).get(reverse("recovery_plans:detail", args=[plan.pk])).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"),
    mentee_record_reads(PAGES),
    ids=[r[0] for r in mentee_record_reads(PAGES)],
)
def test_every_mentee_record_read_is_audited(
    coordinator_client, mentee_profile, url_args, name, method, arg, expected
):
    url = reverse(name, args=url_args[arg])
    check_read_is_audited(coordinator_client, url, name, expected["coordinator"], mentee_profile)
