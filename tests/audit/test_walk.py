"""The audit walk: every URL and API operation of the scoping tables and of
the write proof that shows or changes mentee data, sent by a user allowed to
use it, records exactly one event naming the mentee whose record it was; and
each one that is refused records one denied event naming them too.

A URL left out of the walk is in NOT_MENTEE_DATA with the reason, so a new
URL is walked unless someone says why it holds nothing of a mentee's record.
The case is the write proof's (tests/write_proof_data.py): one program, one
mentee record with every kind of object, rolled back after each test.
"""

import pytest
from django.urls import reverse

from audit.models import AccessEvent, Outcome
from audit.registry import route_for
from mentorship.models import MenteeProfile
from tests.mentorship.test_intake_and_logins import INTAKE
from tests.scoping import LOGIN
from tests.test_url_coverage import TABLES
from tests.test_write_proof import SUCCESS, WRITES, case, send  # noqa: F401 (case: a fixture)

pytestmark = pytest.mark.django_db

# Pages and API routes that hold nothing of a mentee's record, and why.
NOT_MENTEE_DATA = {
    # Programs, people's accounts, invitations and tokens: staff administration.
    "accounts:program_list", "accounts:program_create", "accounts:program_detail",
    "accounts:program_edit", "accounts:invitation_list", "accounts:invitation_revoke",
    "accounts:invitation_accept", "accounts:api_tokens", "accounts:api_token_create",
    "accounts:api_token_revoke", "accounts:session_expired", "accounts:my_account",
    "api:api-root", "api:user-me",
    "api:program-list", "api:program-detail", "api:invitation-list", "api:invitation-detail",
    "api:invitation-revoke",
    # Operations: scheduled jobs, queue depth and failed emails by id, kind
    # and reason; no recipient and nothing of a mentee's record.
    "operations:page", "operations:notification_retry",
    # Retention: record numbers and dates of closed cases, and each program's
    # years; the purge itself is recorded by its service as a delete naming
    # the mentee (tests/operations/test_retention.py).
    "operations:retention", "operations:retention_setting", "operations:retention_purge",
    # The style guide: example components, no records.
    "accounts:style_guide",
    # "Stay signed in": restarts the caller's idle clock and answers no content.
    "accounts:session_keepalive",
    # The people page lists logins (name, email, role), never a mentee's record.
    "accounts:people", "accounts:person_deactivate", "accounts:person_reactivate",
    "accounts:person_change_role", "accounts:person_move",
    # The people API, the same: logins, never a record. Moving a mentee moves
    # their record, which its service records as a change naming the mentee
    # (tests/accounts/test_people_api.py), as it does from the page.
    "api:person-list", "api:person-detail", "api:person-deactivate", "api:person-reactivate",
    "api:person-change-role", "api:person-move",
    # The API's description, no data.
    "api-schema", "api-docs",
    # Mentors' profiles and capacity: about the mentor, not a mentee.
    "mentorship:mentor_list", "mentorship:mentor_detail", "mentorship:mentor_profile_edit",
    "mentorship:mentor_profile_draft",
    "mentorship:mentor_capacity_edit", "api:mentor-list", "api:mentor-detail",
    # The form asks for a reason; the grant itself is recorded by its service
    # with the reason (tests/mentorship/test_break_glass.py).
    "mentorship:break_glass",
    # Notifications: the page names mentees only for kinds about one, and then
    # records the list itself (tests/notifications/test_naming.py); opening,
    # marking read, the count and the API carry a kind and a link, no name.
    "notifications:list", "notifications:unread_count", "notifications:open",
    "notifications:read", "notifications:read_all", "api:notification-list",
    "api:notification-detail", "api:notification-read", "api:notification-read-all",
    # Email preferences: the reader's own choice of kinds, never about a mentee.
    "notifications:email_preferences", "api:notification-preference-list",
    "api:notification-preference-detail",
    # An intake being typed (core.drafts): the coordinator's own unsaved words,
    # kept for them alone, before there is anyone's record to name; the record
    # the intake makes is walked (mentorship:mentee_create).
    "mentorship:mentee_create_draft",
    # Specialists' certification and continuing education: staff records.
    "certification:mine", "certification:ce_draft", "certification:new", "certification:new_draft",
    "certification:report",
    "certification:report_csv", "certification:types", "certification:type_new",
    "certification:type_edit", "certification:ce_queue", "certification:ce_approve",
    "certification:ce_reject", "certification:ce_void", "certification:ce_evidence",
    "certification:document", "certification:detail", "certification:edit",
    "certification:renew", "certification:status", "certification:document_upload",
    "api:certification-type-list", "api:certification-type-detail", "api:certification-list",
    "api:certification-detail", "api:continuing-education-list",
    "api:continuing-education-detail", "api:continuing-education-approve",
    "api:continuing-education-reject", "api:continuing-education-void",
    "api:report-certifications", "api:continuing-education-evidence",
    "api:certification-document-list", "api:certification-document-detail",
    "api:certification-document-download",
    # Plan templates hold no mentee's plan.
    "recovery_plans:template_list", "recovery_plans:template_detail",
    "api:plan-template-list", "api:plan-template-detail", "api:plan-template-goals",
    # The trail itself: ids, no record; its export records itself (tests/audit/test_pages.py).
    "audit:search", "audit:export",
    # The resource directory: a program's list of services, no mentee in it.
    "referrals:resource_list", "referrals:resource_new", "referrals:resource_edit",
    "referrals:resource_import", "api:resource-list", "api:resource-detail",
    # Supervision is about the mentor's practice: supervisors, assignments,
    # settings, hours, action items and acknowledgements hold no mentee's
    # record. A session links the mentees discussed by id (no names): reading
    # one is walked (supervision:session_detail, api:supervision-session-detail);
    # lists, logs and the forms show dates, minutes, topics and mentors only.
    "supervision:home", "supervision:supervisor_new", "supervision:supervisor_training",
    "supervision:assign", "supervision:settings", "supervision:session_new",
    "supervision:session_acknowledge", "supervision:action_item_done", "supervision:log",
    "supervision:log_csv", "api:supervisor-list", "api:supervisor-detail",
    "api:supervision-session-list",
    # The outcome report: aggregates under the small-cell rule, no mentee named;
    # its exports record who took them and when (tests/reports/test_exports.py).
    "reports:outcomes", "reports:outcomes_csv", "reports:outcomes_pdf", "api:report-outcomes",
    # De-identified mentee months: pseudonyms and months, no one named; the
    # export records who took it (tests/reports/test_exports.py).
    "reports:mentee_months_csv",
}  # fmt: skip
# A page whose GET is an empty form (its POST makes a record and is walked).
EMPTY_FORMS = {("mentorship:mentee_create", "get")}

# Who uses a URL, in this order of preference: the first role the tables let in.
PERMITTED_ROLES = ("coordinator", "mentor", "mentee")
# A refused user of each kind: another program's coordinator, another mentor.
REFUSED_ROLES = ("outsider", "other_mentor")
# Routes that make a new mentee record: the event names the new one.
CREATES_A_MENTEE = {("api:mentee-list", "post"), ("mentorship:mentee_create", "post")}
# Page forms are posted empty (the write proof's way) except where only a
# valid form says whose record it was.
PAGE_BODIES = {"mentorship:mentee_create": {**INTAKE, "email": "walk@example.org"}}


def _plan_back_to_draft(built):
    from recovery_plans.models import RecoveryPlan

    RecoveryPlan.objects.filter(pk=built.args["plan"][0]).update(
        status=RecoveryPlan.Status.DRAFT, activated_at=None, acknowledged_at=None
    )


def _mentee_without_login(built):
    MenteeProfile.objects.filter(pk=built.args["mentee"][0]).update(
        user=None, email="walk.invite@example.org"
    )


# The case answers these with a 400 (nothing done: the plan is already active,
# the mentee already has a login, and a refused body is not recorded); the walk
# first puts the record in the state where the operation does its work.
PREPARE = {
    ("api:plan-activate", "post"): _plan_back_to_draft,
    ("api:mentee-invite", "post"): _mentee_without_login,
}


def walked_rows():
    rows = {(r[0], r[1]): r for table in TABLES for r in table}
    rows.update({(r[0], r[1]): r for r in WRITES})
    return sorted(
        (r for key, r in rows.items() if key[0] not in NOT_MENTEE_DATA and key not in EMPTY_FORMS),
        key=lambda r: r[:2],
    )


WALK = walked_rows()


def reaches(expected, name, method) -> bool:
    """A success, or a 400 the walk turns into one (PREPARE)."""
    if expected == LOGIN:
        return False
    return expected in SUCCESS or (expected == 400 and (name, method) in PREPARE)


def send_as(case, role, name, method, arg):  # noqa: F811 (case: the fixture)
    if method == "get":
        url = reverse(name, args=case.args[arg] if arg else None)
        return case.clients[role].get(url)
    if name in PAGE_BODIES:
        return case.clients[role].post(reverse(name), PAGE_BODIES[name])
    return send(case, role, name, method, arg)[1]


def new_events(before):
    return list(AccessEvent.objects.exclude(pk__in=before).order_by("pk"))


def test_the_walk_covers_the_dashboard_and_every_mentee_record_route():
    names = {r[0] for r in WALK}
    assert {"dashboard", "checkins:self", "api:goal-list", "api:assignment-end"} <= names
    assert not NOT_MENTEE_DATA & {"mentorship:mentee_detail", "recovery_plans:detail"}


@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"), WALK, ids=[f"{r[0]}-{r[1]}" for r in WALK]
)
def test_a_permitted_use_records_one_event_naming_the_mentee(
    case,  # noqa: F811
    name,
    method,
    arg,
    expected,
):
    roles = [role for role in PERMITTED_ROLES if reaches(expected[role], name, method)]
    assert roles, f"{name}: nobody in the case may use it"
    role = roles[0]
    if name != "dashboard":
        assert route_for(name, method.upper()) is not None, f"{name} {method} is not registered"
    mentee_id = case.args["mentee"][0]
    if (name, method) in PREPARE:
        PREPARE[(name, method)](case)
    before = set(AccessEvent.objects.values_list("pk", flat=True))

    response = send_as(case, role, name, method, arg)

    label = f"{role} {method} {name}: {response.status_code}"
    # A valid form is saved and redirects where the empty one came back; a
    # prepared record lets the operation do its work.
    wanted = 302 if name in PAGE_BODIES else 200 if (name, method) in PREPARE else expected[role]
    assert response.status_code == wanted, label
    events = new_events(before)
    assert len(events) == 1, (label, [(e.action, e.object_type) for e in events])
    event = events[0]
    assert (event.outcome, event.user_id) == (Outcome.ALLOWED, case.users[role].pk), label
    if (name, method) in CREATES_A_MENTEE:
        (created,) = event.mentee_ids
        assert MenteeProfile.objects.filter(pk=created, created_by=case.users[role]).exists()
    else:
        assert event.mentee_ids == [mentee_id], label


REFUSABLE = [r for r in WALK if r[2] is not None]


@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"), REFUSABLE, ids=[f"{r[0]}-{r[1]}" for r in REFUSABLE]
)
def test_a_refused_use_records_one_denied_event_naming_the_mentee(
    case,  # noqa: F811
    name,
    method,
    arg,
    expected,
):
    """A URL naming a part of the record, refused (404 or 403): one denied
    event that still says whose record was asked for."""
    mentee_id = case.args["mentee"][0]
    for role in REFUSED_ROLES:
        if expected[role] not in (403, 404):
            continue
        before = set(AccessEvent.objects.values_list("pk", flat=True))
        response = send_as(case, role, name, method, arg)
        label = f"{role} {method} {name}: {response.status_code}"
        assert response.status_code == expected[role], label
        events = new_events(before)
        assert len(events) == 1, (label, [(e.action, e.object_type) for e in events])
        assert (events[0].outcome, events[0].mentee_ids) == (Outcome.DENIED, [mentee_id]), label
