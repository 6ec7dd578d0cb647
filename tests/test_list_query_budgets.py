"""Query budgets for the smaller lists, each at two sizes: the count must not
move with the number of rows. (The big lists are budgeted beside their
features.) Every signed-in page starts with 1 session, 2 user; staff add 3 the
MFA check."""

from decimal import Decimal

import pytest
from django.urls import reverse

from certification.models import CertificationType
from recovery_plans import services as plan_services
from tests.accounts.test_api import api_client_for
from tests.audit import AUDIT_EVENT_QUERIES
from tests.certification.factories import log_ce
from tests.mentorship.factories import make_mentor
from tests.recovery_plans.factories import make_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [3, 30])
def test_mentor_list_for_a_coordinator(
    size, coordinator_client, program, django_assert_num_queries
):
    for _ in range(size):
        make_mentor(program)
    # 4 the coordinator's program, 5 its mentors with caseloads and whether their
    # certification allows new mentees
    with django_assert_num_queries(5):
        assert coordinator_client.get(reverse("mentorship:mentor_list")).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_mentor_list_for_an_admin(size, admin_client, program, django_assert_num_queries):
    for _ in range(size):
        make_mentor(program)
    # 4 mentor profiles with caseloads and programs
    with django_assert_num_queries(4):
        assert admin_client.get(reverse("mentorship:mentor_list")).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_plan_templates(size, coordinator_client, coordinator, django_assert_num_queries):
    for n in range(size):
        template = plan_services.template_create(
            program=coordinator.program, by=coordinator, name=f"T{n}"
        )
        plan_services.template_goal_add(
            template=template, by=coordinator, domain="home", description="G", steps=["s"]
        )
    # 4 templates with goal counts
    with django_assert_num_queries(4):
        assert coordinator_client.get(reverse("recovery_plans:template_list")).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_plan_history(size, mentor_client, mentee_profile, mentor, django_assert_num_queries):
    plan = make_plan(mentee_profile, mentor, goals=1, steps=size)
    for step in plan.goals.get().steps.all():
        plan_services.step_set_done(step=step, by=mentor, done=True)
    # 3 plan in scope, 4 changes with who made them, 5 versions, 6 the plan's mentee for the
    # audit event, then the event
    with django_assert_num_queries(6 + AUDIT_EVENT_QUERIES):
        assert (
            mentor_client.get(reverse("recovery_plans:history", args=[plan.pk])).status_code == 200
        )


@pytest.mark.parametrize("size", [3, 30])
def test_ce_approval_queue(size, coordinator_client, mentor, django_assert_num_queries):
    for _ in range(size):
        log_ce(mentor)
    # 4 pending entries with their holders
    with django_assert_num_queries(4):
        assert coordinator_client.get(reverse("certification:ce_queue")).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_my_certification(size, mentor_client, mentor, django_assert_num_queries):
    for _ in range(size):
        log_ce(mentor)
    # 3 certifications, 4 their CE requirements, 5 CE for the progress, 6 CE for the list
    with django_assert_num_queries(6):
        assert mentor_client.get(reverse("certification:mine")).status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_certification_types_page_and_api(
    size, admin_client, admin_user, django_assert_num_queries
):
    for n in range(size):
        ctype = CertificationType.objects.create(name=f"Type {n}", issuing_body="Board")
        ctype.category_requirements.create(category="law_and_ethics", hours=Decimal("6"))
    # 4 types, 5 their requirements
    with django_assert_num_queries(5):
        assert admin_client.get(reverse("certification:types")).status_code == 200
    api = api_client_for(admin_user)
    # 1 token, 2 count, 3 page of types, 4 their requirements
    with django_assert_num_queries(4):
        assert api.get(reverse("api:certification-type-list")).status_code == 200
