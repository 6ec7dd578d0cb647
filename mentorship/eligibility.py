"""Who may take new mentees. One rule, used by matching, assignment and the
mentor pages alike."""

from datetime import date

from django.utils.translation import gettext

from accounts.models import Program, Role
from certification.selectors import allows_new_mentees, holders_allowed_new_mentees
from core.dates import program_today

from .models import MentorProfile


def mentors_with_active_or_in_progress_certification(
    mentor_ids: set[int], *, program: Program
) -> set[int]:
    """The mentors (user ids) whose certification allows new mentees: one that
    is in progress or in good standing, not lapsed, suspended or revoked, on
    the program's calendar."""
    return holders_allowed_new_mentees(set(mentor_ids), program_today(program))


def ineligibility_reasons(
    profile: MentorProfile,
    *,
    program: Program,
    certified_ids: set[int],
    on: date | None = None,
) -> list[str]:
    """Why this mentor cannot take a new mentee now; empty when they can.

    `profile` must carry `active_caseload` (MentorProfile.objects.with_active_caseload()).
    """
    reasons = []
    if not profile.user.is_active:
        reasons.append(gettext("login is deactivated"))
    if not profile.accepting_new_mentees:
        reasons.append(gettext("not accepting new mentees"))
    if profile.active_caseload >= profile.caseload_capacity:
        reasons.append(
            gettext("caseload full (%(count)s of %(capacity)s)")
            % {"count": profile.active_caseload, "capacity": profile.caseload_capacity}
        )
    minimum = program.min_months_in_recovery
    if minimum:
        months = profile.months_in_recovery(on or program_today(program))
        if months is None:
            reasons.append(gettext("recovery start date not recorded"))
        elif months < minimum:
            reasons.append(
                gettext("%(months)s months in recovery, the program asks for %(minimum)s")
                % {"months": months, "minimum": minimum}
            )
    if profile.user_id not in certified_ids:
        reasons.append(gettext("no active or in-progress certification"))
    return reasons


def program_mentors_with_eligibility(program: Program, *, on: date | None = None):
    """Every mentor of the program, each with `active_caseload` and
    `ineligible_because` (a list; empty means eligible). One query."""
    return with_eligibility(program, mentors_with_eligibility_queryset(program), on=on)


def mentors_with_eligibility_queryset(program: Program):
    """The query of program_mentors_with_eligibility, to be read with others."""
    return (
        MentorProfile.objects.filter(user__program=program, user__role=Role.MENTOR)
        .with_active_caseload()
        .annotate(certified=allows_new_mentees("user_id", program_today(program)))
        .select_related("user")
        .order_by("user__full_name")
    )


def with_eligibility(program: Program, profiles, *, on: date | None = None) -> list:
    """The mentors read by mentors_with_eligibility_queryset, each with its
    `ineligible_because` and `free_places`."""
    profiles = list(profiles)
    certified = {profile.user_id for profile in profiles if profile.certified}
    for profile in profiles:
        profile.ineligible_because = ineligibility_reasons(
            profile, program=program, certified_ids=certified, on=on
        )
        profile.free_places = max(profile.caseload_capacity - profile.active_caseload, 0)
    return profiles
