"""Demo referrals: a directory of 30 resources per program (some overdue for
verification), consents in every state (active, expired, revoked), referrals
in every status, a letter. Runs after checkins.demo. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from core.dates import add_months, program_today
from mentorship.models import Assignment

from . import services
from .choices import ReferralStatus
from .consents import Recipient
from .models import Consent, Referral, Resource

# (name after the county, categories, languages, accepts Medi-Cal)
DIRECTORY = [
    ("Outpatient Treatment Center", ["treatment"], ["en", "es"], True),
    ("Withdrawal Management Unit", ["withdrawal", "treatment"], ["en"], True),
    ("Narcotic Treatment Program", ["mat", "treatment"], ["en", "es"], True),
    ("Bridge Clinic (buprenorphine)", ["mat", "primary_care"], ["en"], True),
    ("Community Health Center", ["primary_care", "mental_health"], ["en", "es", "vi"], True),
    ("Behavioral Health Access Line", ["mental_health"], ["en", "es", "zh"], True),
    ("Adolescent and Family Counseling", ["mental_health", "treatment"], ["en", "es"], True),
    ("Women's Residential Program", ["treatment", "housing"], ["en"], True),
    ("Sober Living Coalition", ["housing"], ["en"], False),
    ("Recovery Residence Network", ["housing"], ["en", "es"], False),
    ("Housing Navigation Center", ["housing", "benefits"], ["en", "es"], False),
    ("Department of Human Assistance", ["benefits"], ["en", "es", "ru", "hy"], False),
    ("Medi-Cal Enrollment Office", ["benefits"], ["en", "es", "zh", "vi"], False),
    ("Veterans Service Office", ["benefits", "mental_health"], ["en"], False),
    ("America's Job Center", ["employment"], ["en", "es"], False),
    ("Second Chance Employment Project", ["employment", "legal_aid"], ["en"], False),
    ("Adult Education Center", ["education"], ["en", "es"], False),
    ("Community College Reentry Program", ["education"], ["en"], False),
    ("Legal Services of Northern California", ["legal_aid"], ["en", "es"], False),
    ("Public Defender Clean Slate Clinic", ["legal_aid"], ["en"], False),
    ("Food Bank", ["food"], ["en", "es", "pa"], False),
    ("CalFresh Help Desk", ["food", "benefits"], ["en", "es"], False),
    ("Transit Reduced Fare Office", ["transport"], ["en"], False),
    ("Medi-Cal Transportation Line", ["transport"], ["en", "es"], True),
    ("Alcoholics Anonymous Intergroup", ["mutual_aid"], ["en", "es"], False),
    ("Narcotics Anonymous Area", ["mutual_aid"], ["en"], False),
    ("SMART Recovery Meetings", ["mutual_aid"], ["en"], False),
    ("Recovery Dharma Sangha", ["mutual_aid"], ["en"], False),
    ("Family Recovery Support Group", ["mutual_aid", "mental_health"], ["en", "es"], False),
    ("Harm Reduction Services", ["other", "primary_care"], ["en", "es"], False),
]


def seed_demo(report) -> None:
    now = timezone.now()
    for program in report.programs:
        coordinator = program.members.filter(role="coordinator").first()
        today = program_today(program)
        for n, (name, categories, languages, medi_cal) in enumerate(DIRECTORY):
            organisation = f"{program.county} {name}"
            if Resource.objects.filter(program=program, organisation=organisation).exists():
                continue
            Resource.objects.create(
                program=program,
                organisation=organisation,
                categories=categories,
                languages=languages,
                accepts_medi_cal=medi_cal,
                accepting_new_clients=n % 7 != 3,
                address=f"{100 + 7 * n} Main Street, {program.county}, CA",
                phone=f"(916) 555-{1000 + n:04d}",
                hours="Mon–Fri 8:00–17:00" if n % 3 else "24 hours",
                # Every fifth entry has not been checked for over a year.
                last_verified_on=today - timedelta(days=400 if n % 5 == 0 else 20 + n),
            )
        if coordinator is None or Referral.objects.filter(mentee__program=program).exists():
            continue
        treatment = Resource.objects.get(
            program=program, organisation=f"{program.county} Outpatient Treatment Center"
        )
        housing = Resource.objects.get(
            program=program, organisation=f"{program.county} Sober Living Coalition"
        )
        assignments = list(
            Assignment.objects.filter(ended_at__isnull=True, mentee__program=program)
            .select_related("mentee__program", "mentee__user", "mentor")
            .order_by("mentee__preferred_name")[:6]
        )
        for n, assignment in enumerate(assignments):
            mentee, mentor = assignment.mentee, assignment.mentor
            consent = Consent.objects.create(
                mentee=mentee, categories=["attendance", "plan"], recipient_name=treatment.organisation,
                recipient_resource=treatment, purpose="linkage", expires_on=add_months(today, 6),
                signed_via="portal" if mentee.user_id else "staff",
                signed_name=mentee.legal_name or mentee.preferred_name,
                signed_at=now - timedelta(days=20), recorded_by=mentee.user or mentor,
            )  # fmt: skip
            if n == 1:  # an expired one
                Consent.objects.create(
                    mentee=mentee, categories=["all"], recipient_name="County Probation",
                    purpose="court", expires_on=today - timedelta(days=10), signed_via="staff",
                    signed_name=mentee.legal_name or mentee.preferred_name,
                    signed_at=now - timedelta(days=200), recorded_by=mentor,
                )  # fmt: skip
            if n == 2:  # a revoked one
                other = Consent.objects.create(
                    mentee=mentee, categories=["contact"], recipient_name=housing.organisation,
                    recipient_resource=housing, purpose="linkage",
                    expiry_event="When I move in", signed_via="staff",
                    signed_name=mentee.legal_name or mentee.preferred_name,
                    signed_at=now - timedelta(days=40), recorded_by=mentor,
                )  # fmt: skip
                services.consent_revoke(consent=other, by=mentor, note="Found other housing")
            _referrals_in_every_status(n, mentee, mentor, treatment, housing, today)
            if n == 0:
                services.letter_issue(
                    mentee=mentee, by=mentor, recipient=Recipient.of(treatment),
                    purpose="linkage", categories=consent.categories,
                )  # fmt: skip
    report.notes.append(
        "Referrals: every program has a 30-entry resource directory, consents in every "
        "state, referrals in every status and a letter (under Referrals and consent)."
    )


PATHS = [
    [],
    [ReferralStatus.SENT],
    [ReferralStatus.SENT, ReferralStatus.ACCEPTED],
    [ReferralStatus.SENT, ReferralStatus.DECLINED],
    [ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.CONNECTED],
    [ReferralStatus.SENT, ReferralStatus.NOT_CONNECTED],
]


def _referrals_in_every_status(n, mentee, mentor, treatment, housing, today) -> None:
    warm = n % 2 == 0
    referral = services.referral_create(
        mentee=mentee,
        by=mentor,
        category="treatment" if warm else "housing",
        resource=treatment if warm else housing,
        reason="Asked for help getting into a program" if warm else "Looking for sober housing",
        mode="warm_handoff" if warm else "information_only",
        shared_categories=["attendance"] if warm else [],
        purpose="linkage" if warm else "",
        follow_up_on=today + timedelta(days=7 + n),
    )
    for status in PATHS[n % len(PATHS)]:
        services.referral_move(
            referral=referral,
            by=mentor,
            to_status=status,
            reason="The waitlist is closed until spring" if status == "not_connected" else "",
        )
