"""Who reaches which supervision record: 404 outside reach, 403 for what one
may see but not change."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User

from .models import (
    ActionItem,
    ApprovalRequest,
    SupervisionSession,
    Supervisor,
    SupervisorAssignment,
)
from .services import (  # noqa: F401
    can_decide_approval,
    can_manage_supervision,
    current_supervisor,
)


def get_session_for_user(user, pk: int) -> SupervisionSession:
    return get_object_or_404(
        SupervisionSession.objects.visible_to(user).select_related("supervisor", "program"), pk=pk
    )


def get_supervisor_for_user(user, pk: int) -> Supervisor:
    return get_object_or_404(
        Supervisor.objects.visible_to(user).select_related("user", "program"), pk=pk
    )


def get_action_item_for_user(user, pk: int) -> ActionItem:
    sessions = SupervisionSession.objects.visible_to(user)
    return get_object_or_404(ActionItem.objects.filter(session__in=sessions), pk=pk)


def get_mentor_log_for_user(user, mentor_id: int) -> User:
    """A mentor's supervision log: the mentor, their current supervisor, the
    program's coordinators and admins; 404 for anyone else."""
    mentor = get_object_or_404(User, pk=mentor_id, role=Role.MENTOR)
    if not user.is_authenticated:
        raise Http404
    allowed = (
        user.is_admin
        or user.pk == mentor.pk
        or (user.is_coordinator and user.program_id == mentor.program_id)
        or SupervisorAssignment.objects.current()
        .filter(mentor=mentor, supervisor__user=user)
        .exists()
    )
    if not allowed:
        raise Http404
    return mentor


def can_see_supervision(user) -> bool:
    return user.is_authenticated and not user.is_mentee


# --- Follow-up requests ---------------------------------------------------------


def get_follow_up_for_user(user, pk: int):
    from .models import FollowUpRequest

    return get_object_or_404(
        FollowUpRequest.objects.visible_to(user).select_related(
            "mentor", "requested_by", "program", "mentee", "checkin", "plan"
        ),
        pk=pk,
    )


def _supervisees_mentees(user):
    """The mentees whose current mentor the user supervises now."""
    from mentorship.models import MenteeProfile

    supervised = SupervisorAssignment.objects.current().filter(
        supervisor__user=user, supervisor__ended_on__isnull=True
    )
    return MenteeProfile.objects.filter(
        assignments__ended_at__isnull=True,
        assignments__mentor__in=supervised.values("mentor_id"),
    ).values("pk")


def follow_up_targets(user, model):
    """The check-ins (or plans) a follow-up may be asked on by the user: the
    records they reach, and their supervisees' mentees'. Mentees none."""
    from django.db.models import Q

    if not user.is_authenticated or user.is_mentee:
        return model.objects.none()
    reach = model.objects.visible_to(user).values("pk")
    if user.role in (Role.COORDINATOR, Role.MENTOR):
        return model.objects.filter(Q(pk__in=reach) | Q(mentee__in=_supervisees_mentees(user)))
    return model.objects.filter(pk__in=reach)


def get_follow_up_target_for_user(user, kind: str, pk: int):
    """The check-in or plan a follow-up is asked on: 404 outside reach."""
    from checkins.models import CheckIn
    from recovery_plans.models import RecoveryPlan

    model = {"checkin": CheckIn, "plan": RecoveryPlan}.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(
        follow_up_targets(user, model).select_related("mentee__program"), pk=pk
    )


def get_approval_for_user(user, pk: int) -> ApprovalRequest:
    return get_object_or_404(
        ApprovalRequest.objects.visible_to(user).select_related(
            "requested_by", "decided_by", "plan", "mentor", "program"
        ),
        pk=pk,
    )
