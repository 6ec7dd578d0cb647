"""The words of referrals and Part 2 consent, shared by models, forms and the API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    TREATMENT = "treatment", _("treatment")
    WITHDRAWAL = "withdrawal", _("withdrawal management")
    MAT = "mat", _("medication for addiction treatment")
    HOUSING = "housing", _("recovery housing")
    MENTAL_HEALTH = "mental_health", _("mental health")
    PRIMARY_CARE = "primary_care", _("primary care")
    BENEFITS = "benefits", _("benefits")
    EMPLOYMENT = "employment", _("employment")
    EDUCATION = "education", _("education")
    LEGAL_AID = "legal_aid", _("legal aid")
    FOOD = "food", _("food")
    TRANSPORT = "transport", _("transport")
    MUTUAL_AID = "mutual_aid", _("mutual-aid meetings")
    OTHER = "other", _("other")


# Health care providers: what a consent's general designation ("my treating
# providers") can reach, for treatment, payment and health care operations.
HEALTH_CARE_CATEGORIES = frozenset(
    {
        ServiceCategory.TREATMENT,
        ServiceCategory.WITHDRAWAL,
        ServiceCategory.MAT,
        ServiceCategory.MENTAL_HEALTH,
        ServiceCategory.PRIMARY_CARE,
    }
)


class InformationCategory(models.TextChoices):
    """What a consent lets the program disclose, in the words the form uses."""

    CONTACT = "contact", _("my contact details (phone, email)")
    ATTENDANCE = "attendance", _("whether and how often I attend check-ins")
    PLAN = "plan", _("my recovery plan goals")
    CHECKIN_SUMMARIES = "checkin_summaries", _("summaries of my check-ins (dates, how, support)")
    SUBSTANCE_USE = "substance_use", _("my substance-use information (days of use, cravings)")
    ASSESSMENTS = "assessments", _("my recovery capital assessments (BARC-10 scores)")
    ALL = "all", _("all of the above")


# The categories "all" stands for.
EVERY_CATEGORY = frozenset(InformationCategory.values) - {InformationCategory.ALL}


class Purpose(models.TextChoices):
    TREATMENT = "treatment", _("treatment, payment and health care operations")
    LINKAGE = "linkage", _("linking me to services I asked for")
    COURT = "court", _("reporting my progress to a court or probation")
    OTHER = "other", _("another purpose, stated on the form")


class RecipientKind(models.TextChoices):
    NAMED = "named", _("a named person or organisation")
    # 42 CFR 2.31(a)(4)(i) as amended in 2024: for treatment, payment and
    # health care operations a consent may name a class of recipients.
    GENERAL = "general", _("my treating providers (general designation)")


class SignedVia(models.TextChoices):
    PORTAL = "portal", _("signed by the mentee in the portal")
    STAFF = "staff", _("recorded by staff from a signed paper form")


class ReferralMode(models.TextChoices):
    WARM_HANDOFF = "warm_handoff", _("warm handoff (the program shares information)")
    INFORMATION_ONLY = "information_only", _("information given to the mentee")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    CONNECTED = "connected", _("connected")
    NOT_CONNECTED = "not_connected", _("not connected")


# Where a referral may go from each status; the last two are the outcome.
REFERRAL_NEXT: dict[ReferralStatus, set[ReferralStatus]] = {
    ReferralStatus.PROPOSED: {ReferralStatus.SENT, ReferralStatus.NOT_CONNECTED},
    ReferralStatus.SENT: {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.CONNECTED,
        ReferralStatus.NOT_CONNECTED,
    },
    ReferralStatus.ACCEPTED: {ReferralStatus.CONNECTED, ReferralStatus.NOT_CONNECTED},
    ReferralStatus.DECLINED: set(),
    ReferralStatus.CONNECTED: set(),
    ReferralStatus.NOT_CONNECTED: set(),
}
OPEN_REFERRAL_STATUSES = (ReferralStatus.PROPOSED, ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class DisclosureKind(models.TextChoices):
    REFERRAL = "referral", _("a warm-handoff referral")
    LETTER = "letter", _("a letter")
    COLLATERAL = "collateral", _("a conversation about you")
    EXPORT = "export", _("an exported summary")
