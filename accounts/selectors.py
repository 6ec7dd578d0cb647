"""Reads for views, API and tasks, always scoped to the viewing user."""

from datetime import date, datetime

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from core.dates import local_today

from .models import (
    ApiTokenLabel,
    Invitation,
    InvitationQuerySet,
    Program,
    ProgramQuerySet,
    Role,
    User,
)


def program_days(now: datetime | None = None) -> list[tuple[str, date]]:
    """For the sweeps: each time zone the programs are in, with its today.
    One query, however many programs share a zone (core.dates.calendars
    turns them into conditions on rows)."""
    zones = Program.objects.order_by().values_list("time_zone", flat=True).distinct()
    return [(zone, local_today(zone, now)) for zone in zones]


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
    """The program's people; `mentee_record_id` names a mentee's record, so
    that a page listing them can account for it in the audit trail."""
    return (
        user_list(user=user)
        .filter(program=program)
        .annotate(mentee_record_id=F("mentee_profile__id"))
        .order_by("role", "full_name")
    )


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


HAS_TOTP_ATTR = "_peerpath_has_totp"


def has_totp(user: User) -> bool:
    """Whether the user has an authenticator app enrolled. Remembered on the
    user object, so a request pays for this query once (or not at all, when
    the user was loaded with `totp_enrolled`)."""
    if not hasattr(user, HAS_TOTP_ATTR):
        remember_has_totp(
            user,
            Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        )
    return getattr(user, HAS_TOTP_ATTR)


def totp_enrolled(user_field: str) -> Exists:
    """An annotation: whether the user in `user_field` has TOTP (see has_totp)."""
    return Exists(
        Authenticator.objects.filter(user=OuterRef(user_field), type=Authenticator.Type.TOTP)
    )


def remember_has_totp(user: User, value: bool) -> None:
    setattr(user, HAS_TOTP_ATTR, value)


def lacks_required_second_factor(user: User) -> bool:
    """Staff (PEERPATH_MFA_REQUIRED_ROLES) without TOTP reach nothing but its set-up."""
    return user.role in settings.PEERPATH_MFA_REQUIRED_ROLES and not has_totp(user)


def api_token_list(*, user: User) -> QuerySet[ApiTokenLabel]:
    """Live personal API tokens the user may see (admins: everyone's), newest first."""
    return (
        ApiTokenLabel.objects.visible_to(user)
        .live()
        .select_related("token__user")
        .order_by("-token__created", "pk")
    )


def own_api_tokens(*, user: User) -> QuerySet[ApiTokenLabel]:
    """The user's own live tokens (an admin's list shows everyone's)."""
    return ApiTokenLabel.objects.filter(token__user=user).live()


def people_list(
    *, user: User, program_id: int | None = None, role: str = "", active: bool | None = None
) -> QuerySet[User]:
    """The people page and API: admins everyone, coordinators their program's people."""
    people = user_list(user=user).order_by("full_name", "email", "pk")
    return filter_people(people, program_id=program_id, role=role, active=active)


def filter_people(
    people: QuerySet[User],
    *,
    program_id: int | None = None,
    role: str = "",
    active: bool | None = None,
) -> QuerySet[User]:
    """The people page's filters, for the page and the API alike."""
    if program_id is not None:
        people = people.filter(program_id=program_id)
    if role:
        people = people.filter(role=role)
    if active is not None:
        people = people.filter(is_active=active)
    return people
