"""Who may do what with accounts, programs and invitations.

`get_<object>_for_user` answers 404 for anything outside the user's scope, so
that existence never leaks; `can_<verb>_<object>` answers the question for
objects the user can see.
"""

from django.shortcuts import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiTokenLabel, Invitation, Program, Role, User


def get_program_for_user(user: User, pk: int) -> Program:
    return get_object_or_404(Program.objects.visible_to(user), pk=pk)


def get_invitation_for_user(user: User, pk: int) -> Invitation:
    return get_object_or_404(Invitation.objects.visible_to(user), pk=pk)


def can_manage_programs(user: User) -> bool:
    return user.is_authenticated and user.is_admin


def can_view_program_members(user: User, program: Program) -> bool:
    return user.is_admin or (user.is_coordinator and user.program_id == program.pk)


def invitable_roles(user: User) -> list[str]:
    """Roles this user may invite people into."""
    if not user.is_authenticated:
        return []
    if user.is_admin:
        return list(Role.values)
    if user.is_coordinator:
        return [Role.MENTOR, Role.MENTEE]
    return []


def can_invite(user: User, *, role: str, program: Program | None) -> bool:
    if role not in invitable_roles(user):
        return False
    if user.is_coordinator:
        return program is not None and program.pk == user.program_id
    return True


def can_revoke_invitation(user: User, invitation: Invitation) -> bool:
    return can_invite(user, role=invitation.role, program=invitation.program)


def get_api_token_for_user(user: User, pk: int) -> ApiTokenLabel:
    return get_object_or_404(ApiTokenLabel.objects.visible_to(user).select_related("token"), pk=pk)


def can_revoke_api_token(user: User, label: ApiTokenLabel) -> bool:
    """The owner and admins; the token is the owner's, so nobody else."""
    return user.is_admin or label.token.user_id == user.pk


class AdminMayChange(BasePermission):
    """Anyone may read what their scope shows; only admins create or change.

    The change check runs on the object, after the scoped lookup, so a program
    outside the caller's scope is a 404 and their own is a 403.
    """

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or view.action != "create":
            return True
        return can_manage_programs(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS or can_manage_programs(request.user)


class CanInvite(BasePermission):
    """Coordinators and admins reach the invitation API at all."""

    def has_permission(self, request, view) -> bool:
        return bool(invitable_roles(request.user))


def get_person_for_user(user: User, pk: int) -> User:
    """A person on the people page: admins anyone, coordinators their program's."""
    return get_object_or_404(User.objects.visible_to(user), pk=pk)


def can_view_people(user: User) -> bool:
    return user.is_authenticated and (user.is_admin or user.is_coordinator)


def can_manage_people(user: User) -> bool:
    """Deactivate, reactivate and change roles: admins only (coordinators read)."""
    return user.is_authenticated and user.is_admin


class PeoplePermission(BasePermission):
    """The people API, as the people page: admins and coordinators read the
    list (mentors and mentees: 403); a person outside the caller's scope is a
    404 for every method (the scoped lookup), one inside it is read by those
    who read the list and changed by admins only (403)."""

    def has_permission(self, request, view) -> bool:
        if view.action == "list":
            return can_view_people(request.user)
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return can_view_people(request.user)
        return can_manage_people(request.user)
