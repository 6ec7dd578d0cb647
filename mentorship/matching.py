"""Ranking candidate mentors for a mentee, with the reasons a person would give.

Only eligible mentors are ever ranked (eligibility.py): a full or
non-accepting mentor is never suggested. The weights live here and nowhere else.
"""

from dataclasses import dataclass

from .choices import LANGUAGES, DeliveryMethod, GenderPreference, LivedExperience, RecoveryPathway
from .eligibility import program_mentors_with_eligibility
from .models import MenteeProfile, MentorProfile

WEIGHTS = {
    "language": 30,  # a shared language matters most: no mentorship without it
    "pathway": 25,
    "lived_experience": 15,
    "gender": 10,
    "delivery_method": 10,
    "county": 5,
    "free_capacity": 5,  # scaled by the share of places free
}


@dataclass(frozen=True)
class MatchSuggestion:
    mentor_profile: MentorProfile
    score: int
    reasons: list[str]
    free_places: int

    @property
    def mentor(self):
        return self.mentor_profile.user


def score_mentor(mentee: MenteeProfile, profile: MentorProfile) -> tuple[int, list[str]]:
    """Score one eligible mentor for this mentee; `profile` carries `active_caseload`."""
    score, reasons = 0, []
    if mentee.preferred_language and mentee.preferred_language in profile.languages:
        score += WEIGHTS["language"]
        reasons.append(
            f"speaks {LANGUAGES.get(mentee.preferred_language, mentee.preferred_language)}"
        )
    if mentee.recovery_pathway and mentee.recovery_pathway in profile.recovery_pathways:
        score += WEIGHTS["pathway"]
        reasons.append(f"shares the {RecoveryPathway(mentee.recovery_pathway).label} pathway")
    shared = [s for s in mentee.substances_of_concern if s in profile.lived_experience_areas]
    if shared:
        score += WEIGHTS["lived_experience"]
        names = ", ".join(LivedExperience(s).label for s in shared)
        reasons.append(f"lived experience with {names}")
    if mentee.mentor_gender_preference and profile.gender == mentee.mentor_gender_preference:
        score += WEIGHTS["gender"]
        reasons.append(
            f"is {GenderPreference(mentee.mentor_gender_preference).label}, as preferred"
        )
    if (
        mentee.preferred_delivery_method
        and mentee.preferred_delivery_method in profile.delivery_methods
    ):
        score += WEIGHTS["delivery_method"]
        label = DeliveryMethod(mentee.preferred_delivery_method).label
        reasons.append(f"offers {label} as preferred")
    if mentee.county and profile.county and mentee.county.lower() == profile.county.lower():
        score += WEIGHTS["county"]
        reasons.append("same county")
    free = max(profile.caseload_capacity - profile.active_caseload, 0)
    score += round(WEIGHTS["free_capacity"] * free / profile.caseload_capacity)
    reasons.append(f"{free} of {profile.caseload_capacity} places free")
    return score, reasons


def match_suggestions(
    mentee: MenteeProfile, *, current_mentor_ids: set[int] | None = None
) -> list[MatchSuggestion]:
    """Eligible mentors of the mentee's program, best match first, without the
    current mentor (pass `current_mentor_ids` when the caller already knows it)."""
    if current_mentor_ids is None:
        current_mentor_ids = set(mentee.assignments.active().values_list("mentor_id", flat=True))
    suggestions = []
    for profile in program_mentors_with_eligibility(mentee.program):
        if profile.ineligible_because or profile.user_id in current_mentor_ids:
            continue
        score, reasons = score_mentor(mentee, profile)
        suggestions.append(MatchSuggestion(profile, score, reasons, profile.free_places))
    suggestions.sort(key=lambda s: (-s.score, -s.free_places, s.mentor.full_name))
    return suggestions
