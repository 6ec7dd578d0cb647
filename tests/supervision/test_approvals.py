"""Approvals (a program setting): activating a plan, discharging and
graduating wait for the mentor's supervisor or a coordinator; nothing takes
effect before; approval performs the action with its rules checked again."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core import approvals
from mentorship import services as mentorship_services
from mentorship.models import MenteeProfile, MenteeStatusChange
from notifications.models import Notification
from recovery_plans import services as plan_services
from recovery_plans.models import RecoveryPlan
from supervision import services
from supervision.models import ApprovalRequest
from tests.recovery_plans.factories import make_plan
from tests.supervision.approval_factories import approvals_on, supervise

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 20, tzinfo=UTC)  # Nov 27 in Sacramento
TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def on(program):
    approvals_on(program)


@pytest.fixture
def supervised(mentor, other_mentor, coordinator):
    """The case's mentor is supervised by other_mentor."""
    supervise(mentor, other_mentor, coordinator)
    return other_mentor


def graduate(mentee_profile, by, **fields):
    return mentorship_services.mentee_transition(
        mentee=mentee_profile, to_status="graduated", changed_by=by, **fields
    )


def status_of(mentee_profile) -> str:
    return MenteeProfile.objects.get(pk=mentee_profile.pk).status


# --- Off: as before --------------------------------------------------------------


def test_with_the_setting_off_a_coordinator_graduates_at_once(mentee_profile, coordinator):
    result = graduate(mentee_profile, coordinator)
    assert approvals.approval_request_of(result) is None
    assert status_of(mentee_profile) == "graduated"
    assert not ApprovalRequest.objects.exists()


def test_with_the_setting_off_a_mentor_still_cannot_close_a_case(mentee_profile, mentor):
    with pytest.raises(PermissionDenied):
        graduate(mentee_profile, mentor)


def test_with_the_setting_off_a_plan_activates_at_once(mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor)
    assert plan.status == "active"


# --- On: a request, nothing else ---------------------------------------------------


def test_the_mentor_asks_to_graduate_and_nothing_changes(on, mentee_profile, mentor):
    result = graduate(mentee_profile, mentor, note="PHI-MARKER ready")
    request = approvals.approval_request_of(result)
    assert (request.action, request.status, request.mentor_id) == (
        "mentee_graduation",
        "requested",
        mentor.pk,
    )
    assert status_of(mentee_profile) == "active"
    assert not MenteeStatusChange.objects.filter(to_status="graduated").exists()
    assert mentee_profile.assignments.active().exists()


def test_a_discharge_waits_too_and_keeps_its_reason(on, mentee_profile, coordinator):
    result = mentorship_services.mentee_transition(
        mentee=mentee_profile, to_status="discharged", reason="moved", changed_by=coordinator
    )
    request = approvals.approval_request_of(result)
    assert (request.action, request.details["reason"]) == ("mentee_discharge", "moved")
    assert status_of(mentee_profile) == "active"


def test_other_status_changes_do_not_wait(on, mentee_profile, coordinator):
    result = mentorship_services.mentee_transition(
        mentee=mentee_profile, to_status="on_hold", changed_by=coordinator
    )
    assert approvals.approval_request_of(result) is None
    assert status_of(mentee_profile) == "on_hold"


def test_the_rules_are_checked_before_asking(on, mentee_profile, coordinator):
    with pytest.raises(ValidationError) as refused:
        mentorship_services.mentee_transition(
            mentee=mentee_profile, to_status="discharged", changed_by=coordinator
        )
    assert refused.value.message_dict == {"reason": ["Give the reason for the discharge."]}
    assert not ApprovalRequest.objects.exists()


def test_another_mentor_cannot_ask(on, mentee_profile, other_mentor):
    with pytest.raises(PermissionDenied):
        graduate(mentee_profile, other_mentor)


def test_a_mentor_cannot_ask_for_other_changes(on, mentee_profile, mentor):
    with pytest.raises(PermissionDenied):
        mentorship_services.mentee_transition(
            mentee=mentee_profile, to_status="on_hold", changed_by=mentor
        )


def test_asking_twice_gives_the_same_request(on, mentee_profile, mentor):
    first = approvals.approval_request_of(graduate(mentee_profile, mentor))
    again = approvals.approval_request_of(graduate(mentee_profile, mentor))
    assert first.pk == again.pk
    assert ApprovalRequest.objects.count() == 1


def test_asking_again_differently_is_refused_plainly(on, mentee_profile, mentor):
    graduate(mentee_profile, mentor, note="one")
    with pytest.raises(ValidationError) as refused:
        graduate(mentee_profile, mentor, note="two")
    assert refused.value.messages == [
        "A request is already waiting for approval: withdraw it (or have it rejected) to ask again."
    ]


def test_the_database_keeps_one_open_request_per_subject_and_action(on, mentee_profile, mentor):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRequest.objects.create(
            program_id=request.program_id,
            action=request.action,
            mentee=mentee_profile,
            requested_by=mentor,
        )


def test_the_approvers_are_notified_and_the_asker_is_not(
    on, mentee_profile, mentor, coordinator, supervised
):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    notified = set(
        Notification.objects.filter(kind="approval_requested", subject_id=request.pk).values_list(
            "recipient_id", flat=True
        )
    )
    assert notified == {coordinator.pk, supervised.pk}


# --- Deciding ---------------------------------------------------------------------


def test_the_supervisor_approves_and_the_mentee_graduates(on, mentee_profile, mentor, supervised):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor, note="well done"))
    decided = services.approval_decide(
        approval=request, by=supervised, approve=True, comment="Agreed in supervision."
    )
    assert (decided.status, decided.decided_by_id, decided.decided_at) == (
        "approved",
        supervised.pk,
        NOW,
    )
    mentee_profile.refresh_from_db()
    assert (mentee_profile.status, mentee_profile.status_changed_on) == ("graduated", TODAY)
    change = MenteeStatusChange.objects.get(mentee=mentee_profile, to_status="graduated")
    assert (change.changed_by_id, change.note) == (mentor.pk, "well done")
    assert not mentee_profile.assignments.active().exists()
    assert Notification.objects.filter(
        kind="approval_decided", recipient=mentor, subject_id=request.pk, due_key="approved"
    ).exists()


def test_a_coordinator_rejects_and_nothing_changes(on, mentee_profile, mentor, coordinator):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    decided = services.approval_decide(
        approval=request, by=coordinator, approve=False, comment="Not yet."
    )
    assert decided.status == "rejected"
    assert status_of(mentee_profile) == "active"
    # Asked again afterwards: a new request.
    again = approvals.approval_request_of(graduate(mentee_profile, mentor))
    assert again.pk != request.pk


def test_a_decision_needs_a_comment(on, mentee_profile, mentor, coordinator):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    with pytest.raises(ValidationError) as refused:
        services.approval_decide(approval=request, by=coordinator, approve=True, comment="  ")
    assert refused.value.message_dict == {"comment": ["Write a comment with the decision."]}
    assert status_of(mentee_profile) == "active"


def test_the_asker_cannot_decide(on, mentee_profile, coordinator):
    request = approvals.approval_request_of(graduate(mentee_profile, coordinator))
    with pytest.raises(PermissionDenied):
        services.approval_decide(approval=request, by=coordinator, approve=True, comment="ok")


def test_who_may_decide(
    on, mentee_profile, mentor, other_mentor, outsider, admin_user, coordinator
):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    # other_mentor does not supervise the mentor; outsider is another program's.
    for user in (other_mentor, outsider):
        with pytest.raises(PermissionDenied):
            services.approval_decide(approval=request, by=user, approve=False, comment="no")
    assert services.can_decide_approval(admin_user, request)
    assert services.can_decide_approval(coordinator, request)


def test_a_former_supervisor_cannot_decide(on, mentee_profile, mentor, coordinator, supervised):
    from tests.mentorship.factories import make_mentor

    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    supervise(mentor, make_mentor(mentee_profile.program, full_name="New Sup"), coordinator)
    assert not services.can_decide_approval(supervised, request)


def test_two_approvers_at_once_the_second_is_answered_like_the_first(
    on, mentee_profile, mentor, coordinator, supervised
):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    services.approval_decide(approval=request, by=coordinator, approve=True, comment="yes")
    again = services.approval_decide(approval=request, by=supervised, approve=True, comment="yes")
    assert (again.status, again.decided_by_id) == ("approved", coordinator.pk)
    assert MenteeStatusChange.objects.filter(to_status="graduated").count() == 1
    with pytest.raises(ValidationError) as refused:
        services.approval_decide(approval=request, by=supervised, approve=False, comment="no")
    assert refused.value.messages == ["This request is already approved."]


def test_approval_fails_plainly_when_the_mentee_was_closed_meanwhile(
    on, mentee_profile, mentor, coordinator, program
):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    # Approvals turned off, a coordinator discharges directly meanwhile.
    program.supervision_settings.approvals_required = False
    program.supervision_settings.save()
    mentorship_services.mentee_transition(
        mentee=mentee_profile, to_status="discharged", reason="moved", changed_by=coordinator
    )
    with pytest.raises(ValidationError) as refused:
        services.approval_decide(approval=request, by=coordinator, approve=True, comment="ok")
    assert refused.value.messages == [
        "This cannot be approved now: A mentee who is discharged cannot become graduated."
    ]
    request.refresh_from_db()
    assert (request.status, request.decided_by_id) == ("requested", None)
    assert status_of(mentee_profile) == "discharged"


def test_approval_fails_when_the_asking_mentor_was_replaced(
    on, mentee_profile, mentor, other_mentor, coordinator
):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    mentorship_services.assignment_create(
        mentee=mentee_profile, mentor=other_mentor, assigned_by=coordinator, end_reason="reassigned"
    )
    with pytest.raises(ValidationError) as refused:
        services.approval_decide(approval=request, by=coordinator, approve=True, comment="ok")
    assert "may no longer do this" in refused.value.messages[0]
    assert status_of(mentee_profile) == "active"


def test_the_asker_withdraws(on, mentee_profile, mentor, coordinator):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    with pytest.raises(PermissionDenied):
        services.approval_withdraw(approval=request, by=coordinator)
    withdrawn = services.approval_withdraw(approval=request, by=mentor)
    assert (withdrawn.status, withdrawn.decided_by_id) == ("withdrawn", mentor.pk)
    with pytest.raises(ValidationError) as refused:
        services.approval_decide(approval=request, by=coordinator, approve=True, comment="ok")
    assert refused.value.messages == ["This request is already withdrawn."]


# --- Plans --------------------------------------------------------------------------


def test_activating_a_plan_waits_and_approval_activates_it(on, mentee_profile, mentor, coordinator):
    plan = make_plan(mentee_profile, mentor, active=False)
    request = approvals.approval_request_of(
        plan_services.plan_activate(plan=plan, activated_by=mentor)
    )
    assert (request.action, request.plan_id) == ("plan_activation", plan.pk)
    assert RecoveryPlan.objects.get(pk=plan.pk).status == "draft"
    services.approval_decide(approval=request, by=coordinator, approve=True, comment="Good plan.")
    assert RecoveryPlan.objects.get(pk=plan.pk).status == "active"


def test_a_plan_changed_after_asking_is_not_approved(on, mentee_profile, mentor, coordinator):
    plan = make_plan(mentee_profile, mentor, active=False)
    request = approvals.approval_request_of(
        plan_services.plan_activate(plan=plan, activated_by=mentor)
    )
    plan_services.goal_add(plan=plan, by=mentor, domain="home", description="PHI-MARKER new")
    with pytest.raises(ValidationError) as refused:
        services.approval_decide(approval=request, by=coordinator, approve=True, comment="ok")
    assert refused.value.messages == [
        "This cannot be approved now: The plan was changed after approval was asked for: "
        "reject this request and ask again."
    ]
    assert RecoveryPlan.objects.get(pk=plan.pk).status == "draft"


def test_a_plan_without_goals_is_refused_before_asking(on, mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor, goals=0, active=False)
    with pytest.raises(ValidationError):
        plan_services.plan_activate(plan=plan, activated_by=mentor)
    assert not ApprovalRequest.objects.exists()


# --- The database's rules, in words ----------------------------------------------------


def test_a_decided_request_says_who_and_when(on, mentee_profile, mentor):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRequest.objects.filter(pk=request.pk).update(status="approved", comment="x")


def test_nobody_approves_their_own_request_even_in_the_database(on, mentee_profile, mentor):
    request = approvals.approval_request_of(graduate(mentee_profile, mentor))
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalRequest.objects.filter(pk=request.pk).update(
            status="approved", comment="x", decided_by=mentor, decided_at=NOW
        )


def test_an_approved_discharge_keeps_the_reason_asked_for(
    on, mentee_profile, coordinator, supervised
):
    result = mentorship_services.mentee_transition(
        mentee=mentee_profile, to_status="discharged", reason="moved", changed_by=coordinator
    )
    request = approvals.approval_request_of(result)
    services.approval_decide(approval=request, by=supervised, approve=True, comment="Agreed.")
    mentee_profile.refresh_from_db()
    assert (mentee_profile.status, mentee_profile.discharge_reason) == ("discharged", "moved")
    assert not mentee_profile.assignments.active().exists()
