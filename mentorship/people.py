"""Mentorship's rules on the people page (accounts.people_rules): a mentor
hands their mentees over before leaving the role or the site, and anyone made
a mentor gets a mentor profile."""

from accounts.models import Role, User
from accounts.people_rules import Change

from . import services
from .models import Assignment, MenteeProfile, MentorProfile


def mentees_to_hand_over(person: User, *, change: Change, by: User) -> str:
    if change.action not in ("deactivate", "role", "move") or person.role != Role.MENTOR:
        return ""
    # The person's login is locked (accounts.services._lock_person), and
    # assignment_create locks it before deciding, so that a mentee assigned at
    # this moment is either counted here or refused there. The profile after
    # the login, in assignment_create's order.
    MentorProfile.objects.select_for_update(of=("self",)).filter(user=person).order_by().first()
    count = Assignment.objects.active().filter(mentor=person).count()
    if count == 0:
        return ""
    mentees = "mentee" if count == 1 else "mentees"
    what = {
        "deactivate": "deactivating them",
        "role": "changing their role",
        "move": "moving them to another program",
    }[change.action]
    return (
        f"{person} mentors {count} {mentees}: hand {'them' if count > 1 else 'the mentee'} "
        f"over to another mentor before {what}."
    )


# The summary goes into the ended assignment's note, after "Moved to <program>."
HANDOFF_SUMMARY_MAX = 400


def handoff_summary_for_a_moving_mentee(person: User, *, change: Change, by: User) -> str:
    if change.action != "move" or person.role != Role.MENTEE:
        return ""
    if len(change.handoff_summary) > HANDOFF_SUMMARY_MAX:
        return f"Keep the handoff summary to {HANDOFF_SUMMARY_MAX} characters."
    # Lock the record before reading its assignment, as assignment_create
    # does: a mentor assigned at this moment is seen here (and asks for the
    # summary), or the assignment waits and finds the mentee moved.
    MenteeProfile.objects.select_for_update(of=("self",)).filter(user=person).order_by().first()
    if change.handoff_summary:
        return ""
    if Assignment.objects.active().filter(mentee__user=person).exists():
        return (
            f"{person} has a mentor now: write a handoff summary for the next program's "
            "coordinators and mentor."
        )
    return ""


def move_the_mentee_record(person: User, *, change: Change, by: User) -> None:
    if change.action == "move" and person.role == Role.MENTEE:
        services.mentee_move_program(
            user=person,
            program=change.program,
            moved_by=by,
            handoff_summary=change.handoff_summary,
        )


def give_new_mentors_a_profile(person: User, *, change: Change, by: User) -> None:
    if change.action == "role" and change.role == Role.MENTOR:
        services.mentor_profile_ensure(user=person)


def register() -> None:
    from accounts.people_rules import register_after_change, register_refusal

    register_refusal("mentorship.mentees_to_hand_over", mentees_to_hand_over)
    register_refusal("mentorship.handoff_summary", handoff_summary_for_a_moving_mentee)
    register_after_change("mentorship.mentor_profile", give_new_mentors_a_profile)
    register_after_change("mentorship.move_mentee_record", move_the_mentee_record)
