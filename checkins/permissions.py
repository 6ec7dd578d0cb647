"""Who reaches which check-in. Reads follow mentorship's scope (CheckIn.visible_to)."""

from django.shortcuts import get_object_or_404

from mentorship.permissions import can_manage_mentees, can_work_with_mentee  # noqa: F401

from .models import CheckIn


def get_checkin_for_user(user, pk: int) -> CheckIn:
    return get_object_or_404(
        CheckIn.objects.visible_to(user).select_related("mentee__program", "author", "mentor"),
        pk=pk,
    )


def can_read_checkin_notes(user, checkin: CheckIn) -> bool:
    """Notes and crisis notes are for staff; a mentee reads their own self check-ins."""
    if user.is_mentee:
        return checkin.author_id == user.pk
    return True


def can_correct_checkin(user, checkin: CheckIn) -> bool:
    # A collateral contact may have been disclosed under a consent: it is
    # voided and logged again, never corrected. A group check-in is the
    # group's record of one attendee: voided if they were not there.
    return checkin.author_id == user.pk and checkin.kind not in (
        CheckIn.Kind.SELF,
        CheckIn.Kind.COLLATERAL,
        CheckIn.Kind.GROUP,
    )


def can_void_checkin(user, checkin: CheckIn) -> bool:
    """Whether to offer "void": the author within the correction window, the
    program's coordinators at any time (checkins.services.checkin_void)."""
    from django.utils import timezone

    if checkin.voided_at is not None:
        return False
    if can_manage_mentees(user, checkin.mentee.program):
        return True
    return checkin.author_id == user.pk and timezone.now() <= checkin.correctable_until()
