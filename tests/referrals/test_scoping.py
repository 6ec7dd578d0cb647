"""Every referrals URL, every role: a mentee's referrals, consents and
disclosures follow the mentee scope (404 outside it); the mentee signs and
revokes only their own; the directory is the program's, kept by coordinators."""

import pytest
from django.urls import reverse

from referrals import services
from referrals.consents import Recipient
from tests.certification.factories import pdf_upload
from tests.referrals.factories import make_consent, make_resource
from tests.scoping import LOGIN, MENTEE_RECORD_ARGS, row, scoping_tests

pytestmark = pytest.mark.django_db

PAGES = [
    #    name                               method  arg           anon   admin coord mentor other  mentee other  outsider
    row("referrals:mentee",                 "get",  "mentee",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("referrals:referral_new",           "get",  "mentee",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("referrals:consent_record",         "get",  "mentee",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("referrals:letter_new",             "get",  "mentee",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("referrals:collateral_new",         "get",  "mentee",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("referrals:accounting",             "get",  "mentee",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("referrals:accounting_csv",         "get",  "mentee",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("referrals:referral_status",        "post", "referral",   LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("referrals:consent_revoke",         "post", "consent",    LOGIN, 404,  302,  302,   404,   302,   404,   404),
    row("referrals:consent_form",           "get",  "consent",    LOGIN, 404,  200,  200,   404,   200,   404,   404),
    row("referrals:letter",                 "get",  "letter",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("referrals:letter_pdf",             "get",  "letter",     LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("referrals:my_consents",            "get",  None,         LOGIN, 403,  403,  403,   403,   200,   403,   403),
    row("referrals:consent_sign",           "get",  None,         LOGIN, 403,  403,  403,   403,   200,   403,   403),
    row("referrals:resource_list",          "get",  None,         LOGIN, 200,  200,  200,   200,   403,   403,   200),
    row("referrals:resource_new",           "get",  None,         LOGIN, 403,  200,  403,   403,   403,   403,   200),
    row("referrals:resource_import",        "get",  None,         LOGIN, 403,  200,  403,   403,   403,   403,   200),
    row("referrals:resource_edit",          "get",  "resource",   LOGIN, 200,  200,  403,   403,   403,   403,   404),
    row("api:resource-list",                "get",  None,         401,   200,  200,  200,   200,   200,   200,   200),
    row("api:resource-detail",              "get",  "resource",   401,   200,  200,  200,   200,   404,   404,   404),
    row("api:resource-detail",              "patch", "resource",  401,   200,  200,  403,   403,   404,   404,   404),
    row("api:referral-list",                "get",  None,         401,   200,  200,  200,   200,   200,   200,   200),
    row("api:referral-detail",              "get",  "referral",   401,   404,  200,  200,   404,   200,   404,   404),
    row("api:referral-status",              "post", "referral",   401,   404,  400,  400,   404,   403,   404,   404),
    row("api:consent-list",                 "get",  None,         401,   200,  200,  200,   200,   200,   200,   200),
    row("api:consent-detail",               "get",  "consent",    401,   404,  200,  200,   404,   200,   404,   404),
    row("api:consent-revoke",               "post", "consent",    401,   404,  200,  200,   404,   200,   404,   404),
    row("api:consent-form",                 "get",  "consent",    401,   404,  200,  200,   404,   200,   404,   404),
    row("api:disclosure-list",              "get",  None,         401,   200,  200,  200,   200,   200,   200,   200),
    row("api:disclosure-detail",            "get",  "letter",     401,   404,  200,  200,   404,   200,   404,   404),
]  # fmt: skip


@pytest.fixture
def url_args(mentee_profile, mentor, program):
    from referrals.models import Referral

    sierra = make_resource(program)
    consent = make_consent(mentee_profile, signed_via="staff", signed_form=pdf_upload("form.pdf"))
    referral = Referral.objects.create(
        mentee=mentee_profile, category="food", organisation="Food Bank", reason="Asked",
        mode="information_only", referred_by=mentor, proposed_on=consent.signed_at.date(),
    )  # fmt: skip
    letter = services.letter_issue(
        mentee=mentee_profile, by=mentor, recipient=Recipient.of(sierra), purpose="linkage",
        categories=["attendance"],
    )  # fmt: skip
    return {
        "mentee": [mentee_profile.pk],
        "referral": [referral.pk],
        "consent": [consent.pk],
        "letter": [letter.pk],
        "resource": [sierra.pk],
    }


# A letter and a consent are parts of the mentee's record too.
(
    test_each_role_reaches_only_what_it_may,
    test_an_admin_reaches_a_mentee_record_only_with_a_break_glass_grant,
    test_every_mentee_record_read_is_audited,
) = scoping_tests(PAGES, record_args=MENTEE_RECORD_ARGS | {"letter", "consent"})


def test_a_reassigned_mentor_loses_the_letter_at_once(
    client_for, mentee_profile, mentor, other_mentor, coordinator, url_args
):
    from mentorship.services import assignment_create

    url = reverse("referrals:letter", args=url_args["letter"])
    assert client_for(mentor).get(url).status_code == 200
    assignment_create(
        mentee=mentee_profile, mentor=other_mentor, assigned_by=coordinator, end_reason="other"
    )
    assert client_for(mentor).get(url).status_code == 404
    assert client_for(other_mentor).get(url).status_code == 200


def test_the_letter_print_is_audited_as_a_print(coordinator_client, mentee_profile, url_args):
    from audit.models import AccessEvent

    coordinator_client.get(reverse("referrals:letter", args=url_args["letter"]))
    event = AccessEvent.objects.order_by("-pk").first()
    assert (event.action, event.object_type, event.mentee_ids) == (
        "print", "disclosure", [mentee_profile.pk],
    )  # fmt: skip
