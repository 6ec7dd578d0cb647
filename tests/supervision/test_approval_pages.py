"""Approvals through the pages and the API: asking waits (202 from the API),
approving performs, rejecting leaves things as they were, the setting off
changes nothing."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from mentorship.models import MenteeProfile
from recovery_plans import services as plan_services
from recovery_plans.models import RecoveryPlan
from supervision.models import ApprovalRequest, SupervisionSettings
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.recovery_plans.factories import make_plan
from tests.supervision.approval_factories import approvals_on

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def on(program):
    approvals_on(program)


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def status_of(mentee_profile) -> str:
    return MenteeProfile.objects.get(pk=mentee_profile.pk).status


def ask_graduation(client, mentee_profile):
    url = reverse("mentorship:mentee_status", args=[mentee_profile.pk])
    return client.post(url, {"to_status": "graduated"}, follow=True)


# --- Pages ----------------------------------------------------------------------------


def test_the_mentor_asks_to_graduate_from_the_mentee_page(on, mentor_client, mentee_profile):
    page = mentor_client.get(reverse("mentorship:mentee_detail", args=[mentee_profile.pk]))
    assert "Ask to close the case" in page.content.decode()
    response = ask_graduation(mentor_client, mentee_profile)
    assert said(response) == [
        "Sent for approval (graduate a mentee): nothing changes until the mentor's "
        "supervisor or a coordinator approves."
    ]
    assert status_of(mentee_profile) == "active"
    assert "waiting for approval" in response.content.decode()


def test_without_approvals_the_mentor_has_no_status_form(mentor_client, mentee_profile):
    page = mentor_client.get(reverse("mentorship:mentee_detail", args=[mentee_profile.pk]))
    assert "Ask to close the case" not in page.content.decode()
    url = reverse("mentorship:mentee_status", args=[mentee_profile.pk])
    assert mentor_client.post(url, {"to_status": "graduated"}).status_code == 403


def test_the_coordinator_approves_from_the_queue(
    on, mentor_client, coordinator_client, mentee_profile
):
    ask_graduation(mentor_client, mentee_profile)
    approval = ApprovalRequest.objects.get()
    queue = coordinator_client.get(reverse("supervision:approvals")).content.decode()
    assert "Jordan" in queue
    response = coordinator_client.post(
        reverse("supervision:approval_detail", args=[approval.pk]),
        {"decision": "approve", "comment": "Agreed.", "back": "queue"},
        follow=True,
    )
    assert said(response) == ["Approved: the change has taken effect."]
    assert response.redirect_chain[-1][0] == reverse("supervision:approvals")
    assert status_of(mentee_profile) == "graduated"


def test_a_rejection_changes_nothing(on, mentor_client, coordinator_client, mentee_profile):
    ask_graduation(mentor_client, mentee_profile)
    approval = ApprovalRequest.objects.get()
    response = coordinator_client.post(
        reverse("supervision:approval_detail", args=[approval.pk]),
        {"decision": "reject", "comment": "Not yet: one more month."},
        follow=True,
    )
    assert said(response) == ["Rejected: nothing changed."]
    assert status_of(mentee_profile) == "active"
    assert "Not yet: one more month." in response.content.decode()


def test_a_decision_without_a_comment_is_refused_beside_the_field(
    on, mentor_client, coordinator_client, mentee_profile
):
    ask_graduation(mentor_client, mentee_profile)
    approval = ApprovalRequest.objects.get()
    response = coordinator_client.post(
        reverse("supervision:approval_detail", args=[approval.pk]), {"decision": "approve"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"comment": ["Write a comment with the decision."]}
    assert status_of(mentee_profile) == "active"


def test_the_asker_withdraws_from_the_request_page(on, mentor_client, mentee_profile):
    ask_graduation(mentor_client, mentee_profile)
    approval = ApprovalRequest.objects.get()
    url = reverse("supervision:approval_detail", args=[approval.pk])
    assert "Withdraw the request" in mentor_client.get(url).content.decode()
    response = mentor_client.post(url, {"decision": "withdraw"}, follow=True)
    assert said(response) == ["Request withdrawn."]
    approval.refresh_from_db()
    assert approval.status == "withdrawn"


def test_the_plan_page_asks_for_approval_and_says_it_waits(
    on, mentor_client, coordinator_client, mentee_profile, mentor
):
    plan = make_plan(mentee_profile, mentor, active=False)
    response = mentor_client.post(reverse("recovery_plans:activate", args=[plan.pk]), follow=True)
    assert said(response) == [
        "Sent for approval: version 1 becomes the active plan once the mentor's supervisor "
        "or a coordinator approves."
    ]
    assert RecoveryPlan.objects.get(pk=plan.pk).status == "draft"
    page = response.content.decode()
    assert "waiting for approval" in page and "Activate this version" not in page


def test_an_approval_of_a_changed_plan_fails_in_words_on_the_page(
    on, mentor_client, coordinator_client, mentee_profile, mentor
):
    plan = make_plan(mentee_profile, mentor, active=False)
    mentor_client.post(reverse("recovery_plans:activate", args=[plan.pk]))
    plan_services.goal_add(plan=plan, by=mentor, domain="home", description="PHI-MARKER more")
    approval = ApprovalRequest.objects.get()
    response = coordinator_client.post(
        reverse("supervision:approval_detail", args=[approval.pk]),
        {"decision": "approve", "comment": "ok"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This cannot be approved now: The plan was changed after approval was asked for: "
        "reject this request and ask again."
    ]
    assert RecoveryPlan.objects.get(pk=plan.pk).status == "draft"


def test_the_setting_is_on_the_program_settings_page(coordinator_client, program):
    url = reverse("supervision:settings")
    assert "approvals_required" in coordinator_client.get(url).content.decode()
    coordinator_client.post(
        url,
        {
            "monthly_minimum_minutes": 120,
            "debrief_due_days": 3,
            "training_deadline_months": 6,
            "approvals_required": "on",
        },
    )
    assert SupervisionSettings.objects.get(program=program).approvals_required


# --- API --------------------------------------------------------------------------------


def test_the_api_activation_answers_202_with_the_request(on, mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor, active=False)
    response = api_client_for(mentor).post(reverse("api:plan-activate", args=[plan.pk]))
    assert response.status_code == 202
    body = response.json()
    assert (body["action"], body["status"], body["plan"], body["plan_version"]) == (
        "plan_activation",
        "requested",
        plan.pk,
        1,
    )
    assert RecoveryPlan.objects.get(pk=plan.pk).status == "draft"


def test_the_api_transition_answers_202_and_approve_performs_it(
    on, mentee_profile, mentor, coordinator
):
    url = reverse("api:mentee-transition", args=[mentee_profile.pk])
    response = api_client_for(mentor).post(url, {"to_status": "graduated"}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert (body["action"], body["to_status"], body["requested_by"]) == (
        "mentee_graduation",
        "graduated",
        mentor.pk,
    )
    assert status_of(mentee_profile) == "active"
    client = api_client_for(coordinator)
    approve = reverse("api:approval-approve", args=[body["id"]])
    refused = client.post(approve, {}, format="json")
    assert (refused.status_code, api_errors(refused)) == (
        400,
        {"comment": ["Write a comment with the decision."]},
    )
    done = client.post(approve, {"comment": "Agreed."}, format="json")
    assert (done.status_code, done.json()["status"]) == (200, "approved")
    assert status_of(mentee_profile) == "graduated"
    # The second click answers as the first did.
    again = client.post(approve, {"comment": "Agreed."}, format="json")
    assert (again.status_code, again.json()["decided_by"]) == (200, coordinator.pk)


def test_the_api_reject_leaves_the_mentee(on, mentee_profile, mentor, coordinator):
    url = reverse("api:mentee-transition", args=[mentee_profile.pk])
    body = api_client_for(mentor).post(url, {"to_status": "graduated"}, format="json").json()
    reject = reverse("api:approval-reject", args=[body["id"]])
    done = api_client_for(coordinator).post(reject, {"comment": "No."}, format="json")
    assert (done.status_code, done.json()["status"], done.json()["comment"]) == (
        200,
        "rejected",
        "No.",
    )
    assert status_of(mentee_profile) == "active"
    approve = reverse("api:approval-approve", args=[body["id"]])
    late = api_client_for(coordinator).post(approve, {"comment": "Yes."}, format="json")
    assert (late.status_code, api_errors(late)) == (
        400,
        {"detail": ["This request is already rejected."]},
    )


def test_with_the_setting_off_the_api_answers_as_before(mentee_profile, mentor, coordinator):
    plan = make_plan(mentee_profile, mentor, active=False)
    response = api_client_for(mentor).post(reverse("api:plan-activate", args=[plan.pk]))
    assert (response.status_code, response.json()["status"]) == (200, "active")
    url = reverse("api:mentee-transition", args=[mentee_profile.pk])
    response = api_client_for(coordinator).post(url, {"to_status": "graduated"}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "graduated")
    assert not ApprovalRequest.objects.exists()
