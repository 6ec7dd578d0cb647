"""The module-scoped case of tests/test_write_proof.py: one program around a
mentee record with every kind of object, built once and rolled back at the end."""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.test import Client

from tests.scoping import CASE_ROLES

# Our apps: a refused write must leave every row of theirs as it was.
OUR_APPS = (
    "accounts",
    "mentorship",
    "notifications",
    "checkins",
    "recovery_plans",
    "certification",
    "referrals",
    "supervision",
    "operations",
)


@dataclass
class Case:
    users: dict
    args: dict
    clients: dict = field(default_factory=dict)


def build_case() -> Case:
    from accounts import services as account_services
    from accounts.models import Role
    from certification import services as certification_services
    from certification.models import CertificationType
    from recovery_plans import services as plan_services
    from tests.accounts.factories import ProgramFactory, UserFactory, enrol_totp
    from tests.certification.factories import log_ce, medi_cal, pdf_upload
    from tests.checkins.factories import make_assessment, make_checkin
    from tests.checkins.group_factories import log_group
    from tests.mentorship.factories import (
        MenteeProfileFactory,
        assign,
        make_mentor,
        make_status_change,
    )
    from tests.notifications.test_notifications import insert_for
    from tests.recovery_plans.factories import first_step, make_plan

    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    other_program = ProgramFactory(name="Fresno Recovery Mentors", county="Fresno")
    admin = UserFactory(admin=True, email="admin@example.org")
    coordinator = UserFactory(coordinator=True, program=program, email="coord@example.org")
    outsider = UserFactory(coordinator=True, program=other_program, email="outsider@example.org")
    for user in (admin, coordinator, outsider):
        enrol_totp(user)
    mentor = make_mentor(program, email="mentor@example.org")
    other_mentor = make_mentor(program, email="other.mentor@example.org")
    mentee = UserFactory(mentee=True, program=program, email="mentee@example.org")
    other_mentee = UserFactory(mentee=True, program=program, email="other.mentee@example.org")
    # Holds no certification, so that moving one to them breaks no unique rule.
    uncertified = make_mentor(program, certified=False, email="new.mentor@example.org")
    profile = MenteeProfileFactory(
        program=program,
        user=mentee,
        preferred_name="Jordan",
        created_by=coordinator,
        email=mentee.email,
        status="active",
    )
    assignment = assign(profile, mentor, by=coordinator)
    issued = account_services.invitation_create(
        invited_by=coordinator,
        email="invitee@example.org",
        role=Role.MENTOR,
        program=program,
        site_url="http://testserver",
    )
    checkin = make_checkin(profile, mentor, crisis_flag=True, crisis_notes="PHI-MARKER")
    plan = make_plan(profile, mentor)
    assessment = make_assessment(profile, mentor)
    status_change = make_status_change(profile)
    support = plan_services.support_add(plan=plan, by=mentor, name="Sam", kind="person")
    template = plan_services.template_create(program=program, by=coordinator, name="Ninety days")
    cert = mentor.certifications.get()
    entry = log_ce(mentor, evidence=pdf_upload("e.pdf"))
    document = certification_services.document_upload(
        certification=cert, by=mentor, upload=pdf_upload("c.pdf")
    )
    insert_for([mentor], program)
    api_token = account_services.api_token_create(user=coordinator, name="County sync")
    resource, consent, referral, letter = _referrals_case(profile, mentor)
    supervisor, session = _supervision_case(coordinator, mentor, profile)
    approval = _approval_case(mentor, profile)
    group = log_group(mentor, [profile])
    users = {
        "admin": admin,
        "coordinator": coordinator,
        "mentor": mentor,
        "other_mentor": other_mentor,
        "mentee": mentee,
        "other_mentee": other_mentee,
        "outsider": outsider,
    }
    from reports.models import FollowUp

    follow_up = FollowUp.objects.create(mentee=profile, point="six_month", attempts=1)
    follow_up_request = _follow_up_request(coordinator, mentor, profile, checkin)
    args = {
        "program": [program.pk],
        "invitation": [issued.invitation.pk],
        "mentee": [profile.pk],
        "mentor": [mentor.mentor_profile.pk],
        "assignment": [assignment.pk],
        "checkin": [checkin.pk],
        "plan": [plan.pk],
        "goal": [plan.goals.first().pk],
        "step": [first_step(plan).pk],
        "trigger": [plan.triggers.first().pk],
        "assessment": [assessment.pk],
        "schedule": [assignment.schedule.pk],
        "support": [support.pk],
        "safety_plan": [plan.safety_plan.pk],
        "status_change": [status_change.pk],
        "template": [template.pk],
        "cert": [cert.pk],
        "ce": [entry.pk],
        "document": [document.pk],
        "type": [medi_cal().pk],
        "notification": [mentor.notifications.get().pk],
        "pref_kind": ["checkin_due"],
        "protected_kind": ["crisis_flag"],
        "token": [issued.token],
        "other_type": [CertificationType.objects.exclude(pk=medi_cal().pk).first().pk],
        "other_program": [other_program.pk],
        "uncertified": [uncertified.pk],
        "api_token": [api_token.label.pk],
        "person": [mentor.pk],
        "resource": [resource.pk],
        "consent": [consent.pk],
        "referral": [referral.pk],
        "letter": [letter.pk],
        "supervisor": [supervisor.pk],
        "supervision": [session.pk],
        "action_item": [session.action_items.get().pk],
        "supervisee": [mentor.pk],
        "approval": [approval.pk],
        # Taken in today: the baseline follow-up window is open.
        "follow_up": [profile.pk, "baseline"],
        "follow_up_row": [follow_up.pk],
        "group": [group.pk],
        "follow_up_request": [follow_up_request.pk],
    }
    case = Case(users=users, args=args)
    case.clients["anonymous"] = Client(raise_request_exception=False)
    for role in CASE_ROLES[1:]:
        case.clients[role] = Client(raise_request_exception=False)
        case.clients[role].force_login(users[role])
    return case


def _referrals_case(profile, mentor):
    """A directory entry, an active consent naming it, a warm-handoff
    referral relying on it and a letter printed under it."""
    from core.dates import add_months, program_today
    from referrals import services as referral_services
    from referrals.consents import Recipient
    from referrals.models import Consent, Resource
    from tests.certification.factories import pdf_upload

    resource = Resource.objects.create(
        program=profile.program, organisation="Sierra Recovery Center", categories=["treatment"]
    )
    consent = Consent.objects.create(
        mentee=profile, categories=["attendance"], recipient_name=resource.organisation,
        recipient_resource=resource, purpose="linkage",
        expires_on=add_months(program_today(profile.program), 12), signed_via="portal",
        signed_name="Jordan", signed_at=profile.created_at, recorded_by=profile.user,
        signed_form=pdf_upload("consent.pdf"),
    )  # fmt: skip
    referral = referral_services.referral_create(
        mentee=profile, by=mentor, category="treatment", resource=resource, reason="Asked",
        mode="warm_handoff", shared_categories=["attendance"], purpose="linkage",
    )  # fmt: skip
    letter = referral_services.letter_issue(
        mentee=profile, by=mentor, recipient=Recipient.of(resource), purpose="linkage",
        categories=["attendance"],
    )  # fmt: skip
    return resource, consent, referral, letter


def _supervision_case(coordinator, mentor, profile):
    """The coordinator supervises the mentor: a session discussing the mentee
    that closed the crisis check-in's debrief, with an action item."""
    from supervision import services as supervision_services
    from supervision.models import CrisisDebrief
    from tests.supervision.factories import designate, make_session

    supervisor = designate(coordinator, coordinator, qualification="licensed", license_number="L-1")
    supervision_services.supervisor_assign(mentor=mentor, supervisor=supervisor, by=coordinator)
    session = make_session(
        coordinator, [mentor], mentees_discussed=[profile], topics=["crisis_debrief"],
        debriefs=list(CrisisDebrief.objects.filter(mentor=mentor)),
        action_items=[supervision_services.NewActionItem(mentor, "Call back", None)],
    )  # fmt: skip
    return supervisor, session


def _follow_up_request(coordinator, mentor, profile, checkin):
    """An open follow-up request on the check-in, asked of the mentor by the
    coordinator (written directly: the case's one notification of the
    mentor's stays the only one)."""
    from supervision.models import FollowUpRequest

    return FollowUpRequest.objects.create(
        program=profile.program, mentee=profile, checkin=checkin, mentor=mentor,
        requested_by=coordinator, text="Ask about the court date",
    )  # fmt: skip


def _approval_case(mentor, profile):
    """The mentor asked to graduate the mentee while approvals were on; the
    program then turned them off (the request still waits), so every other
    row of the proof runs as without approvals."""
    from core import approvals
    from mentorship.services import mentee_transition
    from supervision.models import SupervisionSettings

    SupervisionSettings.objects.update_or_create(
        program=profile.program, defaults={"approvals_required": True}
    )
    asked = mentee_transition(mentee=profile, to_status="graduated", changed_by=mentor)
    SupervisionSettings.objects.filter(program=profile.program).update(approvals_required=False)
    return approvals.approval_request_of(asked)


def our_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    )


def snapshot() -> dict:
    """Every row of every table of ours, column by column, as stored: raw SQL,
    as decrypting and converting each field would triple the time of the proof."""
    state = {}
    with connection.cursor() as cursor:
        for table in our_tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
            columns = tuple(column[0] for column in cursor.description)
            state[table] = (columns, cursor.fetchall())
    return state


def changed_columns(before: dict, after: dict) -> set[str]:
    """The changed values as "table.column", and "table+" / "table-" for rows
    added or removed."""
    changed = set()
    for table, (columns, rows) in before.items():
        old = {row[0]: row for row in rows}
        new = {row[0]: row for row in after[table][1]}
        if new.keys() - old.keys():
            changed.add(f"{table}+")
        if old.keys() - new.keys():
            changed.add(f"{table}-")
        for key in old.keys() & new.keys():
            changed |= {
                f"{table}.{column}"
                for column, was, now in zip(columns, old[key], new[key], strict=True)
                if was != now
            }
    return changed


def changes(before: dict, after: dict) -> dict:
    """What differs, model by model (empty when nothing changed)."""
    return {
        label: {"before": rows, "after": after[label]}
        for label, rows in before.items()
        if rows != after[label]
    }
