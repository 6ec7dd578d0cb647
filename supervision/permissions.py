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


def get_approval_for_user(user, pk: int) -> ApprovalRequest:
    return get_object_or_404(
        ApprovalRequest.objects.visible_to(user).select_related(
            "requested_by", "decided_by", "plan", "mentor", "program"
        ),
        pk=pk,
    )
