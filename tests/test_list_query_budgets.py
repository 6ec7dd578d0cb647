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
    with django_assert_num_queries(3):
        assert coordinator_client.get(reverse("mentorship:mentor_list")).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_mentor_list_for_an_admin(size, admin_client, program, django_assert_num_queries):
    for _ in range(size):
        make_mentor(program)
    # 4 mentor profiles with caseloads and programs
    with django_assert_num_queries(3):
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
    with django_assert_num_queries(3):
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
    with django_assert_num_queries(3):
        assert coordinator_client.get(reverse("certification:ce_queue")).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_my_certification(size, mentor_client, mentor, django_assert_num_queries):
    for _ in range(size):
        log_ce(mentor)
    # 3 certifications, 4 their CE requirements, 5 CE for the progress, 6 CE for the list,
    # 7 the holder's draft of new hours (core.drafts)
    with django_assert_num_queries(5):
        assert mentor_client.get(reverse("certification:mine")).status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_certification_types_page_and_api(
    size, admin_client, admin_user, django_assert_num_queries
):
    for n in range(size):
        ctype = CertificationType.objects.create(name=f"Type {n}", issuing_body="Board")
        ctype.category_requirements.create(category="law_and_ethics", hours=Decimal("6"))
    # (1 session, 2 the user with the second factor: accounts.backends)
    # 3 types, 4 their requirements
    with django_assert_num_queries(4):
        assert admin_client.get(reverse("certification:types")).status_code == 200
    api = api_client_for(admin_user)
    # 1 token, 2 the rate limit's count (core.api.throttling), 3 count and page of types (one
    # statement: config.api_pagination), 4 their requirements
    with django_assert_num_queries(4):
        assert api.get(reverse("api:certification-type-list")).status_code == 200


def _trail(size, mentee_id, user, other):
    import audit

    for n in range(size):
        audit.record(
            user if n % 2 else other,
            action="read",
            mentee_ids=[mentee_id],
            object_type="mentee",
            object_id=mentee_id,
        )


@pytest.mark.parametrize("size", [3, 30])
def test_a_mentees_access_history(
    size, coordinator_client, mentee_profile, mentor, outsider, django_assert_num_queries
):
    _trail(size, mentee_profile.pk, mentor, outsider)
    url = reverse("mentorship:mentee_access_history", args=[mentee_profile.pk])
    # 4 the mentee in scope, 5 count, 6 a page of events with who, then the event of this read
    with django_assert_num_queries(5 + AUDIT_EVENT_QUERIES):
        assert coordinator_client.get(url).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_who_has_seen_my_record(
    size, mentee_client, mentee_profile, mentor, coordinator, django_assert_num_queries
):
    _trail(size, mentee_profile.pk, mentor, coordinator)
    # 3 her language (accounts.languages), 4 the mentee's record, 5 count, 6 a page
    # of events, then the event of this read
    with django_assert_num_queries(6 + AUDIT_EVENT_QUERIES):
        assert mentee_client.get(reverse("mentorship:my_record_access")).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_the_audit_search_and_its_export(
    size, admin_client, mentee_profile, mentor, coordinator, django_assert_num_queries
):
    _trail(size, mentee_profile.pk, mentor, coordinator)
    # (1 session, 2 the user with the second factor) 3 count, 4 a page of
    # events with who
    with django_assert_num_queries(4):
        assert admin_client.get(reverse("audit:search")).status_code == 200
    # 1 session, 2 the user with the second factor, the export's own event,
    # then the events with who, streamed from a cursor
    with django_assert_num_queries(3 + AUDIT_EVENT_QUERIES):
        response = admin_client.get(reverse("audit:export"))
        assert response.status_code == 200
        b"".join(response.streaming_content if response.streaming else [response.content])


@pytest.mark.parametrize("size", [2, 20])
def test_my_api_tokens(size, coordinator_client, coordinator, django_assert_num_queries):
    from accounts import services as account_services

    for n in range(size):
        account_services.api_token_create(user=coordinator, name=f"script {n}")
    # 4 count, 5 a page of tokens (whether the user has a second factor is the
    # MFA check's answer, 3)
    with django_assert_num_queries(4):
        assert coordinator_client.get(reverse("accounts:api_tokens")).status_code == 200


@pytest.mark.parametrize("role_client", ["mentee_client", "coordinator_client"])
def test_my_account(role_client, request, django_assert_num_queries):
    client = request.getfixturevalue(role_client)
    # 1 session, 2 the user with the second factor and the program (its name
    # and time zone: accounts.backends), 3 (staff) the count of API tokens,
    # (the mentee) her language (accounts.languages)
    expected = 3
    with django_assert_num_queries(expected):
        assert client.get(reverse("accounts:my_account")).status_code == 200
