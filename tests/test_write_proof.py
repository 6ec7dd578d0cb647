"""The authorization proof for writes: every write of every page and API
route, as every role (tests/scoping.py CASE_ROLES).

A role that may not write gets 404 (outside its scope), 403 (in scope, not
allowed), 401 / the login page (anonymous), 405 (no such write) or, for an API
create naming objects the caller cannot see, 400 - never a success - and every
row of every model of ours is checked unchanged afterwards. The API writes are
read from the router, so a new action or method fails
`test_every_api_write_has_a_row` until it gets a row here.

Page forms are posted empty: the table shows writers answered 200 (the form
again) or a redirect while everyone else was refused, so the refusal comes
before the form is read. API writes carry a valid body (`payloads`), so that a
missing check would show up as a success. Mass assignment: every API route
that takes PATCH is sent, field by field, the values no caller may set.

The case is built once for the module and every test runs in a transaction
rolled back at its end.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.accounts.factories import program_day
from tests.certification.factories import pdf_upload
from tests.scoping import CASE_ROLES, LOGIN, row
from tests.write_proof_data import build_case, changed_columns, changes, snapshot

pytestmark = pytest.mark.django_db

API_WRITES = [
    #    name                                 method    arg             anon   admin  coord  mentor other  mentee other  outsider
    row("api:action-step-detail",             "delete", "step",         401,   404,   204,   204,   404,   403,   404,   404),
    row("api:action-step-detail",             "patch",  "step",         401,   404,   200,   200,   404,   403,   404,   404),
    row("api:action-step-list",               "post",   None,           401,   400,   201,   201,   400,   403,   400,   400),
    # The coordinator supervises the asking mentor; an admin may decide too.
    row("api:approval-approve",               "post",   "approval",     401,   200,   200,   403,   404,   404,   404,   404),
    row("api:approval-reject",                "post",   "approval",     401,   200,   200,   403,   404,   404,   404,   404),
    row("api:approval-withdraw",              "post",   "approval",     401,   403,   403,   200,   404,   404,   404,   404),
    row("api:assignment-end",                 "post",   "assignment",   401,   404,   200,   403,   404,   403,   404,   404),
    row("api:assignment-list",                "post",   None,           401,   400,   201,   400,   400,   400,   400,   400),
    row("api:certification-detail",           "patch",  "cert",         401,   200,   200,   403,   404,   404,   404,   404),
    row("api:certification-list",             "post",   None,           401,   201,   201,   400,   403,   400,   400,   400),
    row("api:certification-type-detail",      "delete", "type",         401,   400,   403,   403,   403,   403,   403,   403),
    row("api:certification-type-detail",      "patch",  "type",         401,   200,   403,   403,   403,   403,   403,   403),
    row("api:certification-type-detail",      "put",    "type",         401,   200,   403,   403,   403,   403,   403,   403),
    row("api:certification-type-list",        "post",   None,           401,   201,   403,   403,   403,   403,   403,   403),
    row("api:checkin-detail",                 "patch",  "checkin",      401,   404,   403,   200,   404,   403,   404,   404),
    row("api:checkin-list",                   "post",   None,           401,   400,   201,   201,   400,   403,   400,   400),
    row("api:checkin-void",                   "post",   "checkin",      401,   404,   200,   200,   404,   403,   404,   404),
    # A group naming Jordan: the other mentor and the outsider are refused in words.
    row("api:group-session-list",             "post",   None,           401,   403,   201,   201,   400,   403,   403,   400),
    row("api:continuing-education-approve",   "post",   "ce",           401,   200,   200,   403,   404,   404,   404,   404),
    row("api:continuing-education-reject",    "post",   "ce",           401,   200,   200,   403,   404,   404,   404,   404),
    row("api:continuing-education-void",      "post",   "ce",           401,   200,   200,   200,   404,   404,   404,   404),
    row("api:continuing-education-list",      "post",   None,           401,   403,   201,   201,   201,   403,   403,   201),
    # A certification out of reach is not a choice (400).
    row("api:certification-document-list",    "post",   None,           401,   201,   201,   201,   400,   400,   400,   400),
    row("api:goal-detail",                    "delete", "goal",         401,   404,   204,   204,   404,   403,   404,   404),
    row("api:goal-detail",                    "patch",  "goal",         401,   404,   200,   200,   404,   403,   404,   404),
    row("api:goal-list",                      "post",   None,           401,   400,   201,   201,   400,   403,   400,   400),
    row("api:invitation-list",                "post",   None,           401,   201,   201,   403,   403,   403,   403,   400),
    row("api:invitation-revoke",              "post",   "invitation",   401,   200,   200,   403,   403,   403,   403,   404),
    row("api:mentee-detail",                  "patch",  "mentee",       401,   404,   200,   403,   404,   403,   404,   404),
    row("api:mentee-invite",                  "post",   "mentee",       401,   404,   400,   403,   404,   403,   404,   404),
    row("api:mentee-list",                    "post",   None,           401,   403,   201,   403,   403,   403,   403,   201),
    row("api:mentee-transition",              "post",   "mentee",       401,   404,   200,   403,   404,   403,   404,   404),
    row("api:mentee-remote-consent",          "post",   "mentee",       401,   404,   200,   200,   404,   403,   404,   404),
    row("api:mentor-detail",                  "patch",  "mentor",       401,   200,   200,   200,   404,   403,   404,   404),
    row("api:notification-read",              "post",   "notification", 401,   404,   404,   200,   404,   404,   404,   404),
    row("api:notification-read-all",          "post",   None,           401,   200,   200,   200,   200,   200,   200,   200),
    # Everyone's own preferences only; a mentee does not receive check-in reminders (404).
    row("api:notification-preference-detail", "put",    "pref_kind",    401,   200,   200,   200,   200,   404,   404,   200),
    row("api:notification-preference-detail", "patch",  "pref_kind",    401,   200,   200,   200,   200,   404,   404,   200),
    # People: the mentor mentors the mentee, so the admin's deactivation, role
    # change and move are refused, as is reactivating an active person.
    row("api:person-change-role",             "post",   "person",       401,   400,   403,   403,   404,   404,   404,   404),
    row("api:person-deactivate",              "post",   "person",       401,   400,   403,   403,   404,   404,   404,   404),
    row("api:person-move",                    "post",   "person",       401,   400,   403,   403,   404,   404,   404,   404),
    row("api:person-reactivate",              "post",   "person",       401,   400,   403,   403,   404,   404,   404,   404),
    row("api:plan-acknowledge",               "post",   "plan",         401,   404,   403,   403,   404,   200,   404,   404),
    row("api:plan-activate",                  "post",   "plan",         401,   404,   400,   400,   404,   403,   404,   404),
    row("api:plan-detail",                    "patch",  "plan",         401,   404,   200,   200,   404,   403,   404,   404),
    row("api:plan-list",                      "post",   None,           401,   400,   201,   201,   400,   403,   400,   400),
    row("api:plan-new-version",               "post",   "plan",         401,   404,   201,   201,   404,   403,   404,   404),
    row("api:program-detail",                 "patch",  "program",      401,   200,   403,   403,   403,   403,   403,   404),
    row("api:program-detail",                 "put",    "program",      401,   200,   403,   403,   403,   403,   403,   404),
    row("api:program-list",                   "post",   None,           401,   201,   403,   403,   403,   403,   403,   403),
    row("api:consent-list",                   "post",   None,           401,   400,   201,   201,   400,   201,   400,   400),
    row("api:consent-revoke",                 "post",   "consent",      401,   404,   200,   200,   404,   200,   404,   404),
    row("api:referral-list",                  "post",   None,           401,   400,   201,   201,   400,   403,   400,   400),
    row("api:referral-status",                "post",   "referral",     401,   404,   200,   200,   404,   403,   404,   404),
    row("api:resource-list",                  "post",   None,           401,   403,   201,   403,   403,   403,   403,   201),
    row("api:resource-detail",                "patch",  "resource",     401,   200,   200,   403,   403,   404,   404,   404),
    # Only a current supervisor (the case's coordinator) records a session;
    # mentors outside the caller's program are not found (400).
    row("api:supervision-session-list",       "post",   None,           401,   400,   201,   403,   403,   403,   403,   400),
    # Asked on the check-in: the mentor may not ask (403); out of reach, 404.
    row("api:follow-up-list",                 "post",   None,           401,   404,   201,   403,   404,   403,   403,   404),
    row("api:follow-up-resolve",              "post",   "follow_up_request", 401, 404, 403, 200,   404,   404,   404,   404),
    # A mentee out of reach is not a choice (400); the mentee reads theirs, never records one.
    row("api:recovery-capital-list",          "post",   None,           401,   400,   201,   201,   400,   403,   400,   400),
    row("api:trigger-list",                   "post",   None,           401,   400,   201,   201,   400,   403,   400,   400),
    row("api:trigger-coping",                 "post",   "trigger",      401,   404,   201,   201,   404,   403,   404,   404),
    row("api:support-list",                   "post",   None,           401,   400,   201,   201,   400,   403,   400,   400),
    row("api:safety-plan-detail",             "patch",  "safety_plan",  401,   404,   200,   200,   404,   403,   404,   404),
    # A program's coordinators keep its templates (another program's make their own).
    row("api:plan-template-list",             "post",   None,           401,   403,   201,   403,   403,   403,   403,   201),
    row("api:plan-template-goals",            "post",   "template",     401,   201,   201,   403,   403,   404,   404,   404),
]  # fmt: skip

PAGE_WRITES = [
    #    name                                 method    arg             anon   admin  coord  mentor other  mentee other  outsider
    # A new token needs the second factor entered within 5 minutes: everyone
    # signed in is sent to enter it (or, without one, back to the list).
    row("accounts:api_token_create",          "post",   None,           LOGIN, 302,   302,   302,   302,   302,   302,   302),
    row("accounts:api_token_revoke",          "post",   "api_token",    LOGIN, 302,   302,   404,   404,   404,   404,   404),
    row("accounts:invitation_accept",         "post",   "token",        200,   409,   409,   409,   409,   409,   409,   409),
    row("accounts:invitation_list",           "post",   None,           LOGIN, 200,   200,   403,   403,   403,   403,   200),
    row("accounts:invitation_revoke",         "post",   "invitation",   LOGIN, 302,   302,   404,   404,   404,   404,   404),
    row("accounts:program_create",            "post",   None,           LOGIN, 200,   403,   403,   403,   403,   403,   403),
    row("accounts:program_edit",              "post",   "program",      LOGIN, 200,   403,   403,   403,   403,   403,   404),
    # People: the mentor mentors the mentee, so the admin's deactivation and
    # role change are refused (no row changes); reactivating an active
    # person is refused too. Coordinators read their program's people only.
    row("accounts:person_change_role",        "post",   "person",       LOGIN, 302,   403,   403,   404,   404,   404,   404),
    row("accounts:person_deactivate",         "post",   "person",       LOGIN, 302,   403,   403,   404,   404,   404,   404),
    row("accounts:person_move",               "post",   "person",       LOGIN, 302,   403,   403,   404,   404,   404,   404),
    row("accounts:person_reactivate",         "post",   "person",       LOGIN, 302,   403,   403,   404,   404,   404,   404),
    # Stay signed in: the caller's own session only (no row of ours changes).
    row("accounts:session_keepalive",         "post",   None,           LOGIN, 204,   204,   204,   204,   204,   204,   204),
    row("certification:ce_approve",           "post",   "ce",           LOGIN, 302,   302,   403,   404,   404,   404,   404),
    row("certification:ce_reject",            "post",   "ce",           LOGIN, 302,   302,   403,   404,   404,   404,   404),
    row("certification:ce_void",              "post",   "ce",           LOGIN, 302,   302,   302,   404,   404,   404,   404),
    row("certification:document_upload",      "post",   "cert",         LOGIN, 302,   302,   302,   404,   404,   404,   404),
    row("certification:edit",                 "post",   "cert",         LOGIN, 200,   200,   403,   404,   404,   404,   404),
    row("certification:mine",                 "post",   None,           LOGIN, 403,   200,   200,   200,   403,   403,   200),
    row("certification:ce_draft",             "post",   None,           LOGIN, 403,   200,   200,   200,   403,   403,   200),
    row("certification:new",                  "post",   None,           LOGIN, 200,   200,   403,   403,   403,   403,   200),
    row("certification:new_draft",            "post",   None,           LOGIN, 200,   200,   403,   403,   403,   403,   200),
    row("certification:renew",                "post",   "cert",         LOGIN, 302,   302,   403,   404,   404,   404,   404),
    row("certification:status",               "post",   "cert",         LOGIN, 302,   403,   403,   404,   404,   404,   404),
    row("certification:type_edit",            "post",   "type",         LOGIN, 200,   403,   403,   403,   403,   403,   403),
    row("certification:type_new",             "post",   None,           LOGIN, 200,   403,   403,   403,   403,   403,   403),
    row("checkins:assessment_new",            "post",   "mentee",       LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("checkins:assessment_draft",          "post",   "mentee",       LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("checkins:crisis_handled",            "post",   "checkin",      LOGIN, 404,   302,   403,   404,   403,   404,   404),
    row("checkins:draft",                     "post",   "mentee",       LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("checkins:draft_discard",             "post",   "mentee",       LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("checkins:edit",                      "post",   "checkin",      LOGIN, 404,   403,   200,   404,   403,   404,   404),
    row("checkins:log",                       "post",   "mentee",       LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("checkins:group_new",                 "post",   None,           LOGIN, 403,   200,   200,   200,   403,   403,   200),
    row("checkins:self",                      "post",   None,           LOGIN, 403,   403,   403,   403,   200,   200,   403),
    row("checkins:void",                      "post",   "checkin",      LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("mentorship:mentee_assign",           "post",   "mentee",       LOGIN, 404,   302,   403,   404,   403,   404,   404),
    row("mentorship:break_glass",             "post",   None,           LOGIN, 200,   200,   403,   403,   403,   403,   200),
    row("mentorship:mentee_consent",          "post",   "mentee",       LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("mentorship:mentee_create",           "post",   None,           LOGIN, 403,   200,   403,   403,   403,   403,   200),
    row("mentorship:mentee_create_draft",     "post",   None,           LOGIN, 403,   200,   403,   403,   403,   403,   200),
    row("mentorship:mentee_edit",             "post",   "mentee",       LOGIN, 404,   200,   403,   404,   403,   404,   404),
    row("mentorship:mentee_invite",           "post",   "mentee",       LOGIN, 404,   302,   403,   404,   403,   404,   404),
    row("mentorship:mentee_status",           "post",   "mentee",       LOGIN, 404,   302,   403,   404,   403,   404,   404),
    row("mentorship:mentor_capacity_edit",    "post",   "mentor",       LOGIN, 200,   200,   403,   404,   403,   404,   404),
    row("mentorship:mentor_profile_edit",     "post",   None,           LOGIN, 403,   403,   200,   200,   403,   403,   403),
    row("mentorship:mentor_profile_draft",    "post",   None,           LOGIN, 403,   403,   200,   200,   403,   403,   403),
    row("notifications:open",                 "post",   "notification", LOGIN, 404,   404,   302,   404,   404,   404,   404),
    row("notifications:read",                 "post",   "notification", LOGIN, 404,   404,   302,   404,   404,   404,   404),
    row("notifications:read_all",             "post",   None,           LOGIN, 302,   302,   302,   302,   302,   302,   302),
    # A retry of an email that has not failed changes nothing (the admin's 302).
    row("operations:notification_retry",      "post",   "notification", LOGIN, 302,   403,   403,   403,   403,   403,   403),
    # The case is open, so the admin's purge is refused (302 back); the form sent empty, 200.
    row("operations:retention_purge",         "post",   "mentee",       LOGIN, 302,   403,   403,   403,   403,   403,   403),
    row("operations:retention_setting",       "post",   "program",      LOGIN, 200,   403,   403,   403,   403,   403,   403),
    row("notifications:email_preferences",    "post",   None,           LOGIN, 302,   302,   302,   302,   302,   302,   302),
    row("recovery_plans:acknowledge",         "post",   "plan",         LOGIN, 404,   403,   403,   404,   302,   404,   404),
    row("recovery_plans:activate",            "post",   "plan",         LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:coping_add",          "post",   "trigger",      LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:goal_add",            "post",   "plan",         LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:goal_add_draft",      "post",   "plan",         LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("recovery_plans:goal_edit",           "post",   "goal",         LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("recovery_plans:goal_draft",          "post",   "goal",         LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("recovery_plans:goal_move",           "post",   "goal",         LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:goal_remove",         "post",   "goal",         LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:new_version",         "post",   "plan",         LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:review_date",         "post",   "plan",         LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:safety_edit",         "post",   "plan",         LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("recovery_plans:safety_draft",        "post",   "plan",         LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("recovery_plans:start",               "post",   "mentee",       LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:step_add",            "post",   "goal",         LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:step_move",           "post",   "step",         LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:step_remove",         "post",   "step",         LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:step_toggle",         "post",   "step",         LOGIN, 404,   302,   302,   404,   302,   404,   404),
    row("recovery_plans:support_add",         "post",   "plan",         LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("recovery_plans:template_detail",     "post",   "template",     LOGIN, 200,   200,   403,   403,   404,   404,   404),
    row("recovery_plans:template_list",       "post",   None,           LOGIN, 403,   200,   403,   403,   403,   403,   200),
    row("recovery_plans:trigger_add",         "post",   "plan",         LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("referrals:collateral_new",           "post",   "mentee",       LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("referrals:consent_record",           "post",   "mentee",       LOGIN, 404,   200,   200,   404,   403,   404,   404),
    # The mentee revokes their own consent; staff revoke when the mentee asks.
    row("referrals:consent_revoke",           "post",   "consent",      LOGIN, 404,   302,   302,   404,   302,   404,   404),
    row("referrals:consent_sign",             "post",   None,           LOGIN, 403,   403,   403,   403,   200,   403,   403),
    row("referrals:letter_new",               "post",   "mentee",       LOGIN, 404,   200,   200,   404,   403,   404,   404),
    row("referrals:referral_new",             "post",   "mentee",       LOGIN, 404,   200,   200,   404,   403,   404,   404),
    # An empty form names no status: the page says so and changes nothing.
    row("referrals:referral_status",          "post",   "referral",     LOGIN, 404,   302,   302,   404,   403,   404,   404),
    row("referrals:resource_edit",            "post",   "resource",     LOGIN, 200,   200,   403,   403,   403,   403,   404),
    row("referrals:resource_import",          "post",   None,           LOGIN, 403,   200,   403,   403,   403,   403,   200),
    row("referrals:resource_new",             "post",   None,           LOGIN, 403,   200,   403,   403,   403,   403,   200),
    # Posted empty (no decision): the decider and the asker see the form again.
    row("supervision:approval_detail",        "post",   "approval",     LOGIN, 200,   200,   200,   404,   404,   404,   404),
    row("supervision:action_item_done",       "post",   "action_item",  LOGIN, 403,   403,   302,   404,   404,   404,   404),
    row("supervision:follow_up_new_checkin",  "post",   "checkin",      LOGIN, 404,   200,   403,   404,   404,   404,   404),
    row("supervision:follow_up_new_plan",     "post",   "plan",         LOGIN, 404,   200,   403,   404,   404,   404,   404),
    row("supervision:follow_up_resolve",      "post",   "follow_up_request", LOGIN, 404, 403, 200, 404,  404,   404,   404),
    row("supervision:assign",                 "post",   None,           LOGIN, 403,   200,   403,   403,   403,   403,   200),
    row("supervision:session_acknowledge",    "post",   "supervision",  LOGIN, 403,   403,   302,   404,   404,   404,   404),
    row("supervision:session_new",            "post",   None,           LOGIN, 403,   200,   403,   403,   403,   403,   403),
    row("supervision:settings",               "post",   None,           LOGIN, 403,   200,   403,   403,   403,   403,   200),
    row("supervision:supervisor_new",         "post",   None,           LOGIN, 403,   200,   403,   403,   403,   403,   200),
    # An empty form names no date: the page says so and changes nothing.
    row("supervision:supervisor_training",    "post",   "supervisor",   LOGIN, 403,   302,   403,   403,   404,   404,   404),
    # An empty form is an attempt that did not reach the mentee.
    row("reports:follow_up_attempt",          "post",   "follow_up",    LOGIN, 404,   302,   302,   404,   403,   404,   404),
]  # fmt: skip

# Pages that only read: a POST to them is a GET or a 405, never a write.
READ_ONLY_PAGES = {
    "dashboard", "accounts:api_tokens", "accounts:program_list", "accounts:my_account",
    "accounts:people",
    "audit:search", "audit:export", "mentorship:my_record_access",
    "mentorship:mentee_access_history", "accounts:program_detail", "accounts:session_expired",
    "api-schema", "api-docs", "accounts:style_guide",
    "mentorship:mentee_list", "mentorship:mentee_detail", "mentorship:mentor_list",
    "mentorship:mentor_detail",
    "notifications:list", "notifications:unread_count", "operations:page",
    "operations:retention",
    "checkins:detail", "checkins:timeline", "checkins:groups", "checkins:group_detail",
    "recovery_plans:list", "recovery_plans:detail", "recovery_plans:print", "recovery_plans:history",
    "certification:ce_queue", "certification:ce_evidence", "certification:detail",
    "certification:document", "certification:report", "certification:report_csv",
    "certification:types",
    "referrals:mentee", "referrals:accounting", "referrals:accounting_csv", "referrals:letter",
    "referrals:letter_pdf",
    "referrals:my_consents", "referrals:resource_list", "referrals:consent_form",
    "supervision:home", "supervision:session_detail", "supervision:approvals", "supervision:log", "supervision:log_csv",
    "supervision:follow_up_list", "supervision:follow_up_detail",
    "reports:outcomes", "reports:outcomes_csv", "reports:follow_ups", "reports:mentee_months_csv",
    "reports:outcomes_pdf",
}  # fmt: skip

SUCCESS = range(200, 400)
WRITE_METHODS = ("post", "put", "patch", "delete")


def payloads(case) -> dict:
    """A valid body for each API write, so that only a permission can refuse it."""
    a = {key: value[0] for key, value in case.args.items()}
    # Dates near the programs' today, so that CI's shifted clock changes nothing.
    today = program_day()
    soon, last_week = (today + dt.timedelta(days=30)).isoformat(), today - dt.timedelta(days=7)
    an_hour_ago = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    program = {
        "name": "Placer Peer Recovery",
        "state": "CA",
        "county": "Placer",
        "time_zone": "America/Los_Angeles",
    }
    return {
        ("api:program-list", "post"): program,
        ("api:program-detail", "put"): program,
        ("api:program-detail", "patch"): {"county": "Placer"},
        ("api:invitation-list", "post"): {"email": "new@example.org", "role": "mentor", "program": a["program"]},
        ("api:invitation-revoke", "post"): {},
        ("api:mentor-detail", "patch"): {"bio": "Changed"},
        ("api:mentee-list", "post"): {"preferred_name": "Riley", "email": "riley@example.org"},
        ("api:mentee-detail", "patch"): {"preferred_name": "Changed"},
        ("api:mentee-transition", "post"): {"to_status": "on_hold"},
        ("api:mentee-invite", "post"): {},
        ("api:mentee-remote-consent", "post"): {"consent": "video"},
        ("api:assignment-list", "post"): {"mentee": a["mentee"], "mentor": case.users["other_mentor"].pk, "end_reason": "other"},
        ("api:assignment-end", "post"): {"reason": "other"},
        ("api:person-deactivate", "post"): {},
        ("api:person-reactivate", "post"): {},
        ("api:person-change-role", "post"): {"role": "coordinator"},
        ("api:person-move", "post"): {"program": a["other_program"]},
        ("api:plan-list", "post"): {"mentee": a["mentee"]},
        ("api:plan-detail", "patch"): {"review_on": soon},
        ("api:plan-activate", "post"): {},
        ("api:plan-new-version", "post"): {},
        ("api:plan-acknowledge", "post"): {},
        ("api:goal-list", "post"): {"plan": a["plan"], "domain": "health", "description": "Walk"},
        ("api:goal-detail", "patch"): {"description": "Changed"},
        ("api:goal-detail", "delete"): None,
        ("api:action-step-list", "post"): {"goal": a["goal"], "description": "Call"},
        ("api:action-step-detail", "patch"): {"description": "Changed"},
        ("api:action-step-detail", "delete"): None,
        ("api:checkin-list", "post"): {"mentee": a["mentee"], "occurred_at": an_hour_ago, "delivery_method": "in_person"},
        ("api:checkin-detail", "patch"): {"notes": "Changed"},
        ("api:checkin-void", "post"): {"reason": "Logged for the wrong person"},
        ("api:group-session-list", "post"): {"occurred_at": an_hour_ago, "duration_minutes": 60, "delivery_method": "in_person", "topic": "Cravings", "attendees": [{"mentee": a["mentee"], "status": "present"}]},
        ("api:notification-read", "post"): {},
        ("api:notification-read-all", "post"): {},
        ("api:notification-preference-detail", "put"): {"email": False},
        ("api:notification-preference-detail", "patch"): {"email": False},
        ("api:certification-type-list", "post"): {"name": "New credential", "issuing_body": "Board", "cycle_months": 24},
        ("api:certification-type-detail", "put"): {"name": "Renamed", "issuing_body": "Board", "cycle_months": 24},
        ("api:certification-type-detail", "patch"): {"issuing_body": "Changed"},
        ("api:certification-type-detail", "delete"): None,
        ("api:certification-list", "post"): {"holder": case.users["other_mentor"].pk, "certification_type": a["other_type"], "issued_on": last_week.isoformat()},
        ("api:certification-detail", "patch"): {"number": "CHANGED-1"},
        ("api:continuing-education-list", "post"): {"course_title": "Ethics", "provider": "CCAPP", "completed_on": last_week.isoformat(), "hours": "3.0", "category": "law_and_ethics"},
        ("api:continuing-education-approve", "post"): {},
        # A file upload: a new multipart body for each request.
        ("api:certification-document-list", "post"): lambda: {"certification": a["cert"], "file": pdf_upload("renewal.pdf")},
        ("api:continuing-education-reject", "post"): {"reason": "No certificate attached"},
        ("api:continuing-education-void", "post"): {"reason": "Logged the same course twice"},
        ("api:resource-list", "post"): {"organisation": "Delta House", "categories": ["housing"]},
        ("api:resource-detail", "patch"): {"hours": "Mon-Fri 9-5"},
        ("api:referral-list", "post"): {"mentee": a["mentee"], "category": "food", "organisation": "Food Bank", "reason": "Asked", "mode": "information_only"},
        ("api:referral-status", "post"): {"to_status": "sent"},
        # Staff record a paper consent; the mentee signs (agreed, their name on record).
        ("api:consent-list", "post"): {"mentee": a["mentee"], "categories": ["attendance"], "recipient_name": "Delta House", "purpose": "linkage", "expires_on": soon, "signed_name": _name_on_record(a["mentee"]), "agreed": True},
        ("api:approval-approve", "post"): {"comment": "Agreed in supervision."},
        ("api:approval-reject", "post"): {"comment": "Not yet."},
        ("api:approval-withdraw", "post"): {},
        ("api:consent-revoke", "post"): {"note": "Asked by phone"},
        ("api:follow-up-list", "post"): {"checkin": a["checkin"], "text": "Call again before Friday", "due_on": soon},
        ("api:follow-up-resolve", "post"): {"answer": "Called; the court date is set."},
        ("api:supervision-session-list", "post"): {"kind": "individual", "held_on": today.isoformat(), "duration_minutes": 60, "format": "video", "topics": ["skills"], "mentors": [case.users["mentor"].pk]},
        ("api:trigger-list", "post"): {"plan": a["plan"], "description": "Payday", "coping": ["Call Sam"]},
        ("api:trigger-coping", "post"): {"description": "Walk"},
        ("api:support-list", "post"): {"plan": a["plan"], "name": "Alex", "kind": "person"},
        ("api:safety-plan-detail", "patch"): {"warning_signs": "Changed"},
        ("api:plan-template-list", "post"): {"name": "Thirty days"},
        ("api:plan-template-goals", "post"): {"domain": "home", "description": "Stable housing", "steps": ["Apply"]},
        ("api:recovery-capital-list", "post"): {"mentee": a["mentee"], **{f"item_{n}": 4 for n in range(1, 11)}},
    }  # fmt: skip


def _name_on_record(mentee_id):
    from mentorship.models import MenteeProfile
    from referrals.services import name_on_record

    return name_on_record(MenteeProfile.objects.get(pk=mentee_id))


@pytest.fixture(scope="module")
def case(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(PEERPATH_PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            case = build_case()
            case.payloads = payloads(case)
            yield case
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


def send(case, role, name, method, arg):
    url = reverse(name, args=case.args[arg] if arg else None)
    client = case.clients[role]
    if name.startswith("api:"):
        body = case.payloads.get((name, method))
        if callable(body):  # multipart/form-data (a file)
            return url, getattr(client, method)(url, body())
        return url, getattr(client, method)(url, body, content_type="application/json")
    return url, client.post(url)


def api_writes() -> set[tuple[str, str]]:
    """Every (route name, write method) the API router answers."""
    found = set()

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                )
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
                view = pattern.callback.cls
                # A viewset answers the methods its route maps; an APIView, those it defines.
                methods = getattr(pattern.callback, "actions", None) or [
                    method for method in view.http_method_names if hasattr(view, method)
                ]
                for method in methods:
                    if method in view.http_method_names and method in WRITE_METHODS:
                        found.add((f"{namespace}{pattern.name}", method))

    walk(get_resolver(), "")
    return found


def test_every_api_write_has_a_row():
    assert api_writes() == {(r[0], r[1]) for r in API_WRITES}


def test_every_page_is_a_write_row_or_read_only():
    from tests.test_url_coverage import THIRD_PARTY_PREFIXES, named_urls

    pages = {n for n in named_urls() if not n.startswith((*THIRD_PARTY_PREFIXES, "api:"))}
    written = {r[0] for r in PAGE_WRITES}
    assert pages - READ_ONLY_PAGES == written
    assert not written & READ_ONLY_PAGES


WRITES = API_WRITES + PAGE_WRITES


@pytest.mark.parametrize("role", CASE_ROLES)
@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"), WRITES, ids=[f"{r[0]}-{r[1]}" for r in WRITES]
)
def test_a_refused_write_changes_nothing(case, role, name, method, arg, expected):
    before = snapshot()
    url, response = send(case, role, name, method, arg)
    label = f"{role} {method} {url}"
    if expected[role] == LOGIN:
        assert response.status_code == 302, label
        assert response.url.startswith(reverse("account_login")), label
    else:
        assert response.status_code == expected[role], label
    if expected[role] == LOGIN or expected[role] not in SUCCESS:
        assert changes(before, snapshot()) == {}, label


# What no caller may set through the API, with the values an attacker would
# send: each is PATCHed alone, so that one refused field cannot hide another.
HOSTILE = [
    ("role", "admin"),
    ("program", "other_program"),
    ("mentor", "other_mentor"),
    ("holder", "uncertified"),
    ("author", "other_mentor"),
    ("billable", True),
    ("billable", False),
    ("is_staff", True),
    ("is_active", False),
    ("status", "discharged"),
    ("status", "graduated"),
    ("status", "archived"),
    ("status", "achieved"),
    ("status", "revoked"),
]
PATCH_ROUTES = [r for r in API_WRITES if r[1] == "patch"]
# What a writer's PATCH may change: a save stamps updated_at; a goal's status
# is the one listed field a route exists to set (and the plan's history says so).
MAY_CHANGE = {
    "api:mentor-detail": {"mentorship_mentorprofile.updated_at"},
    "api:checkin-detail": {"checkins_checkin.updated_at"},
    "api:resource-detail": {"referrals_resource.updated_at"},
    "api:goal-detail": {"recovery_plans_goal.status", "recovery_plans_planchange+"},
}


def hostile_value(case, value):
    if value in ("other_program", "uncertified"):
        return case.args[value][0]
    if value == "other_mentor":
        return case.users["other_mentor"].pk
    return value


def test_every_patch_route_is_sent_the_hostile_fields():
    assert {r[0] for r in PATCH_ROUTES} == {
        name for name, method in api_writes() if method == "patch"
    }


@pytest.mark.parametrize("role", CASE_ROLES)
@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"), PATCH_ROUTES, ids=[r[0] for r in PATCH_ROUTES]
)
def test_mass_assignment_changes_nothing(case, role, name, method, arg, expected):
    url = reverse(name, args=case.args[arg])
    may_change = MAY_CHANGE.get(name, set()) if expected[role] in SUCCESS else set()
    for field, value in HOSTILE:
        before = snapshot()
        response = case.clients[role].patch(
            url, {field: hostile_value(case, value)}, content_type="application/json"
        )
        label = f"{role} PATCH {url} {field}={value}: {response.status_code}"
        assert response.status_code < 500, label
        assert changed_columns(before, snapshot()) <= may_change, label


# Opening a notification marks it read (its link is a GET), whatever the verb.
WRITES_ON_GET = {"notifications:open"}
POST_ONLY_PAGES = [r for r in PAGE_WRITES if r[0] not in WRITES_ON_GET]


@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"), POST_ONLY_PAGES, ids=[r[0] for r in POST_ONLY_PAGES]
)
def test_pages_write_on_post_only(case, name, method, arg, expected):
    """A page writes on POST alone: PUT, PATCH and DELETE change nothing, even
    from the roles its POST serves."""
    url = reverse(name, args=case.args[arg] if arg else None)
    writers = [role for role in CASE_ROLES if expected[role] != LOGIN and expected[role] in SUCCESS]
    for role in writers:
        for verb in ("put", "patch", "delete"):
            before = snapshot()
            response = getattr(case.clients[role], verb)(url)
            label = f"{role} {verb} {url}: {response.status_code}"
            assert response.status_code < 500, label
            assert changes(before, snapshot()) == {}, label


@pytest.mark.parametrize("name", sorted(READ_ONLY_PAGES))
def test_read_only_pages_write_nothing(case, name):
    """A POST to a page that only reads is read as a GET (or refused)."""
    from tests.test_url_coverage import TABLES

    (arg,) = {r[2] for table in TABLES for r in table if r[0] == name}
    url = reverse(name, args=case.args[arg] if arg else None)
    for role in CASE_ROLES:
        before = snapshot()
        response = case.clients[role].post(url)
        label = f"{role} POST {url}: {response.status_code}"
        assert response.status_code < 500, label
        assert changes(before, snapshot()) == {}, label
