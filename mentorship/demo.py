"""Demo mentor and mentee profiles; most mentees assigned, two per program not.
Runs after accounts.demo (INSTALLED_APPS order). Idempotent."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Program, Role, User

from .matching import match_suggestions
from .models import Assignment, MenteeProfile, MentorProfile
from .services import assignment_create

MENTOR_PROFILES = [
    {
        "languages": ["en", "es"], "recovery_pathways": ["twelve_step", "medication"],
        "lived_experience_areas": ["opioids", "justice"], "gender": "man",
        "delivery_methods": ["in_person", "telephone"], "specializations": ["justice"],
        "years": 6, "bio": "In recovery since my thirties. I know the court system from the inside.",
    },
    {
        "languages": ["en"], "recovery_pathways": ["smart", "harm_reduction"],
        "lived_experience_areas": ["alcohol", "stimulants", "parenting"], "gender": "woman",
        "delivery_methods": ["telehealth", "telephone"], "specializations": ["family"],
        "years": 4, "bio": "Mother of two, SMART Recovery facilitator. Happy to meet online.",
    },
    {
        "languages": ["en", "vi"], "recovery_pathways": ["faith", "twelve_step"],
        "lived_experience_areas": ["alcohol", "housing", "co_occurring"], "gender": "man",
        "delivery_methods": ["in_person", "telehealth"], "specializations": ["unhoused", "crisis"],
        "years": 9, "bio": "I spent two years unhoused before finding recovery through my church.",
    },
]  # fmt: skip

MENTEE_PROFILES = [
    {"substances_of_concern": ["opioids"], "recovery_pathway": "medication", "preferred_language": "es",
     "preferred_delivery_method": "in_person", "referral_source": "treatment"},
    {"substances_of_concern": ["alcohol"], "recovery_pathway": "smart", "preferred_language": "en",
     "preferred_delivery_method": "telehealth", "mentor_gender_preference": "woman", "referral_source": "self"},
    {"substances_of_concern": ["stimulants"], "recovery_pathway": "harm_reduction", "preferred_language": "en",
     "preferred_delivery_method": "telephone", "referral_source": "hospital"},
    {"substances_of_concern": ["alcohol", "cannabis"], "recovery_pathway": "twelve_step", "preferred_language": "vi",
     "preferred_delivery_method": "in_person", "referral_source": "community"},
    {"substances_of_concern": ["opioids", "benzodiazepines"], "recovery_pathway": "twelve_step",
     "preferred_language": "en", "preferred_delivery_method": "in_person", "referral_source": "court"},
    {"substances_of_concern": ["alcohol"], "recovery_pathway": "faith", "preferred_language": "en",
     "preferred_delivery_method": "telehealth", "referral_source": "family"},
    {"substances_of_concern": ["stimulants", "alcohol"], "recovery_pathway": "smart", "preferred_language": "en",
     "preferred_delivery_method": "telephone", "mentor_gender_preference": "woman", "referral_source": "treatment"},
    {"substances_of_concern": ["opioids"], "recovery_pathway": "medication", "preferred_language": "es",
     "preferred_delivery_method": "telephone", "referral_source": "self"},
]  # fmt: skip
UNASSIGNED_PER_PROGRAM = 2


def seed_demo(report) -> None:
    today = timezone.localdate()
    for program in Program.objects.filter(pk__in=[p.pk for p in report.programs]):
        coordinator = program.members.filter(role=Role.COORDINATOR).first()
        mentors = list(program.members.filter(role=Role.MENTOR).order_by("email"))
        for mentor, spec in zip(mentors, MENTOR_PROFILES, strict=False):
            spec = dict(spec)
            years = spec.pop("years")
            MentorProfile.objects.update_or_create(
                user=mentor,
                defaults={
                    **spec,
                    "county": program.county,
                    "recovery_start_date": today - timedelta(days=365 * years),
                    "caseload_capacity": 4,
                },
            )
        mentee_users = list(program.members.filter(role=Role.MENTEE).order_by("email"))
        for n, (user, spec) in enumerate(zip(mentee_users, MENTEE_PROFILES, strict=False)):
            mentee = _mentee_for(
                user, program, coordinator, spec, intake=today - timedelta(days=90 - n)
            )
            if n < len(mentee_users) - UNASSIGNED_PER_PROGRAM and not mentee.assignments.exists():
                _assign_best(mentee, mentors, coordinator)


def _mentee_for(user: User, program, coordinator, spec, *, intake) -> MenteeProfile:
    mentee = MenteeProfile.objects.filter(user=user).first()
    if mentee is None:
        first, _, last = user.full_name.partition(" ")
        mentee = MenteeProfile.objects.create(
            program=program,
            user=user,
            created_by=coordinator,
            preferred_name=first,
            legal_name=user.full_name,
            email=user.email,
            county=program.county,
            phone="(916) 555-01" + f"{user.pk % 100:02d}",
            intake_date=intake,
            emergency_contact_name=f"A. {last}",
            emergency_contact_relationship="sibling",
            emergency_contact_phone="(916) 555-0199",
            **spec,
        )
    return mentee


def _assign_best(mentee, mentors, coordinator) -> Assignment:
    suggestions = match_suggestions(mentee)
    mentor = suggestions[0].mentor if suggestions else mentors[0]
    return assignment_create(mentee=mentee, mentor=mentor, assigned_by=coordinator)
