"""Mentorship's rules on the people page (accounts.people_rules): a mentor
hands their mentees over before leaving the role or the site, and anyone made
a mentor gets a mentor profile."""

from accounts.models import Role, User
from accounts.people_rules import Change

from . import services
from .models import Assignment


def mentees_to_hand_over(person: User, *, change: Change, by: User) -> str:
    if change.action not in ("deactivate", "role") or person.role != Role.MENTOR:
        return ""
    count = Assignment.objects.active().filter(mentor=person).count()
    if count == 0:
        return ""
    mentees = "mentee" if count == 1 else "mentees"
    what = "deactivating them" if change.action == "deactivate" else "changing their role"
    return (
        f"{person} mentors {count} {mentees}: hand {'them' if count > 1 else 'the mentee'} "
        f"over to another mentor before {what}."
    )


def give_new_mentors_a_profile(person: User, *, change: Change, by: User) -> None:
    if change.action == "role" and change.role == Role.MENTOR:
        services.mentor_profile_ensure(user=person)


def register() -> None:
    from accounts.people_rules import register_after_change, register_refusal

    register_refusal("mentorship.mentees_to_hand_over", mentees_to_hand_over)
    register_after_change("mentorship.mentor_profile", give_new_mentors_a_profile)
