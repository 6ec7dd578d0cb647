"""The vocabularies of mentor and mentee profiles, in one place, so matching
compares like with like."""

from django.db import models

from certification.models import Specialization as CertificationSpecialization


class RecoveryPathway(models.TextChoices):
    TWELVE_STEP = "twelve_step", "12-step"
    SMART = "smart", "SMART Recovery"
    MEDICATION = "medication", "medication-assisted"
    FAITH = "faith", "faith-based"
    HARM_REDUCTION = "harm_reduction", "harm reduction"
    OTHER = "other", "other"


class LivedExperience(models.TextChoices):
    """Areas of lived experience. The substance ones double as a mentee's
    substances of concern, so a shared area is a shared experience."""

    ALCOHOL = "alcohol", "alcohol"
    OPIOIDS = "opioids", "opioids"
    STIMULANTS = "stimulants", "stimulants (meth, cocaine)"
    CANNABIS = "cannabis", "cannabis"
    BENZODIAZEPINES = "benzodiazepines", "benzodiazepines"
    NICOTINE = "nicotine", "nicotine"
    CO_OCCURRING = "co_occurring", "co-occurring mental health"
    JUSTICE = "justice", "justice involvement"
    HOUSING = "housing", "homelessness"
    PARENTING = "parenting", "parenting in recovery"


SUBSTANCES = [
    LivedExperience.ALCOHOL,
    LivedExperience.OPIOIDS,
    LivedExperience.STIMULANTS,
    LivedExperience.CANNABIS,
    LivedExperience.BENZODIAZEPINES,
    LivedExperience.NICOTINE,
]
SUBSTANCE_CHOICES = [(s.value, s.label) for s in SUBSTANCES]


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", "in person"
    TELEPHONE = "telephone", "telephone"
    TELEHEALTH = "telehealth", "telehealth"


# The Medi-Cal PSS areas of specialization: one vocabulary, kept with the
# certifications that carry them.
Specialization = CertificationSpecialization


class Gender(models.TextChoices):
    WOMAN = "woman", "woman"
    MAN = "man", "man"
    NONBINARY = "nonbinary", "non-binary"
    UNDISCLOSED = "undisclosed", "prefers not to say"


class GenderPreference(models.TextChoices):
    NONE = "", "no preference"
    WOMAN = "woman", "a woman"
    MAN = "man", "a man"
    NONBINARY = "nonbinary", "a non-binary person"


# ISO 639-1 codes (ASL has none: ISO 639-3 "ase") of the languages most spoken
# in California's peer programs.
LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "zh": "Chinese",
    "vi": "Vietnamese",
    "tl": "Tagalog",
    "ko": "Korean",
    "hy": "Armenian",
    "fa": "Persian",
    "ru": "Russian",
    "pa": "Punjabi",
    "ar": "Arabic",
    "km": "Khmer",
    "hmn": "Hmong",
    "ja": "Japanese",
    "pt": "Portuguese",
    "ase": "American Sign Language",
}
LANGUAGE_CHOICES = list(LANGUAGES.items())


class ReferralSource(models.TextChoices):
    SELF = "self", "self-referral"
    TREATMENT = "treatment", "treatment provider"
    HOSPITAL = "hospital", "hospital or emergency department"
    COURT = "court", "court or probation"
    FAMILY = "family", "family or friend"
    COMMUNITY = "community", "community organization"
    OTHER = "other", "other"


class MenteeStatus(models.TextChoices):
    REFERRED = "referred", "referred"
    ACTIVE = "active", "active"
    ON_HOLD = "on_hold", "on hold"
    DISCHARGED = "discharged", "discharged"
    GRADUATED = "graduated", "graduated"


# Which status may follow which. A discharged mentee can be referred again
# (people come back); a graduation is final.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    MenteeStatus.REFERRED: frozenset({MenteeStatus.ACTIVE, MenteeStatus.DISCHARGED}),
    MenteeStatus.ACTIVE: frozenset(
        {MenteeStatus.ON_HOLD, MenteeStatus.DISCHARGED, MenteeStatus.GRADUATED}
    ),
    MenteeStatus.ON_HOLD: frozenset({MenteeStatus.ACTIVE, MenteeStatus.DISCHARGED}),
    MenteeStatus.DISCHARGED: frozenset({MenteeStatus.REFERRED}),
    MenteeStatus.GRADUATED: frozenset(),
}
OPEN_STATUSES = (MenteeStatus.REFERRED, MenteeStatus.ACTIVE, MenteeStatus.ON_HOLD)


class DischargeReason(models.TextChoices):
    LOST_CONTACT = "lost_contact", "lost contact"
    DECLINED = "declined", "declined further services"
    MOVED = "moved", "moved out of the area"
    HIGHER_CARE = "higher_care", "referred to a higher level of care"
    INCARCERATED = "incarcerated", "incarcerated"
    DECEASED = "deceased", "deceased"
    OTHER = "other", "other"


class AssignmentEndReason(models.TextChoices):
    REASSIGNED = "reassigned", "reassigned to another mentor"
    MENTOR_LEFT = "mentor_left", "mentor left the program"
    MENTEE_REQUEST = "mentee_request", "mentee asked for a change"
    MENTOR_REQUEST = "mentor_request", "mentor asked for a change"
    MENTEE_CLOSED = "mentee_closed", "mentee discharged or graduated"
    OTHER = "other", "other"


def labels(choices, values) -> list[str]:
    lookup = dict(choices.choices) if hasattr(choices, "choices") else dict(choices)
    return [lookup.get(v, v) for v in values]


class RemoteConsent(models.TextChoices):
    """A mentee's recorded consent to peer support by telephone or video."""

    AUDIO_ONLY = "audio_only", "audio only (telephone)"
    VIDEO = "video", "audio and video (telehealth and telephone)"


# Which consent a delivery method needs: telephone takes either, telehealth video.
CONSENT_NEEDED: dict[str, set[str]] = {
    DeliveryMethod.TELEPHONE: {RemoteConsent.AUDIO_ONLY, RemoteConsent.VIDEO},
    DeliveryMethod.TELEHEALTH: {RemoteConsent.VIDEO},
}
