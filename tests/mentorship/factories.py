from datetime import timedelta

import factory

from accounts.models import Role
from mentorship.models import Assignment, MenteeProfile
from tests.accounts.factories import ProgramFactory, UserFactory, program_day


def make_mentor(program, *, certified: bool = True, **profile_fields):
    """A mentor who can take new mentees (two years in recovery, an active
    certification) unless told otherwise."""
    from tests.certification.factories import certify

    user_fields = {k: profile_fields.pop(k) for k in ("email", "full_name") if k in profile_fields}
    mentor = UserFactory(program=program, role=Role.MENTOR, **user_fields)
    if certified:
        certify(mentor)
    profile = mentor.mentor_profile
    profile.recovery_start_date = program_day() - timedelta(days=730)
    for field, value in profile_fields.items():
        setattr(profile, field, value)
    profile.save()
    return mentor


def _program_coordinator(mentee):
    existing = mentee.program.members.filter(role=Role.COORDINATOR).first()
    return existing or UserFactory(coordinator=True, program=mentee.program)


class MenteeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteeProfile

    program = factory.SubFactory(ProgramFactory)
    preferred_name = factory.Faker("first_name")
    legal_name = factory.Faker("name")
    county = "Sacramento"
    preferred_language = "en"
    created_by = factory.LazyAttribute(_program_coordinator)
    intake_date = factory.LazyFunction(program_day)
    status_changed_on = factory.LazyFunction(program_day)


def assign(mentee, mentor, *, by=None) -> Assignment:
    """Set up an active assignment directly (the rules are tested on the service)."""
    return Assignment.objects.create(
        mentee=mentee,
        mentor=mentor,
        assigned_by=by or _program_coordinator(mentee),
        started_on=program_day(),
    )


def make_status_change(mentee_profile):
    """A line of the status history, as mentee_transition writes it."""
    from mentorship.models import MenteeStatusChange

    return MenteeStatusChange.objects.create(
        mentee=mentee_profile,
        from_status="referred",
        to_status="active",
        changed_on=mentee_profile.intake_date,
        changed_by=mentee_profile.created_by,
    )
