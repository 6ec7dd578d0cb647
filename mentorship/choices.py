"""The vocabularies of mentor and mentee profiles, in one place, so matching
compares like with like."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certification.models import Specialization as CertificationSpecialization


class RecoveryPathway(models.TextChoices):
    TWELVE_STEP = "twelve_step", _("12-step")
    SMART = "smart", _("SMART Recovery")
    MEDICATION = "medication", _("medication-assisted")
    FAITH = "faith", _("faith-based")
    HARM_REDUCTION = "harm_reduction", _("harm reduction")
    OTHER = "other", _("other")


class LivedExperience(models.TextChoices):
    """Areas of lived experience. The substance ones double as a mentee's
    substances of concern, so a shared area is a shared experience."""

    ALCOHOL = "alcohol", _("alcohol")
    OPIOIDS = "opioids", _("opioids")
    STIMULANTS = "stimulants", _("stimulants (meth, cocaine)")
    CANNABIS = "cannabis", _("cannabis")
    BENZODIAZEPINES = "benzodiazepines", _("benzodiazepines")
    NICOTINE = "nicotine", _("nicotine")
    CO_OCCURRING = "co_occurring", _("co-occurring mental health")
    JUSTICE = "justice", _("justice involvement")
    HOUSING = "housing", _("homelessness")
    PARENTING = "parenting", _("parenting in recovery")


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
    IN_PERSON = "in_person", _("in person")
    TELEPHONE = "telephone", _("telephone")
    TELEHEALTH = "telehealth", _("telehealth")


# The Medi-Cal PSS areas of specialization: one vocabulary, kept with the
# certifications that carry them.
Specialization = CertificationSpecialization


class Gender(models.TextChoices):
    WOMAN = "woman", _("woman")
    MAN = "man", _("man")
    NONBINARY = "nonbinary", _("non-binary")
    UNDISCLOSED = "undisclosed", _("prefers not to say")


class GenderPreference(models.TextChoices):
    NONE = "", _("no preference")
    WOMAN = "woman", _("a woman")
    MAN = "man", _("a man")
    NONBINARY = "nonbinary", _("a non-binary person")


# ISO 639-1 codes (ASL has none: ISO 639-3 "ase") of the languages most spoken
# in California's peer programs.
LANGUAGES = {
    "en": _("English"),
    "es": _("Spanish"),
    "zh": _("Chinese"),
    "vi": _("Vietnamese"),
    "tl": _("Tagalog"),
    "ko": _("Korean"),
    "hy": _("Armenian"),
    "fa": _("Persian"),
    "ru": _("Russian"),
    "pa": _("Punjabi"),
    "ar": _("Arabic"),
    "km": _("Khmer"),
    "hmn": _("Hmong"),
    "ja": _("Japanese"),
    "pt": _("Portuguese"),
    "ase": _("American Sign Language"),
}
LANGUAGE_CHOICES = list(LANGUAGES.items())


class ReferralSource(models.TextChoices):
    SELF = "self", _("self-referral")
    TREATMENT = "treatment", _("treatment provider")
    HOSPITAL = "hospital", _("hospital or emergency department")
    COURT = "court", _("court or probation")
    FAMILY = "family", _("family or friend")
    COMMUNITY = "community", _("community organization")
    OTHER = "other", _("other")


class MenteeStatus(models.TextChoices):
    # A person's status: in Spanish its words agree with the person.
    REFERRED = "referred", pgettext_lazy("mentee status", "referred")
    ACTIVE = "active", pgettext_lazy("mentee status", "active")
    ON_HOLD = "on_hold", pgettext_lazy("mentee status", "on hold")
    DISCHARGED = "discharged", pgettext_lazy("mentee status", "discharged")
    GRADUATED = "graduated", pgettext_lazy("mentee status", "graduated")


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
    LOST_CONTACT = "lost_contact", _("lost contact")
    DECLINED = "declined", _("declined further services")
    MOVED = "moved", _("moved out of the area")
    HIGHER_CARE = "higher_care", _("referred to a higher level of care")
    INCARCERATED = "incarcerated", _("incarcerated")
    DECEASED = "deceased", _("deceased")
    OTHER = "other", _("other")


class AssignmentEndReason(models.TextChoices):
    REASSIGNED = "reassigned", _("reassigned to another mentor")
    MENTOR_LEFT = "mentor_left", _("mentor left the program")
    MENTEE_REQUEST = "mentee_request", _("mentee asked for a change")
    MENTOR_REQUEST = "mentor_request", _("mentor asked for a change")
    MENTEE_CLOSED = "mentee_closed", _("mentee discharged or graduated")
    OTHER = "other", _("other")


def labels(choices, values) -> list[str]:
    """The labels of `values`, in the reader's language."""
    lookup = dict(choices.choices) if hasattr(choices, "choices") else dict(choices)
    return [str(lookup.get(v, v)) for v in values]


class RemoteConsent(models.TextChoices):
    """A mentee's recorded consent to peer support by telephone or video."""

    AUDIO_ONLY = "audio_only", _("audio only (telephone)")
    VIDEO = "video", _("audio and video (telehealth and telephone)")


# Which consent a delivery method needs: telephone takes either, telehealth video.
CONSENT_NEEDED: dict[str, set[str]] = {
    DeliveryMethod.TELEPHONE: {RemoteConsent.AUDIO_ONLY, RemoteConsent.VIDEO},
    DeliveryMethod.TELEHEALTH: {RemoteConsent.VIDEO},
}
