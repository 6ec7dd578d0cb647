"""API: the parts of a plan the plan page shows and writes (`triggers` with
their ways to cope, `supports`, `safety-plans`) and the program's
`plan-templates`: the page's services, rules, words and scope."""

import uuid

import pytest
from django.urls import reverse

from recovery_plans import services
from recovery_plans.models import CopingStrategy, PlanChange, SupportContact, TemplateGoal, Trigger
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_error, api_errors
from tests.audit import AUDIT_EVENT_QUERIES
from tests.recovery_plans.factories import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(mentee_profile, mentor):
    return make_plan(mentee_profile, mentor, goals=1, steps=1)


# --- Triggers and ways to cope ----------------------------------------------------


def test_a_mentor_adds_a_trigger_with_ways_to_cope(mentor, plan, mentee_profile):
    response = api_client_for(mentor).post(
        reverse("api:trigger-list"),
        {"plan": plan.pk, "description": " Payday ", "coping": ["Call Sam", " ", "Walk"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["description"] == "Payday" and body["coping"] == ["Call Sam", "Walk"]
    assert body["mentee"] == mentee_profile.pk and body["order"] == 2
    assert PlanChange.objects.filter(plan=plan, summary="Added trigger “Payday”").exists()


@pytest.mark.parametrize(("length", "status"), [(300, 201), (301, 400)])
def test_a_way_to_cope_is_at_most_300_characters(mentor, plan, length, status):
    response = api_client_for(mentor).post(
        reverse("api:trigger-list"),
        {"plan": plan.pk, "description": "Payday", "coping": ["x" * length]},
        format="json",
    )
    assert response.status_code == status
    if status == 400:
        assert api_errors(response) == {"coping": ["A way to cope is at most 300 characters."]}
        assert Trigger.objects.filter(plan=plan).count() == 1


def test_another_way_to_cope_goes_last(mentor, plan):
    trigger = plan.triggers.get()
    response = api_client_for(mentor).post(
        reverse("api:trigger-coping", args=[trigger.pk]), {"description": "Breathe"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["coping"] == ["walk", "call", "Breathe"]


def test_a_mentee_reads_their_triggers_and_writes_none(mentee, plan):
    client = api_client_for(mentee)
    (row,) = client.get(reverse("api:trigger-list")).json()["results"]
    assert row["coping"] == ["walk", "call"]
    response = client.post(
        reverse("api:trigger-coping", args=[row["id"]]), {"description": "Run"}, format="json"
    )
    assert response.status_code == 403
    assert api_error(response) == (
        "Only the mentee's mentor and the program's coordinators edit plans."
    )
    assert CopingStrategy.objects.count() == 2


def test_a_draft_plans_triggers_are_not_the_mentees(mentee, mentee_profile, mentor):
    make_plan(mentee_profile, mentor, goals=0, active=False)
    assert api_client_for(mentee).get(reverse("api:trigger-list")).json()["count"] == 0


def test_an_archived_version_is_read_not_changed(mentor, plan):
    draft = services.plan_new_version(plan=plan, created_by=mentor)
    services.plan_activate(plan=draft, activated_by=mentor)
    trigger = plan.triggers.get()
    response = api_client_for(mentor).post(
        reverse("api:trigger-coping", args=[trigger.pk]), {"description": "Run"}, format="json"
    )
    assert response.status_code == 400
    assert api_error(response) == "This version is archived: it can be read, not changed."


def test_the_same_idempotency_key_adds_one_trigger(mentor, plan):
    client, key = api_client_for(mentor), str(uuid.uuid4())
    first, second = (
        client.post(
            reverse("api:trigger-list"),
            {"plan": plan.pk, "description": "Payday"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        for _ in range(2)
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Trigger.objects.filter(plan=plan).count() == 2  # the factory's and this one


def test_a_plan_out_of_reach_does_not_exist(other_mentor, plan):
    client = api_client_for(other_mentor)
    response = client.post(
        reverse("api:trigger-list"), {"plan": plan.pk, "description": "Payday"}, format="json"
    )
    assert response.status_code == 400 and "plan" in api_errors(response)
    trigger = plan.triggers.get()
    assert client.get(reverse("api:trigger-detail", args=[trigger.pk])).status_code == 404
    assert client.get(reverse("api:trigger-list"), {"plan": plan.pk}).json()["count"] == 0


@pytest.mark.parametrize("size", [5, 50])
def test_trigger_list_query_count_is_constant(
    size, coordinator, mentor, plan, django_assert_num_queries
):
    for n in range(size):
        services.trigger_add(plan=plan, by=mentor, description=f"T{n}", coping=["a", "b"])
    client = api_client_for(coordinator)
    # 1 token, 2 count and page (one statement: config.api_pagination), 3 their
    # ways to cope; then the audit event
    with django_assert_num_queries(
        1 + 3 + AUDIT_EVENT_QUERIES
    ):  # + the rate limit's count (core.api.throttling)
        assert client.get(reverse("api:trigger-list")).json()["count"] == size + 1


# --- Supports -------------------------------------------------------------------------


def test_a_coordinator_adds_a_support(coordinator, plan, mentee_profile):
    response = api_client_for(coordinator).post(
        reverse("api:support-list"),
        {"plan": plan.pk, "name": "Sierra Group", "kind": "group", "phone": "555-0100"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json() | {"id": 0} == {
        "id": 0,
        "plan": plan.pk,
        "mentee": mentee_profile.pk,
        "name": "Sierra Group",
        "relationship": "",
        "phone": "555-0100",
        "kind": "group",
        "order": 1,
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": ""}, "name"), ({"name": "x" * 151}, "name"), ({"kind": "pet"}, "kind")],
)
def test_a_support_is_refused_in_the_pages_words(mentor, plan, body, field):
    response = api_client_for(mentor).post(
        reverse("api:support-list"), {"plan": plan.pk, "name": "Sam", **body}, format="json"
    )
    assert response.status_code == 400 and list(api_errors(response)) == [field]
    assert not SupportContact.objects.exists()


def test_the_support_service_refuses_a_name_too_long_as_the_api_does(mentor, plan):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.support_add(plan=plan, by=mentor, name="x" * 151)
    assert "name" in refused.value.message_dict


def test_a_mentee_reads_their_supports_and_adds_none(mentee, mentor, plan):
    services.support_add(plan=plan, by=mentor, name="Sam")
    client = api_client_for(mentee)
    assert client.get(reverse("api:support-list")).json()["count"] == 1
    response = client.post(
        reverse("api:support-list"), {"plan": plan.pk, "name": "Alex"}, format="json"
    )
    assert response.status_code == 403
    assert SupportContact.objects.count() == 1


@pytest.mark.parametrize("size", [5, 50])
def test_support_list_query_count_is_constant(
    size, coordinator, mentor, plan, django_assert_num_queries
):
    for n in range(size):
        services.support_add(plan=plan, by=mentor, name=f"S{n}")
    client = api_client_for(coordinator)
    # 1 token, 2 count and page (one statement: config.api_pagination); then the audit event
    with django_assert_num_queries(
        0 + 3 + AUDIT_EVENT_QUERIES
    ):  # + the rate limit's count (core.api.throttling)
        assert client.get(reverse("api:support-list")).json()["count"] == size


# --- Safety plans ---------------------------------------------------------------------


def test_patch_changes_the_parts_sent_and_keeps_a_history_line(mentor, plan):
    url = reverse("api:safety-plan-detail", args=[plan.safety_plan.pk])
    response = api_client_for(mentor).patch(
        url, {"warning_signs": "Not sleeping", "environment": "Keys with Sam"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["warning_signs"] == "Not sleeping" and body["environment"] == "Keys with Sam"
    assert body["professionals"] == plan.safety_plan.professionals  # not sent: as it was
    assert PlanChange.objects.filter(plan=plan, summary__startswith="Safety plan: changed").exists()


def test_a_mentee_reads_their_safety_plan_and_does_not_change_it(mentee, plan):
    client = api_client_for(mentee)
    (row,) = client.get(reverse("api:safety-plan-list")).json()["results"]
    assert row["plan"] == plan.pk
    url = reverse("api:safety-plan-detail", args=[row["id"]])
    assert client.patch(url, {"warning_signs": "x"}, format="json").status_code == 403
    plan.safety_plan.refresh_from_db()
    assert plan.safety_plan.warning_signs == ""


def test_a_safety_plan_has_no_put_post_or_delete(mentor, plan):
    client = api_client_for(mentor)
    url = reverse("api:safety-plan-detail", args=[plan.safety_plan.pk])
    assert client.put(url, {"warning_signs": "x"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert client.post(reverse("api:safety-plan-list"), {}, format="json").status_code == 405


@pytest.mark.parametrize("size", [5, 50])
def test_safety_plan_list_query_count_is_constant(
    size, coordinator, mentor, program, django_assert_num_queries
):
    from tests.mentorship.factories import MenteeProfileFactory, assign

    for _ in range(size):
        profile = MenteeProfileFactory(program=program, status="active")
        assign(profile, mentor, by=coordinator)
        services.plan_create(mentee=profile, created_by=mentor)
    client = api_client_for(coordinator)
    # 1 token, 2 count and page (one statement: config.api_pagination); then the audit event
    with django_assert_num_queries(
        0 + 3 + AUDIT_EVENT_QUERIES
    ):  # + the rate limit's count (core.api.throttling)
        assert client.get(reverse("api:safety-plan-list")).json()["count"] == size


# --- Plan templates -------------------------------------------------------------------


def test_a_coordinator_keeps_a_template_with_goals_and_steps(coordinator):
    client = api_client_for(coordinator)
    response = client.post(reverse("api:plan-template-list"), {"name": " Ninety days "})
    assert response.status_code == 201, response.json()
    template = response.json()
    assert template["name"] == "Ninety days" and template["program"] == coordinator.program_id
    response = client.post(
        reverse("api:plan-template-goals", args=[template["id"]]),
        {"domain": "home", "description": "Stable housing", "steps": ["Apply", "", "Move"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    (goal,) = response.json()["goals"]
    assert [s["description"] for s in goal["steps"]] == ["Apply", "Move"]
    assert response.json()["goal_count"] == 1


def test_a_template_name_is_unique_in_its_program(coordinator):
    client = api_client_for(coordinator)
    assert client.post(reverse("api:plan-template-list"), {"name": "A"}).status_code == 201
    response = client.post(reverse("api:plan-template-list"), {"name": "A"})
    assert response.status_code == 400
    assert api_errors(response) == {
        "name": ["A template with this name already exists in the program."]
    }


@pytest.mark.parametrize(("length", "status"), [(300, 201), (301, 400)])
def test_a_template_step_is_at_most_300_characters(coordinator, length, status):
    template = services.template_create(program=coordinator.program, by=coordinator, name="T")
    response = api_client_for(coordinator).post(
        reverse("api:plan-template-goals", args=[template.pk]),
        {"domain": "home", "description": "G", "steps": ["x" * length]},
        format="json",
    )
    assert response.status_code == status
    if status == 400:
        assert api_errors(response) == {"steps": ["A step is at most 300 characters."]}
        assert not TemplateGoal.objects.exists()


def test_the_template_page_says_a_step_is_too_long(coordinator, coordinator_client):
    template = services.template_create(program=coordinator.program, by=coordinator, name="T")
    response = coordinator_client.post(
        reverse("recovery_plans:template_detail", args=[template.pk]),
        {"domain": "home", "description": "G", "steps": "x" * 301},
    )
    assert response.status_code == 200
    assert "A step is at most 300 characters." in response.content.decode()


def test_a_mentor_reads_templates_and_keeps_none(mentor, coordinator):
    template = services.template_create(program=coordinator.program, by=coordinator, name="T")
    client = api_client_for(mentor)
    assert client.get(reverse("api:plan-template-detail", args=[template.pk])).status_code == 200
    response = client.post(reverse("api:plan-template-list"), {"name": "Mine"})
    assert response.status_code == 403
    assert api_error(response) == "Coordinators keep their program's templates."
    goals = reverse("api:plan-template-goals", args=[template.pk])
    assert client.post(goals, {"domain": "home", "description": "G"}).status_code == 403


def test_the_template_list_filters_by_name(coordinator):
    for name in ("Ninety days", "Housing first"):
        services.template_create(program=coordinator.program, by=coordinator, name=name)
    client = api_client_for(coordinator)
    (row,) = client.get(reverse("api:plan-template-list"), {"name": "hous"}).json()["results"]
    assert row["name"] == "Housing first"
    assert client.get(reverse("api:plan-template-list"), {"program": "x"}).status_code == 400


@pytest.mark.parametrize("size", [5, 50])
def test_plan_template_list_query_count_is_constant(size, coordinator, django_assert_num_queries):
    for n in range(size):
        template = services.template_create(
            program=coordinator.program, by=coordinator, name=f"T{n}"
        )
        services.template_goal_add(
            template=template, by=coordinator, domain="home", description="G"
        )
    client = api_client_for(coordinator)
    # 1 token, 2 count and page of templates (one statement) with goal counts
    with django_assert_num_queries(1 + 3):  # + the rate limit's count (core.api.throttling)
        assert client.get(reverse("api:plan-template-list")).json()["count"] == size


def test_the_plan_page_refuses_a_way_to_cope_too_long_without_an_error(mentor_client, plan):
    response = mentor_client.post(
        reverse("recovery_plans:trigger_add", args=[plan.pk]),
        {"description": "Payday", "coping": "x" * 301},
        follow=True,
    )
    assert response.status_code == 200
    assert "A way to cope is at most 300 characters." in response.content.decode()
    assert Trigger.objects.filter(plan=plan).count() == 1
