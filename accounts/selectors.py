"""Reads for views, API and tasks, always scoped to the viewing user."""

from django.db.models import Count, Q, QuerySet

from .models import Invitation, InvitationQuerySet, Program, ProgramQuerySet, Role, User


def program_list(*, user: User) -> ProgramQuerySet:
    """Programs the user may see, each with its member counts per role."""
    return Program.objects.visible_to(user).annotate(
        coordinator_count=Count("members", filter=Q(members__role=Role.COORDINATOR)),
        mentor_count=Count("members", filter=Q(members__role=Role.MENTOR)),
        mentee_count=Count("members", filter=Q(members__role=Role.MENTEE)),
    )


def user_list(*, user: User) -> QuerySet[User]:
    return User.objects.visible_to(user).select_related("program")


def program_members(*, user: User, program: Program) -> QuerySet[User]:
    return user_list(user=user).filter(program=program).order_by("role", "full_name")


def invitation_list(*, user: User) -> InvitationQuerySet:
    return Invitation.objects.visible_to(user).select_related("program", "invited_by")


def pending_invitation_list(*, user: User) -> QuerySet[Invitation]:
    return invitation_list(user=user).pending()


def user_counts_by_role(*, user: User) -> dict[str, int]:
    """{role: count} of the users the viewer may see, in one query."""
    rows = User.objects.visible_to(user).values("role").annotate(n=Count("pk"))
    counts = {role: 0 for role in Role.values}
    counts.update({row["role"]: row["n"] for row in rows})
    return counts
