"""A broken database rule reaches a person as a plain sentence beside the
field it is about, never as the constraint's name, and never as a 500.

The walk: every constraint of every model of ours (`Model._meta.constraints`)
has an entry in RULES (the pages and API routes that write its fields, and
what breaks it) or in NOT_WRITTEN (why no person can break it). A new
constraint fails `test_every_constraint_is_in_the_registry` until it has one.

Each entry is broken through each writer, as the role that may write:
a form page is read as a browser shows it and sent back with the breaking
value, and answers 200 with the form again, the message beside the field and
in the error summary with a link to it; a button (an action page) answers
with the message on the page it leads back to; an API route answers 400 with
the message under the field. The constraint's name is never on the page or
in the answer, and nothing is saved. A range (between bounds) is sent the
value at each bound, saved, and one step beyond each, refused.

Everything refused is sent again with the model's constraint checks off
(`database` mode): the database itself then refuses, as it would when two
requests race, and the answer must read the same.
"""

import html
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models import Q
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core.constraints import (
    OUR_APPS,
    PlainConstraints,
    constrained_fields,
    field_of,
    plain_violations,
)
from referrals.services import NO_CONSENT
from tests.accounts.factories import program_day
from tests.api_errors import api_errors, errors_in
from tests.certification.factories import pdf_upload
from tests.page_forms import element_ids, error_summary, page_form
from tests.write_proof_data import build_case, changes, snapshot

ABSENT = object()  # the field is left out of what is sent (an unticked box)
CONSTRAINT_FIELD = "(the constraint's field)"


@dataclass(frozen=True)
class Page:
    """A page's form: read as shown, sent back with the breaking values."""

    name: str
    role: str
    arg: str | None = None
    fill: dict = field(default_factory=dict)  # what a valid form needs besides what is shown
    prefix: str = ""  # a formset row's field names
    action: bool = False  # a button: posts, goes back, says it as a message


@dataclass(frozen=True)
class Api:
    name: str
    method: str
    role: str
    arg: str | None = None
    body: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Breaks:
    """How the rule is broken through its writers. Without `values` it is a
    range, broken one step beyond each bound of the constraint."""

    writers: tuple
    values: dict | None = None
    api_values: dict | None = None  # where the API is sent other values than the page
    # The words that refuse it when a rule before the constraint speaks
    # (a str, or {"page": …, "api": …}); default: the constraint's own.
    words: str | dict | None = None
    # Where the message stands: a field, or None for the top of the form.
    field: str | None = CONSTRAINT_FIELD
    setup: str | None = None  # a state to reach first (SETUPS)
    # Values saved on the other side of the rule (a date's next day).
    accepted: tuple = ()
    # A range's values refused besides one step beyond each bound.
    far: tuple = ()


LOG = Page("checkins:log", "mentor", "mentee")
SUPERVISION_SETTINGS = Page("supervision:settings", "coordinator")
DESIGNATE = Page("supervision:supervisor_new", "coordinator", fill={"user": "@user:other_mentor"})
# The case's coordinator supervises the case's mentor.
SESSION_NEW = Page(
    "supervision:session_new", "coordinator",
    fill={"mentors": "@user:mentor", "format": "video", "topics": ["skills"],
          "duration_minutes": "60"},
)  # fmt: skip
CORRECT = Page("checkins:edit", "mentor", "checkin")
SELF = Page("checkins:self", "mentee", fill={"mood": "3", "craving_level": "2"})
API_LOG = Api(
    "api:checkin-list",
    "post",
    "mentor",
    body={"mentee": "@mentee", "occurred_at": "@hour_ago", "delivery_method": "in_person"},
)
API_CORRECT = Api("api:checkin-detail", "patch", "mentor", "checkin")
CHECKIN_VOID = (
    Page("checkins:void", "mentor", "checkin", action=True),
    Api("api:checkin-void", "post", "mentor", "checkin"),
)

PROGRAM = {
    "name": "Placer Peer Recovery",
    "state": "CA",
    "county": "Placer",
    "time_zone": "America/Los_Angeles",
}
PROGRAM_PAGES = (
    Page("accounts:program_edit", "admin", "program"),
    Page("accounts:program_create", "admin", fill=PROGRAM),
)
PROGRAM_APIS = (
    Api("api:program-detail", "patch", "admin", "program"),
    Api("api:program-detail", "put", "admin", "program", body=PROGRAM),
    Api("api:program-list", "post", "admin", body=PROGRAM),
)
INVITE = {"email": "new@example.org", "role": "mentor", "program": "@program"}
INVITATION_WRITERS = (
    Page("accounts:invitation_list", "admin", fill=INVITE),
    Api("api:invitation-list", "post", "admin", body=INVITE),
)

CREDENTIAL = {"name": "New credential", "issuing_body": "Board", "cycle_months": 24}
TYPE_WRITERS = (
    Page("certification:type_edit", "admin", "type"),
    Page("certification:type_new", "admin", fill={"name": "New credential", "issuing_body": "B"}),
    Api("api:certification-type-detail", "patch", "admin", "type"),
    Api("api:certification-type-detail", "put", "admin", "type", body=CREDENTIAL),
    Api("api:certification-type-list", "post", "admin", body=CREDENTIAL),
)
NEW_CERTIFICATION = {
    "holder": "@user:other_mentor",
    "certification_type": "@other_type",
    "issued_on": "@day:-30",
}
CERTIFICATION_WRITERS = (
    Page("certification:edit", "coordinator", "cert"),
    Page("certification:new", "coordinator", fill=NEW_CERTIFICATION),
    Api("api:certification-detail", "patch", "coordinator", "cert"),
    Api("api:certification-list", "post", "coordinator", body=NEW_CERTIFICATION),
)
COURSE = {
    "course_title": "Ethics",
    "provider": "CCAPP",
    "completed_on": "@day:-7",
    "hours": "3",
    "category": "law_and_ethics",
}
CE_REJECT = (
    Page("certification:ce_reject", "coordinator", "ce", action=True),
    Api("api:continuing-education-reject", "post", "coordinator", "ce"),
)
STATUS = (
    Page("mentorship:mentee_status", "coordinator", "mentee", action=True),
    Api("api:mentee-transition", "post", "coordinator", "mentee"),
)
GOAL_WRITERS = (
    Page("recovery_plans:goal_edit", "mentor", "goal"),
    Api("api:goal-detail", "patch", "mentor", "goal"),
    Api("api:goal-list", "post", "mentor", body={"plan": "@plan", "description": "Walk daily"}),
)
# The same sentence on the page and in the API (core/api/choices.py).
NOT_A_CHOICE = "is not one of the available choices"

CONSENT_TERMS = {
    "categories": ["attendance"],
    "recipient_name": "Placer Food Bank",
    "purpose": "linkage",
    "expires_on": "@day:30",
}
CONSENT_WRITERS = (
    Page(
        "referrals:consent_record",
        "mentor",
        "mentee",
        fill={
            **CONSENT_TERMS,
            "signed_name": "Jordan",
            "signed_on": "@day:0",
            "signed_form": "@pdf",
        },
    ),
    Page(
        "referrals:consent_sign",
        "mentee",
        fill={**CONSENT_TERMS, "signed_name": "@signature", "agreed": "on"},
    ),
    Api(
        "api:consent-list",
        "post",
        "mentor",
        body={"mentee": "@mentee", **CONSENT_TERMS, "signed_name": "Jordan"},
    ),
    Api(
        "api:consent-list",
        "post",
        "mentee",
        body={"mentee": "@mentee", **CONSENT_TERMS, "signed_name": "@signature", "agreed": True},
    ),
)
REFERRAL = {"category": "treatment", "reason": "Asked for help", "organisation": "Placer Food Bank"}
REFERRAL_WRITERS = (
    Page("referrals:referral_new", "mentor", "mentee", fill=REFERRAL),
    Api(
        "api:referral-list",
        "post",
        "mentor",
        body={"mentee": "@mentee", **REFERRAL, "mode": "information_only"},
    ),
)
COLLATERAL = {
    "collateral_name": "Dana Lee",
    "collateral_role": "family",
    "occurred_at": "@hour_ago",
    "delivery_method": "telephone",
}

RULES: dict[str, Breaks | tuple[Breaks, ...]] = {
    # --- operations
    "retention_years_1_to_30": Breaks((Page("operations:retention_setting", "admin", "program"),)),
    # --- notifications (the page shows a protected kind always on, disabled:
    # only the API can ask to turn one off)
    "notification_preference_protected_kinds_emailed": Breaks(
        (Api("api:notification-preference-detail", "patch", "coordinator", "protected_kind"),),
        values={"email": False},
    ),
    # --- accounts
    "program_cadence_1_to_90_days": Breaks(PROGRAM_PAGES + PROGRAM_APIS),
    "program_grace_at_most_30_days": Breaks(PROGRAM_PAGES + PROGRAM_APIS),
    "program_county_required": Breaks(PROGRAM_PAGES + PROGRAM_APIS, values={"county": ""}),
    "user_program_required_unless_admin": Breaks(
        (
            Page("accounts:person_change_role", "admin", "second_admin", action=True),
            Api("api:person-change-role", "post", "admin", "second_admin"),
        ),
        values={"role": "coordinator", "program": ""},
        words="Choose the program this person joins.",
        setup="second_admin",
    ),
    "user_role_valid": Breaks(
        (
            Page("accounts:person_change_role", "admin", "person", action=True),
            Api("api:person-change-role", "post", "admin", "person"),
        ),
        values={"role": "chief"},
        words={"page": "Choose the new role.", "api": NOT_A_CHOICE},
    ),
    # Logins are made from invitations only: the invitation refuses an
    # address that already signs in, in any case.
    "user_email_unique_ignoring_case": Breaks(
        INVITATION_WRITERS,
        values={"email": "MENTOR@example.org"},
        words="Someone with this email already has a login.",
        field="email",
    ),
    "invitation_program_required_unless_admin": (
        Breaks(INVITATION_WRITERS, values={"program": ABSENT}, field="program"),
        Breaks(
            INVITATION_WRITERS,
            values={"role": "admin"},
            words="Admins belong to no program; leave this empty.",
            field="program",
        ),
    ),
    # --- certification
    "cert_type_cycle_positive": Breaks(TYPE_WRITERS),
    "cert_type_ce_hours_not_negative": Breaks(TYPE_WRITERS),
    "ce_requirement_once_per_category": Breaks(
        (Page("certification:type_edit", "admin", "type", prefix="category_requirements-1-"),),
        values={"category": "law_and_ethics", "hours": "2"},
        field=None,
    ),
    "ce_requirement_hours_positive": Breaks(
        (Page("certification:type_edit", "admin", "type", prefix="category_requirements-0-"),)
    ),
    "certification_once_per_holder_type": Breaks(
        (
            Page("certification:new", "coordinator", fill=NEW_CERTIFICATION),
            Api("api:certification-list", "post", "coordinator", body=NEW_CERTIFICATION),
        ),
        values={"holder": "@user:mentor", "certification_type": "@type"},
    ),
    "certification_manual_status_valid": Breaks(
        (Page("certification:status", "admin", "cert", action=True),),
        values={"status": "lapsed"},
        words=NOT_A_CHOICE,
    ),
    "certification_manual_status_has_reason_and_date": Breaks(
        (Page("certification:status", "admin", "cert", action=True),),
        values={"status": "suspended", "reason": ""},
        words="Give the reason.",
    ),
    "certification_expires_after_issue": Breaks(
        CERTIFICATION_WRITERS,
        values={"issued_on": "@day:-10", "expires_on": "@day:-10"},
        accepted=({"issued_on": "@day:-10", "expires_on": "@day:-9"},),
    ),
    "ce_void_says_who_when_and_why": Breaks(
        (
            Page("certification:ce_void", "mentor", "ce", action=True),
            Api("api:continuing-education-void", "post", "mentor", "ce"),
        ),
        values={"reason": ""},
        words="Say why these hours are being voided.",
        field="reason",
    ),
    "ce_hours_over_0_to_40": Breaks(
        (
            Page("certification:mine", "mentor", fill=COURSE),
            Api("api:continuing-education-list", "post", "mentor", body=COURSE),
        )
    ),
    "ce_rejection_has_who_and_why": Breaks(
        CE_REJECT,
        values={"reason": ""},
        words="Say why, so the holder can put it right.",
        field="reason",
    ),
    "ce_approved_or_rejected_not_both": Breaks(
        CE_REJECT,
        values={"reason": "No certificate attached"},
        words="These hours are already approved.",
        setup="approve_ce",
    ),
    # --- checkins
    "checkin_void_says_who_when_and_why": Breaks(
        CHECKIN_VOID,
        values={"reason": ""},
        words="Say why this check-in is being voided.",
        field="reason",
    ),
    "checkin_craving_0_to_10": Breaks((LOG, CORRECT, SELF, API_LOG, API_CORRECT)),
    "checkin_mood_1_to_5": Breaks((LOG, CORRECT, SELF, API_LOG, API_CORRECT)),
    # 99999 minutes once showed the constraint's name.
    "checkin_duration_1_to_600_minutes": Breaks((LOG, CORRECT, API_LOG, API_CORRECT), far=(99999,)),
    "checkin_contact_or_attempt_has_a_method": Breaks(
        (LOG, CORRECT, API_LOG),
        values={"delivery_method": ABSENT},
        words="This field is required.",
    ),
    "checkin_crisis_notes_only_with_flag": Breaks(
        (LOG, CORRECT, API_LOG, API_CORRECT),
        values={"crisis_notes": "Called the crisis line", "crisis_flag": ABSENT},
        api_values={"crisis_notes": "Called the crisis line", "crisis_flag": False},
    ),
    "checkin_kind_valid": Breaks((LOG, API_LOG), values={"kind": "visit"}, words=NOT_A_CHOICE),
    **{
        f"barc10_item_{n}_1_to_6": Breaks(
            (
                Page(
                    "checkins:assessment_new",
                    "mentor",
                    "mentee",
                    fill={f"item_{i}": "3" for i in range(1, 11)},
                ),
            )
        )
        for n in range(1, 11)
    },
    # --- mentorship
    "mentor_capacity_1_to_50": Breaks(
        (
            Page("mentorship:mentor_capacity_edit", "coordinator", "mentor"),
            Api("api:mentor-detail", "patch", "coordinator", "mentor"),
        )
    ),
    "mentee_status_valid": Breaks(
        STATUS,
        values={"to_status": "lost"},
        words={"page": "Choose a status Jordan can move to.", "api": NOT_A_CHOICE},
        field="to_status",
    ),
    "mentee_discharged_needs_reason": Breaks(
        STATUS,
        values={"to_status": "discharged"},
        words="Give the reason for the discharge.",
        field="reason",
    ),
    "mentee_remote_consent_has_a_date": Breaks(
        (Page("mentorship:mentee_consent", "coordinator", "mentee"),),
        values={"consent": "video", "on": ""},
        words="Give the day Jordan consented.",
        field="on",
    ),
    "assignment_one_active_per_mentee": Breaks(
        (
            Page("mentorship:mentee_assign", "coordinator", "mentee", action=True),
            Api("api:assignment-list", "post", "coordinator", body={"mentee": "@mentee"}),
        ),
        values={"mentor": "@user:mentor"},
        words="Jordan is already assigned to",
        field=None,
    ),
    "assignment_end_needs_reason": (
        Breaks(
            (
                Page("mentorship:mentee_assign", "coordinator", "mentee", action=True),
                Api("api:assignment-list", "post", "coordinator", body={"mentee": "@mentee"}),
            ),
            values={"mentor": "@user:other_mentor", "end_reason": ""},
            words="Say why the current assignment ends before reassigning.",
        ),
        Breaks(
            (Api("api:assignment-end", "post", "coordinator", "assignment"),),
            values={"reason": ""},
            words="Say why the assignment ends.",
            field="reason",
        ),
    ),
    "break_glass_reason_not_blank": Breaks(
        (Page("mentorship:break_glass", "admin", fill={"mentee": "@mentee"}),),
        values={"reason": "   "},
    ),
    # --- recovery plans
    "plan_one_active_per_mentee": Breaks(
        (
            Page("recovery_plans:activate", "mentor", "plan", action=True),
            Api("api:plan-activate", "post", "mentor", "plan"),
        ),
        values={},
        words="This version is already the active plan.",
    ),
    "goal_domain_valid": (
        Breaks(GOAL_WRITERS, values={"domain": "sport"}, words=NOT_A_CHOICE),
        Breaks(
            (
                Page(
                    "recovery_plans:goal_add",
                    "mentor",
                    "plan",
                    fill={"description": "Walk"},
                    action=True,
                ),
            ),
            values={"domain": "sport"},
            words="A goal needs a domain and a description.",
        ),
    ),
    "goal_status_valid": Breaks(GOAL_WRITERS[:2], values={"status": "done"}, words=NOT_A_CHOICE),
    "plan_template_name_unique": Breaks(
        (Page("recovery_plans:template_list", "coordinator"),), values={"name": "Ninety days"}
    ),
    # --- referrals
    "resource_organisation_unique_in_program": Breaks(
        (
            Page("referrals:resource_new", "coordinator", fill={"categories": ["food"]}),
            Page("referrals:resource_edit", "coordinator", "second_resource"),
            Api("api:resource-list", "post", "coordinator", body={"categories": ["food"]}),
        ),
        values={"organisation": "SIERRA RECOVERY CENTER"},  # the case's, in other letters
        accepted=({"organisation": "Sierra Recovery Annex"},),
        setup="second_resource",
    ),
    "consent_has_an_expiry": Breaks(
        CONSENT_WRITERS,
        values={"expires_on": "", "expiry_event": ""},
        api_values={"expires_on": None, "expiry_event": ""},
        words="Give the date or the event on which the consent ends.",
        accepted=({"expires_on": ABSENT, "expiry_event": "When I finish treatment"},),
    ),
    "consent_names_its_recipient": (
        Breaks(
            CONSENT_WRITERS,
            values={"recipient_name": "", "recipient_resource": ""},
            api_values={"recipient_name": "", "recipient_resource": None},
            words="Name the person or organisation who may receive it.",
        ),
        Breaks(
            CONSENT_WRITERS,
            values={"recipient_kind": "general"},
            words="A general designation is only for treatment, payment and health care operations.",
            field="recipient_kind",
            accepted=({"recipient_kind": "general", "purpose": "treatment"},),
        ),
    ),
    "consent_covers_something": Breaks(
        CONSENT_WRITERS,
        values={"categories": ABSENT},
        api_values={"categories": []},
        accepted=({"categories": ["attendance"]},),
    ),
    "consent_other_purpose_in_words": Breaks(
        CONSENT_WRITERS,
        values={"purpose": "other", "purpose_detail": ""},
        accepted=({"purpose": "other", "purpose_detail": "Church housing programme"},),
    ),
    "referral_names_a_service": Breaks(
        REFERRAL_WRITERS,
        values={"organisation": "", "resource": ""},
        api_values={"organisation": "", "resource": None},
        accepted=({"organisation": "Placer Food Bank"},),
    ),
    # A warm handoff to someone no consent of Jordan's names.
    "referral_shares_only_under_consent": Breaks(
        REFERRAL_WRITERS,
        values={"mode": "warm_handoff", "shared_categories": ["attendance"], "purpose": "linkage"},
        words=NO_CONSENT,
    ),
    "referral_not_connected_says_why": Breaks(
        (
            Page("referrals:referral_status", "mentor", "referral", action=True),
            Api("api:referral-status", "post", "mentor", "referral"),
        ),
        values={"to_status": "not_connected", "reason": ""},
        accepted=({"to_status": "not_connected", "reason": "No places left this month"},),
        words="Say why the mentee was not connected.",
        field="reason",
    ),
    "checkin_collateral_says_with_whom": Breaks(
        (Page("referrals:collateral_new", "mentor", "mentee", fill=COLLATERAL),),
        values={"collateral_name": ""},
        accepted=({"collateral_name": "Dana Lee"},),
        words="Say with whom, and their role, the contact was.",
    ),  # --- supervision
    "supervision_minimum_at_most_40_hours": Breaks((SUPERVISION_SETTINGS,)),
    "supervision_debrief_due_1_to_30_days": Breaks((SUPERVISION_SETTINGS,)),
    "supervision_training_due_1_to_24_months": Breaks((SUPERVISION_SETTINGS,)),
    "supervisor_peer_states_experience": Breaks(
        (DESIGNATE,),
        values={"qualification": "certified_peer", "years_of_experience": ""},
        accepted=({"qualification": "certified_peer", "years_of_experience": "3"},),
    ),
    "supervisor_professional_states_license": Breaks(
        (DESIGNATE,),
        values={"qualification": "licensed", "license_number": ""},
        accepted=({"qualification": "licensed", "license_number": "LCSW-22"},),
    ),
    "supervision_session_5_to_480_minutes": Breaks((SESSION_NEW,)),
    "supervision_session_has_a_topic": Breaks(
        (SESSION_NEW,), values={"topics": ABSENT}, accepted=({"topics": ["ethics_and_boundaries"]},)
    ),
}

# Constraints no person can break through a page or the API: the service
# sets the fields itself (and its own tests show how).
NOT_WRITTEN = {
    "formsubmission_result_type_and_id_together": "core.once writes the spent token and its record together.",
    "audit_event_mentee_unique": "audit.record writes each mentee of an event once.",
    "notification_once_per_kind_subject_recipient_due": "notify() skips a reminder already sent (ignore_conflicts).",
    "notification_channel_valid": "notify() is called with the Channel enum by the code only.",
    "notification_state_valid": "The outbox sets the state; no page or route does.",
    "jobrun_result_valid": "operations.runs writes a job's run from Celery's signals; no page or route does.",
    "notification_preference_once_per_user_kind": "preferences_save upserts on (user, kind): saving twice updates the one row (test_saving_twice_keeps_one_row_and_the_last_choice).",
    "notification_preference_kind_given": "The kind comes from the registry (the page's fields, the API's URL), never blank.",
    "invitation_one_open_per_email": "invitation_create revokes the address's open invitation first, in the same transaction; a race reads as the message (test_a_race_for_one_address_reads_plainly).",
    "invitation_expires_after_creation": "invitation_create dates both from the clock.",
    "certification_cycle_once_per_end": "The renewal locks the certification; a race answers “This certification was just renewed.” (tests/certification/test_renewal_race.py).",
    "ce_approval_has_approver": "ce_approve sets who and when together.",
    "mentee_discharge_reason_only_when_discharged": "mentee_transition clears the reason for any other status.",
    "assignment_ends_after_it_starts": "An assignment is ended at the clock's now, after it started.",
    "break_glass_expires_after_granted": "break_glass_open dates both from the clock.",
    "plan_version_unique_per_mentee": "plan_create numbers versions under a lock on the mentee.",
    "plan_status_valid": "Plans change status only through plan_activate and plan_new_version.",
    "plan_draft_is_not_acknowledged": "A mentee reaches her active plan only (a draft answers 404), and plan_acknowledge takes the active plan alone.",
    "checkin_attempt_records_method_and_time_only": "An attempt keeps only how, when and a note: the form and checkin_log drop the rest (tests/checkins/test_pages.py).",
    "formdraft_one_per_author_form": "core.drafts.draft_save updates the one draft under a lock on its author.",
    "schedule_cadence_1_to_90_days": "A schedule takes the program's cadence (program_cadence_1_to_90_days).",
    "barc10_total_10_to_60": "The total is the sum of ten scores of 1 to 6, worked out on save.",
    "checkin_collateral_has_no_substance_use": "checkin_log keeps only how, when, how long, a note and with whom for a collateral contact, and a collateral contact is never corrected (can_correct_checkin): it is voided and logged again.",
    "follow_up_once_per_mentee_point": "follow_up_record updates the one row under a lock on the mentee.",
    "follow_up_completed_counts_an_attempt": "follow_up_record counts the attempt with the completion.",
    "consent_revocation_says_who_and_when": "consent_revoke writes who and when in one guarded UPDATE; no page or route sets either.",
    "approval_one_open_per_subject": "approval_request runs with the plan or the mentee locked and answers a second ask with the request already waiting (test_asking_twice_gives_the_same_request), or in words when it differs.",
    "approval_plan_only_for_activation": "The gate names a plan only for plan_activate's request; no page or route sets it.",
    "approval_status_valid": "The status comes from ApprovalStatus in approval_decide and approval_withdraw only.",
    "approval_decided_when_closed": "approval_decide and approval_withdraw set the status, who and when together, under a lock.",
    "approval_decision_has_comment": "approval_decide refuses a blank comment first, in the same words, beside the field (tests/supervision/test_approval_pages.py).",
    "approval_decided_by_someone_else": "can_decide_approval refuses the asker (403) and approval_withdraw anyone else, before anything is written.",
    "supervisor_training_due_after_designation": "supervisor_designate works the due date out from the designation and the program's months (1 to 24).",
    "supervisor_assignment_one_current_per_mentor": "supervisor_assign ends the current assignment under a lock on the mentor before it adds the new one; the same supervisor again answers the current assignment (tests/supervision/test_rules.py).",
    "supervisor_assignment_ends_after_it_starts": "supervisor_assign ends the current assignment on the new one's start and refuses a start before it, in words (tests/supervision/test_rules.py).",
    "supervision_mentor_once_per_session": "session_record writes each chosen mentor once.",
    "supervision_action_item_says_what": "session_record refuses an item without words, in words, before it writes (tests/supervision/test_rules.py); an empty row of the form is no item.",
    "crisis_debrief_closed_by_a_session": "session_record closes a debrief by setting its session and time together; no page or route sets either.",
    "checkin_group_kind_goes_with_its_group": "Only group_session_log makes a check-in of kind group, with its group; checkin_log refuses the kind in words (tests/checkins/test_groups.py).",
    "group_attendance_checkin_when_attended": "group_session_log makes a check-in for each attendee who came and none for the absent, in one transaction (tests/checkins/test_groups.py).",
    "group_attendance_once_per_mentee": "group_session_log refuses a mentee listed twice, in words, before it writes (tests/checkins/test_groups.py).",
    "group_attendance_status_valid": "group_session_log refuses any other status, in words, before it writes (tests/checkins/test_groups.py).",
    "group_delivery_method_valid": "The field's choices refuse any other method before the row is written.",
    "group_co_facilitator_is_another_person": "group_session_log refuses the facilitator as co-facilitator, in words, before it writes (tests/checkins/test_groups.py).",
    "group_duration_1_to_600_minutes": "group_session_log refuses minutes outside 1 to 600 in these words before it writes (tests/checkins/test_groups.py, each bound).",
    "group_has_a_topic": "group_session_log refuses an empty topic in these words before it writes (tests/checkins/test_groups.py).",
    "crisis_debrief_due_after_opening": "debrief_open works the due date out from the check-in's day and the program's days (1 to 30).",
    "follow_up_request_on_a_checkin_or_a_plan": "follow_up_request takes one check-in or one plan and refuses both or neither in these words; the pages ask from one record's URL, the API refuses both or neither before the service (tests/supervision/test_follow_ups.py).",
    "follow_up_request_says_what": "follow_up_request refuses blank words in these words before it writes, on the page and through the API (tests/supervision/test_follow_ups.py).",
    "follow_up_request_resolved_with_an_answer": "follow_up_resolve sets the answer and the time together and refuses an empty answer in words first (tests/supervision/test_follow_ups.py); no page or route sets either alone.",
}


def our_constraints() -> list[tuple[type[models.Model], models.BaseConstraint]]:
    return [
        (model, constraint)
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for constraint in model._meta.constraints
    ]


def constraint_named(name: str) -> tuple[type[models.Model], models.BaseConstraint]:
    (found,) = [(m, c) for m, c in our_constraints() if c.name == name]
    return found


# --- The walk: every constraint is covered, every message is plain ---------------


def test_every_constraint_is_in_the_registry():
    names = [constraint.name for _, constraint in our_constraints()]
    assert len(names) == len(set(names)), "constraint names repeat"
    missing = set(names) - RULES.keys() - NOT_WRITTEN.keys()
    assert not missing, f"no page, API route or reason for {sorted(missing)}"
    assert not (RULES.keys() & NOT_WRITTEN.keys())
    assert RULES.keys() | NOT_WRITTEN.keys() <= set(names), "entries for constraints gone"
    assert all(reason.strip() for reason in NOT_WRITTEN.values())


@pytest.mark.parametrize(
    ("model", "constraint"), [pytest.param(*pair, id=pair[1].name) for pair in our_constraints()]
)
def test_every_constraint_speaks_plainly(model, constraint):
    message = str(constraint.get_violation_error_message())
    assert constraint.name not in message
    assert "violated" not in message and "constraint" not in message.lower()
    assert message[0].isupper() and message.endswith(".")


def test_models_with_constraints_answer_beside_their_fields():
    for model, _ in our_constraints():
        assert issubclass(model, PlainConstraints), model
    for model in {model for model, _ in our_constraints()}:
        for name, field_name in getattr(model, "constraint_fields", {}).items():
            (constraint,) = [c for c in model._meta.constraints if c.name == name]
            # A ModelForm leaves out a constraint on a field it lacks: so
            # the message's field is always one the form has.
            assert field_name in constrained_fields(constraint), name


# --- Breaking each rule through its writers ------------------------------------------


def _bounds(constraint) -> tuple[list, list]:
    """A range constraint's bounds, as values saved (at each bound) and
    refused (one step beyond each: 1 for a whole number, the last decimal
    place for a decimal)."""
    model, _ = constraint_named(constraint.name)
    (field_name,) = constrained_fields(constraint)
    model_field = model._meta.get_field(field_name)
    step = (
        Decimal(1).scaleb(-model_field.decimal_places)
        if isinstance(model_field, models.DecimalField)
        else 1
    )
    # lookup: (saved, refused) at a bound of `value`
    around = {
        "gte": lambda value: (value, value - step),
        "gt": lambda value: (value + step, value),
        "lte": lambda value: (value, value + step),
        "lt": lambda value: (value - step, value),
    }
    saved, refused = [], []

    def walk(q: Q) -> None:
        for child in q.children:
            if isinstance(child, Q):
                walk(child)
                continue
            lookup, value = child
            kind = lookup.rpartition("__")[2]
            if kind in around:
                inside, beyond = around[kind](value)
                saved.append(inside)
                refused.append(beyond)

    walk(constraint.condition)
    return saved, refused


def _entries(name: str) -> tuple[Breaks, ...]:
    entry = RULES[name]
    return entry if isinstance(entry, tuple) else (entry,)


def cases() -> list:
    """(constraint name, entry number, writer, values, refused) for every way in."""
    found = []
    for name in RULES:
        _, constraint = constraint_named(name)
        for n, entry in enumerate(_entries(name)):
            for writer in entry.writers:
                where = f"{name}-{n}-{writer.name}-{getattr(writer, 'method', 'post')}"
                ways: list[tuple[dict, bool, str]] = []
                if entry.values is None:  # a range
                    (field_name,) = constrained_fields(constraint)
                    saved, refused = _bounds(constraint)
                    ways += [
                        ({field_name: v}, True, f"{v}-refused") for v in refused + [*entry.far]
                    ]
                    ways += [({field_name: v}, False, f"{v}-saved") for v in saved]
                else:
                    api = isinstance(writer, Api) and entry.api_values is not None
                    ways.append((entry.api_values if api else entry.values, True, "refused"))
                    ways += [(v, False, f"saved{m}") for m, v in enumerate(entry.accepted)]
                found += [
                    pytest.param(name, n, writer, values, refused, id=f"{where}-{said}")
                    for values, refused, said in ways
                ]
    return found


def _second_admin(case):
    from tests.accounts.factories import UserFactory

    return {"second_admin": UserFactory(admin=True, email="second.admin@example.org").pk}


def _approve_ce(case):
    from certification import services
    from certification.models import ContinuingEducation

    entry = ContinuingEducation.objects.get(pk=case.args["ce"][0])
    services.ce_approve(entry=entry, by=case.users["coordinator"])
    return {}


def _second_resource(case):
    from referrals.models import Resource

    program = case.users["coordinator"].program
    resource = Resource.objects.create(
        program=program, organisation="Placer Food Bank", categories=["food"]
    )
    return {"second_resource": resource.pk}


SETUPS = {
    "second_admin": _second_admin,
    "approve_ce": _approve_ce,
    "second_resource": _second_resource,
}


@pytest.fixture(scope="module")
def case(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(PEERPATH_PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_case()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


def _resolve(case, args: dict, value):
    """The case's value for "@mentee" (an object's id), "@user:mentor" (a
    person's), "@day:-7" (a day of the programs' calendar), "@hour_ago"."""
    if not isinstance(value, str) or not value.startswith("@"):
        return value
    key, _, rest = value[1:].partition(":")
    if key == "user":
        return case.users[rest].pk
    if key == "day":
        return (program_day() + timedelta(days=int(rest))).isoformat()
    if key == "hour_ago":
        return (timezone.now() - timedelta(hours=1)).isoformat()
    if key == "pdf":
        return pdf_upload("signed-consent.pdf")
    if key == "signature":  # the mentee's name as a signature must match it
        from mentorship.models import MenteeProfile
        from referrals.services import name_on_record

        return name_on_record(MenteeProfile.objects.get(pk=_arg(args, "mentee")))
    return _arg(args, key)


def _merged(case, args, *layers: dict, as_form: bool = False) -> dict:
    """The layers of data one over the other, the case's values put in."""
    data: dict = {}
    for layer in layers:
        for key, value in layer.items():
            if value is ABSENT:
                data.pop(key, None)
                continue
            value = _resolve(case, args, value)
            data[key] = str(value) if as_form and not isinstance(value, (list, File)) else value
    return data


def _words(case_name: str, entry: Breaks, kind: str) -> str:
    if entry.words is None:
        return str(constraint_named(case_name)[1].get_violation_error_message())
    return entry.words[kind] if isinstance(entry.words, dict) else entry.words


def _field(name: str, entry: Breaks) -> str | None:
    if entry.field != CONSTRAINT_FIELD:
        return entry.field
    model, constraint = constraint_named(name)
    return field_of(model, constraint)


def _arg(args: dict, key: str):
    return args[key][0] if isinstance(args[key], list) else args[key]


def _text(response) -> str:
    return html.unescape(response.content.decode())


def send(case, writer, values, args):
    """Send the values through the writer; (response, what a person reads)."""
    client = case.clients[writer.role]
    url = reverse(writer.name, args=[_arg(args, writer.arg)] if writer.arg else None)
    if isinstance(writer, Api):
        body = _merged(case, args, writer.body, values)
        response = getattr(client, writer.method)(url, body, content_type="application/json")
        return response, response.content.decode()
    if writer.action:
        data = _merged(case, args, writer.fill, values, as_form=True)
        response = client.post(url, data)
        assert response.status_code == 302, (response.status_code, url)
        return response, _text(client.get(response.url))
    shown = client.get(url)
    assert shown.status_code == 200, (shown.status_code, url)
    values = {f"{writer.prefix}{key}": value for key, value in values.items()}
    shown_data = page_form(shown.content.decode(), next(iter(values)))
    data = _merged(case, args, shown_data, writer.fill, values, as_form=True)
    response = client.post(url, data)
    return response, _text(response) if response.status_code == 200 else ""


def _said(read: str) -> str:
    """What a failing test shows of the answer: the errors and messages on a
    page, or the API's body."""
    if not read.lstrip().startswith("<"):
        return read
    errors = re.findall(r'class="(?:field__error|message[^"]*)"[^>]*>(.*?)</p>', read, re.S)
    return f"summary {error_summary(read)}, beside fields and as messages {errors}"


def _summary_links_to(page: str, words: str, field_id: str | None) -> None:
    """The error summary says the words, linked to the field (an element on
    the page), and the words stand beside the field too."""
    items = [item for item in error_summary(page) if words in item.text]
    assert items, f"the error summary does not say {words!r}: {error_summary(page)}"
    if field_id is None:
        return
    hrefs = {item.href for item in items}
    assert any(href and href.lstrip("#") in element_ids(page) for href in hrefs), (
        f"the summary's link for {words!r} leads nowhere: {hrefs}"
    )
    assert any(href and href.lstrip("#").startswith(field_id) for href in hrefs), hrefs
    beside = re.findall(r'<p class="field__error"[^>]*>(.*?)</p>', page, re.S)
    assert any(words in said for said in beside), f"not beside the field: {beside}"


def check(case, name, n, writer, values, refused):
    entry = _entries(name)[n]
    args = dict(case.args)
    if entry.setup:
        args |= SETUPS[entry.setup](case)
    kind = "api" if isinstance(writer, Api) else "page"
    before = snapshot()
    response, read = send(case, writer, values, args)
    label = f"{writer.role} {writer.name} {values}: {response.status_code}"
    assert response.status_code < 500, label
    if not refused:
        assert response.status_code in (200, 201, 302), label
        if kind == "page" and not writer.action:
            assert response.status_code == 302, f"{label} {_said(read)}"
        assert changes(before, snapshot()) != {}, f"{label}: not saved"
        return
    assert name not in read, label
    words = _words(name, entry, kind)
    assert words in read, f"{label}: {words!r} not in {_said(read)}"
    field_name = _field(name, entry)
    if kind == "api":
        assert response.status_code == 400, label
        detail = errors_in(json.loads(read))
        said = detail.get(field_name or "non_field_errors") or sum(detail.values(), [])
        assert any(words in message for message in said), f"{label}: {detail}"
    elif writer.action:
        pass  # the page it went back to says it (above)
    else:
        assert response.status_code == 200, label
        field_id = f"id_{writer.prefix}{field_name}" if field_name else None
        _summary_links_to(read, words, field_id)
    assert changes(before, snapshot()) == {}, f"{label}: saved"


CASES = cases()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "n", "writer", "values", "refused"), CASES)
def test_breaking_a_rule_reads_plainly(case, name, n, writer, values, refused):
    check(case, name, n, writer, values, refused)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "n", "writer", "values", "refused"), [c for c in CASES if c.values[4]]
)
def test_the_database_refusing_reads_the_same(case, name, n, writer, values, refused):
    """With the model's constraint checks off, the database refuses (as when
    two requests race past them): the same words, no 500, nothing saved."""
    with mock.patch.object(
        PlainConstraints, "validate_constraints", lambda self, exclude=None: None
    ):
        check(case, name, n, writer, values, refused)


# --- A race for one unique value ---------------------------------------------------


@pytest.mark.django_db
def test_a_race_for_one_address_reads_plainly(case):
    """Two invitations for one address at once: the second's insert meets the
    first's open invitation and is told so, beside the email."""
    from accounts.models import Invitation, Role

    first = {
        "email": "riley@example.org",
        "role": Role.MENTOR,
        "program_id": case.args["program"][0],
        "invited_by": case.users["coordinator"],
        "expires_at": timezone.now() + timedelta(days=7),
    }
    Invitation.objects.create(**first, token_hash="a" * 64)
    with pytest.raises(ValidationError) as refused, plain_violations():
        Invitation.objects.create(**first, token_hash="b" * 64)
    assert refused.value.message_dict == {"email": ["This address already has an open invitation."]}
    assert Invitation.objects.filter(email="riley@example.org").count() == 1


@pytest.mark.django_db
def test_a_name_taken_meanwhile_is_shown_on_the_form(case):
    """A page that saves without a service: the form checked the name was
    free, someone else took it before the save. The form comes back with the
    database's refusal in words, beside the name."""
    from accounts.forms import ProgramForm

    url = reverse("accounts:program_create")
    data = page_form(case.clients["admin"].get(url).content.decode(), "name")
    data |= {**PROGRAM, "name": "Fresno Recovery Mentors"}  # the case's other program
    before = snapshot()
    with mock.patch.object(ProgramForm, "validate_unique", lambda self: None):
        response = case.clients["admin"].post(url, data)
    page = _text(response)
    assert response.status_code == 200
    _summary_links_to(page, "Program with this Name already exists.", "id_name")
    assert "accounts_program_name_key" not in page
    assert changes(before, snapshot()) == {}


@pytest.mark.django_db
def test_an_api_name_taken_meanwhile_is_a_400(case):
    from rest_framework.validators import UniqueValidator

    before = snapshot()
    with mock.patch.object(UniqueValidator, "__call__", lambda self, value, field: None):
        response = case.clients["admin"].post(
            reverse("api:certification-type-list"),
            {**CREDENTIAL, "name": "Medi-Cal Peer Support Specialist"},
            content_type="application/json",
        )
    assert response.status_code == 400
    assert api_errors(response) == {"name": ["Certification type with this Name already exists."]}
    assert changes(before, snapshot()) == {}
