"""Ranking candidate mentors for a mentee, with the reasons a person would give.

Only eligible mentors are ever ranked (eligibility.py): a full or
non-accepting mentor is never suggested, but is listed as left out with the
reasons. The weights live here and nowhere else, and every point of a score
is accounted for: what the mentor matches, what they do not (a mismatch),
and what the mentee did not say (neither).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import (
    LANGUAGES,
    DeliveryMethod,
    Gender,
    GenderPreference,
    LivedExperience,
    RecoveryPathway,
)
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
MAX_SCORE = sum(WEIGHTS.values())

# What the points of each weight are for, in the words of the page.
FOR_WHAT = {
    "language": _("a shared language"),
    "pathway": _("the same recovery pathway"),
    "lived_experience": _("shared lived experience"),
    "gender": _("the preferred gender"),
    "delivery_method": _("the preferred way to meet"),
    "county": _("the same county"),
    "free_capacity": _("free places, in proportion"),
}

CURRENT_MENTOR = _("already this mentee's mentor")


@dataclass(frozen=True)
class ScaleStep:
    """One line of the score's scale: `points` at most for `label`."""

    criterion: str
    label: str
    points: int


SCALE = [ScaleStep(key, FOR_WHAT[key], weight) for key, weight in WEIGHTS.items()]


@dataclass(frozen=True)
class ScorePart:
    """What one criterion gave a mentor: `points` of `out_of`, and why.
    `matched` is True (a match), False (a mismatch) or None (nothing to match:
    the mentee said nothing, or free places, which are a share)."""

    criterion: str
    points: int
    out_of: int
    matched: bool | None
    reason: str = ""


@dataclass(frozen=True)
class MatchSuggestion:
    mentor_profile: MentorProfile
    score: int
    reasons: list[str]  # the matches, then the free places
    free_places: int
    mismatches: list[str] = field(default_factory=list)
    points: list[ScorePart] = field(default_factory=list)
    max_score: int = MAX_SCORE

    @property
    def mentor(self):
        return self.mentor_profile.user


@dataclass(frozen=True)
class LeftOut:
    """A mentor of the program who is not suggested, and every reason why."""

    mentor_profile: MentorProfile
    reasons: list[str]

    @property
    def mentor(self):
        return self.mentor_profile.user


@dataclass(frozen=True)
class Matching:
    """The suggestions for a mentee, best first; the mentors of the program
    left out, by name; the criteria the mentee has nothing recorded for."""

    suggestions: list[MatchSuggestion]
    left_out: list[LeftOut]
    not_recorded: list[str]
    max_score: int = MAX_SCORE
    scale: list[ScaleStep] = field(default_factory=lambda: list(SCALE))


# Each criterion says whether a mentor meets what the mentee asked for, and
# in which words: (True, "speaks Spanish") or (False, "does not speak Spanish").
Verdict = tuple[bool, str]


def _language(mentee: MenteeProfile, profile: MentorProfile) -> Verdict:
    name = LANGUAGES.get(mentee.preferred_language, mentee.preferred_language)
    if mentee.preferred_language in profile.languages:
        return True, gettext("speaks %(language)s") % {"language": name}
    return False, gettext("does not speak %(language)s") % {"language": name}


def _pathway(mentee: MenteeProfile, profile: MentorProfile) -> Verdict:
    label = RecoveryPathway(mentee.recovery_pathway).label
    if mentee.recovery_pathway in profile.recovery_pathways:
        return True, gettext("shares the %(pathway)s pathway") % {"pathway": label}
    return False, gettext("does not share the %(pathway)s pathway") % {"pathway": label}


def _lived_experience(mentee: MenteeProfile, profile: MentorProfile) -> Verdict:
    shared = [s for s in mentee.substances_of_concern if s in profile.lived_experience_areas]
    if shared:
        named = ", ".join(str(LivedExperience(s).label) for s in shared)
        return True, gettext("lived experience with %(areas)s") % {"areas": named}
    named = ", ".join(str(LivedExperience(s).label) for s in mentee.substances_of_concern)
    return False, gettext("no lived experience with %(areas)s") % {"areas": named}


# How a mentor's gender reads after "is" (GenderPreference says "a woman").
_IS = {Gender.WOMAN: _("a woman"), Gender.MAN: _("a man"), Gender.NONBINARY: _("non-binary")}


def _gender(mentee: MenteeProfile, profile: MentorProfile) -> Verdict:
    preferred = GenderPreference(mentee.mentor_gender_preference).label
    said = {"preferred": preferred}
    if profile.gender == mentee.mentor_gender_preference:
        return True, gettext("is %(preferred)s, as preferred") % said
    if not profile.gender:
        return False, gettext("gender not recorded, %(preferred)s preferred") % said
    if profile.gender == Gender.UNDISCLOSED:
        return False, gettext("prefers not to say their gender, %(preferred)s preferred") % said
    is_ = _IS[Gender(profile.gender)]
    return False, gettext("is %(is)s, not %(preferred)s as preferred") % {**said, "is": is_}


def _delivery_method(mentee: MenteeProfile, profile: MentorProfile) -> Verdict:
    label = DeliveryMethod(mentee.preferred_delivery_method).label
    if mentee.preferred_delivery_method in profile.delivery_methods:
        return True, gettext("offers %(method)s as preferred") % {"method": label}
    return False, gettext("does not offer %(method)s, which is preferred") % {"method": label}


def _county(mentee: MenteeProfile, profile: MentorProfile) -> Verdict:
    if not profile.county:
        return False, gettext("county not recorded")
    if mentee.county.lower() == profile.county.lower():
        return True, gettext("same county")
    return False, gettext("works in %(county)s, not %(asked)s") % {
        "county": profile.county,
        "asked": mentee.county,
    }


# Each criterion: the mentee's field it answers, and how a mentor fares. A
# mentee who said nothing there gets no match and no mismatch from anyone.
CRITERIA: dict[str, tuple[str, Callable[[MenteeProfile, MentorProfile], Verdict]]] = {
    "language": ("preferred_language", _language),
    "pathway": ("recovery_pathway", _pathway),
    "lived_experience": ("substances_of_concern", _lived_experience),
    "gender": ("mentor_gender_preference", _gender),
    "delivery_method": ("preferred_delivery_method", _delivery_method),
    "county": ("county", _county),
}


def score_parts(mentee: MenteeProfile, profile: MentorProfile) -> list[ScorePart]:
    """What each criterion gives one mentor for this mentee, in the order of
    WEIGHTS; `profile` carries `active_caseload`."""
    parts = []
    for criterion, (asked, verdict) in CRITERIA.items():
        weight = WEIGHTS[criterion]
        if not getattr(mentee, asked):
            parts.append(ScorePart(criterion, 0, weight, None))
            continue
        matched, reason = verdict(mentee, profile)
        parts.append(ScorePart(criterion, weight if matched else 0, weight, matched, reason))
    free = max(profile.caseload_capacity - profile.active_caseload, 0)
    weight = WEIGHTS["free_capacity"]
    parts.append(
        ScorePart(
            "free_capacity",
            round(weight * free / profile.caseload_capacity),
            weight,
            None,
            gettext("%(free)s of %(capacity)s places free")
            % {"free": free, "capacity": profile.caseload_capacity},
        )
    )
    return parts


def matching_for(mentee: MenteeProfile, *, current_mentor_ids: set[int] | None = None) -> Matching:
    """Every mentor of the mentee's program (and only of it): the eligible
    ones ranked, best match first, the others left out with their reasons
    (the current mentor too). Two queries for the mentors whatever their
    number, one more for the current mentor unless the caller knows it."""
    if current_mentor_ids is None:
        current_mentor_ids = set(mentee.assignments.active().values_list("mentor_id", flat=True))
    suggestions: list[MatchSuggestion] = []
    left_out: list[LeftOut] = []
    for profile in program_mentors_with_eligibility(mentee.program):
        if profile.user_id in current_mentor_ids:
            left_out.append(LeftOut(profile, [str(CURRENT_MENTOR)]))
            continue
        if profile.ineligible_because:
            left_out.append(LeftOut(profile, profile.ineligible_because))
            continue
        parts = score_parts(mentee, profile)
        suggestions.append(
            MatchSuggestion(
                profile,
                score=sum(p.points for p in parts),
                reasons=[p.reason for p in parts if p.matched is not False and p.reason],
                free_places=profile.free_places,
                mismatches=[p.reason for p in parts if p.matched is False],
                points=parts,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, -s.free_places, s.mentor.full_name))
    not_recorded = [
        str(FOR_WHAT[c]) for c, (asked, _unused) in CRITERIA.items() if not getattr(mentee, asked)
    ]
    return Matching(suggestions, left_out, not_recorded)


def match_suggestions(
    mentee: MenteeProfile, *, current_mentor_ids: set[int] | None = None
) -> list[MatchSuggestion]:
    """Eligible mentors of the mentee's program, best match first, without the
    current mentor (pass `current_mentor_ids` when the caller already knows it)."""
    return matching_for(mentee, current_mentor_ids=current_mentor_ids).suggestions
