"""Who may see and change mentor and mentee records."""

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from core import approvals

from .choices import MenteeStatus
from .models import Assignment, MenteeProfile, MentorProfile

# Set by get_mentee_for_user(..., with_mentor_check=True): (the user's id,
# whether they are the mentee's current mentor), read by is_current_mentor.
CURRENT_MENTOR_ATTRIBUTE = "_current_mentor_check"


def get_mentee_for_user(user, pk: int, *, with_mentor_check: bool = False) -> MenteeProfile:
    """The mentee if in the user's reach, else 404. `with_mentor_check`: the
    same query also answers is_current_mentor for this user (a page that
    asks can_work_with_mentee saves a query)."""
    mentees = MenteeProfile.objects.visible_to(user).select_related("program", "user")
    checked = with_mentor_check and user.is_authenticated and user.is_mentor
    if checked:
        mentees = mentees.annotate(
            user_is_current_mentor=Exists(
                Assignment.objects.filter(
                    mentee=OuterRef("pk"), mentor=user.pk, ended_at__isnull=True
                )
            )
        )
    mentee = get_object_or_404(mentees, pk=pk)
    if checked:
        setattr(mentee, CURRENT_MENTOR_ATTRIBUTE, (user.pk, mentee.user_is_current_mentor))
    return mentee


def get_mentor_profile_for_user(user, pk: int) -> MentorProfile:
    return get_object_or_404(
        MentorProfile.objects.visible_to(user).select_related("user__program"), pk=pk
    )


def get_assignment_for_user(user, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.visible_to(user).select_related("mentee__program", "mentor"), pk=pk
    )


def can_manage_mentees(user, program) -> bool:
    """Intake, status, assignment: the program's coordinators, and admins."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (user.is_coordinator and user.program_id == program.pk)


def can_list_mentees(user) -> bool:
    return user.is_authenticated and (user.is_admin or user.is_coordinator or user.is_mentor)


def can_see_private_mentor_fields(user, profile: MentorProfile) -> bool:
    """The recovery start date and eligibility: the mentor, their coordinators, admins."""
    return (
        user.is_admin
        or profile.user_id == user.pk
        or (user.is_coordinator and user.program_id == profile.user.program_id)
    )


def can_edit_mentor_profile(user, profile: MentorProfile) -> bool:
    return profile.user_id == user.pk


def can_set_mentor_capacity(user, profile: MentorProfile) -> bool:
    return user.is_admin or (user.is_coordinator and user.program_id == profile.user.program_id)


def is_current_mentor(user, mentee: MenteeProfile) -> bool:
    if not (user.is_authenticated and user.is_mentor):
        return False
    checked_for, answer = getattr(mentee, CURRENT_MENTOR_ATTRIBUTE, (None, False))
    if checked_for == user.pk:
        return answer
    return Assignment.objects.filter(mentee=mentee, mentor=user, ended_at__isnull=True).exists()


def can_work_with_mentee(user, mentee: MenteeProfile) -> bool:
    """Log check-ins, record consent and assessments: the current mentor, the
    program's coordinators and admins."""
    return can_manage_mentees(user, mentee.program) or is_current_mentor(user, mentee)


# The status changes a program may put behind an approval (core.approvals).
GATED_STATUSES: dict[str, str] = {
    MenteeStatus.DISCHARGED: approvals.MENTEE_DISCHARGE,
    MenteeStatus.GRADUATED: approvals.MENTEE_GRADUATION,
}


def can_request_status(user, mentee: MenteeProfile, to_status: str) -> bool:
    """Who may ask for (or make) this change: the program's coordinators; and,
    where a close needs approval, the mentee's current mentor too."""
    if can_manage_mentees(user, mentee.program):
        return True
    return (
        to_status in GATED_STATUSES
        and approvals.required(mentee.program)
        and is_current_mentor(user, mentee)
    )
