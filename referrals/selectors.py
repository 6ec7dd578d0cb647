"""Reads of the directory, consents, referrals and disclosures, scoped to the
viewer; and what a letter may say."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from accounts.models import User
from checkins.models import CheckIn, RecoveryCapitalAssessment, SupportType
from checkins.timeline_events import TimelineEvent
from core.dates import add_months, program_date, program_today
from mentorship.models import MenteeProfile
from recovery_plans.models import Goal, RecoveryPlan

from .choices import InformationCategory
from .consents import Recipient, consent_covering
from .models import Consent, Disclosure, Referral, Resource

# The accounting of disclosures covers this many years.
ACCOUNTING_YEARS = 3
# A letter's attendance and summaries look back this far.
LETTER_DAYS = 90


def resource_search(
    *, user: User, category: str = "", language: str = "", text: str = ""
) -> QuerySet[Resource]:
    resources = Resource.objects.visible_to(user).select_related("program")
    if category:
        resources = resources.in_category(category)
    if language:
        resources = resources.speaking(language)
    for word in text.split()[:5]:
        resources = resources.filter(
            Q(organisation__icontains=word) | Q(notes__icontains=word) | Q(address__icontains=word)
        )
    return resources.order_by("organisation", "pk")


def consents_of(*, mentee: MenteeProfile) -> list[Consent]:
    return list(
        Consent.objects.filter(mentee=mentee).select_related(
            "recipient_resource", "recorded_by", "revoked_by"
        )
    )


def referrals_of(*, mentee: MenteeProfile) -> QuerySet[Referral]:
    return Referral.objects.filter(mentee=mentee).select_related("resource", "referred_by")


def referral_list(*, user: User) -> QuerySet[Referral]:
    return Referral.objects.visible_to(user).select_related("resource", "referred_by", "mentee")


def consent_list(*, user: User) -> QuerySet[Consent]:
    return Consent.objects.visible_to(user).select_related("recipient_resource", "mentee")


def disclosure_list(*, user: User) -> QuerySet[Disclosure]:
    return Disclosure.objects.visible_to(user).select_related("consent", "disclosed_by", "mentee")


def accounting_of_disclosures(
    *, mentee: MenteeProfile, today: date | None = None
) -> QuerySet[Disclosure]:
    """Every disclosure of the last three years, newest first."""
    today = today or program_today(mentee.program)
    since = add_months(today, -12 * ACCOUNTING_YEARS)
    # From the start of that day where the program is, not in UTC.
    start = datetime.combine(since, time(), tzinfo=ZoneInfo(mentee.program.time_zone))
    return (
        Disclosure.objects.filter(mentee=mentee, disclosed_at__gte=start)
        .select_related("consent", "disclosed_by", "resource")
        .order_by("-disclosed_at", "-pk")
    )


@dataclass
class Letter:
    """What a letter says: only the categories its disclosure names."""

    disclosure: Disclosure
    mentee: MenteeProfile
    on: date
    categories: list[str]
    contact: dict = field(default_factory=dict)
    attendance: dict = field(default_factory=dict)
    goals: list = field(default_factory=list)
    checkins: list = field(default_factory=list)
    substance_use: list = field(default_factory=list)
    assessments: list = field(default_factory=list)


def letter_still_covered(disclosure: Disclosure) -> bool:
    """A letter prints only while a consent covers it: a revocation stops the
    next print at once."""
    return (
        consent_covering(
            mentee=disclosure.mentee,
            recipient=Recipient(name=disclosure.recipient_name, resource=disclosure.resource),
            purpose=disclosure.purpose,
            categories=disclosure.categories,
        )
        is not None
    )


def letter_content(*, disclosure: Disclosure) -> Letter:
    """The letter's facts, read only for the categories consented to."""
    mentee = disclosure.mentee
    program = mentee.program
    today = program_today(program)
    wanted = set(disclosure.categories)
    letter = Letter(disclosure=disclosure, mentee=mentee, on=today, categories=sorted(wanted))
    since = today - timedelta(days=LETTER_DAYS)
    if InformationCategory.CONTACT in wanted:
        letter.contact = {"phone": mentee.phone, "email": mentee.email}
    if wanted & {
        InformationCategory.ATTENDANCE,
        InformationCategory.CHECKIN_SUMMARIES,
        InformationCategory.SUBSTANCE_USE,
    }:
        recent = list(
            CheckIn.objects.counted()
            .filter(
                mentee=mentee,
                occurred_at__gte=datetime.combine(
                    since, time(), tzinfo=ZoneInfo(program.time_zone)
                ),
            )
            .order_by("-occurred_at")
        )
        contacts = [c for c in recent if c.kind != CheckIn.Kind.ATTEMPT]
        if InformationCategory.ATTENDANCE in wanted:
            letter.attendance = {
                "since": since,
                "contacts": len(contacts),
                "attempts": len(recent) - len(contacts),
                "last": program_date(contacts[0].occurred_at, program) if contacts else None,
            }
        if InformationCategory.CHECKIN_SUMMARIES in wanted:
            letter.checkins = [
                {
                    "on": program_date(c.occurred_at, program),
                    "kind": c.get_kind_display(),
                    "delivery": c.get_delivery_method_display(),
                    "minutes": c.duration_minutes,
                    "support": ", ".join(c.support_types),
                }
                for c in contacts
            ]
        if InformationCategory.SUBSTANCE_USE in wanted:
            letter.substance_use = [
                {
                    "on": program_date(c.occurred_at, program),
                    "days": c.substance_use_days,
                    "craving": c.craving_level,
                }
                for c in contacts
                if c.substance_use_days is not None or c.craving_level is not None
            ]
    if InformationCategory.PLAN in wanted:
        letter.goals = list(
            Goal.objects.filter(plan__mentee=mentee, plan__status=RecoveryPlan.Status.ACTIVE)
        )
    if InformationCategory.ASSESSMENTS in wanted:
        letter.assessments = list(
            RecoveryCapitalAssessment.objects.filter(mentee=mentee).order_by("assessed_on")
        )
    return letter


def referral_timeline_events(mentee: MenteeProfile) -> list[TimelineEvent]:
    """The mentee's referrals for the check-in timeline (one query), as
    instrumental support on the day they were proposed."""
    url = reverse("referrals:mentee", args=[mentee.pk])
    return [
        TimelineEvent(
            day=referral.proposed_on,
            label=gettext("Referral to %(recipient)s") % {"recipient": referral.recipient_name()},
            url=url,
            detail=f"{referral.get_mode_display()}, {referral.get_status_display()}",
            support_type=SupportType.INSTRUMENTAL,
        )
        for referral in referrals_of(mentee=mentee)
    ]


def linkage_figure(program_ids, first_day: date, last_day: date):
    """The outcome report's linkage figure (core.report_figures): referrals
    proposed in the period by category, how many connected, and the mentees
    of each, in one grouped query."""
    from django.db.models import Count

    from core.report_figures import RawCell, RawFigure, RawRow

    from .choices import ReferralStatus, ServiceCategory

    connected = Q(status=ReferralStatus.CONNECTED)
    rows = {
        row["category"]: row
        for row in Referral.objects.filter(
            mentee__program_id__in=list(program_ids),
            proposed_on__gte=first_day,
            proposed_on__lte=last_day,
        )
        .values("category")
        .annotate(
            made=Count("pk"),
            mentees=Count("mentee", distinct=True),
            connected=Count("pk", filter=connected),
            connected_mentees=Count("mentee", distinct=True, filter=connected),
        )
        .order_by()
    }
    empty = {"made": 0, "mentees": 0, "connected": 0, "connected_mentees": 0}
    return RawFigure(
        key="linkage",
        title=gettext("Referrals made and connected by category"),
        definition=gettext(
            "Referrals proposed in the period, by service category, and how many "
            "of them the mentee connected with."
        ),
        columns=[gettext("Referrals made"), gettext("Connected")],
        rows=[
            RawRow(
                str(category.label),
                [
                    RawCell(r["made"], r["mentees"]),
                    RawCell(r["connected"], r["connected_mentees"]),
                ],
            )
            for category in ServiceCategory
            for r in [rows.get(category.value, empty)]
        ],
    )
