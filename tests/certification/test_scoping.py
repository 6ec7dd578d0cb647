"""Every certification URL, every role: holders reach their own, coordinators
their program's, admins all; everyone else 404."""

import pytest
from django.urls import reverse

from certification import services
from tests.certification.factories import log_ce, medi_cal, pdf_upload
from tests.scoping import CASE_ROLES, LOGIN, assert_reaches, row

pytestmark = pytest.mark.django_db

PAGES = [
    #    name                                   method  arg          anon   admin coord mentor other  mentee other  outsider
    row("certification:mine",                   "get",  None,        LOGIN, 403,  200,  200,   200,   403,   403,   200),
    row("certification:ce_draft",               "post", None,        LOGIN, 403,  200,  200,   200,   403,   403,   200),
    row("certification:new",                    "get",  None,        LOGIN, 200,  200,  403,   403,   403,   403,   200),
    row("certification:new_draft",              "post", None,        LOGIN, 200,  200,  403,   403,   403,   403,   200),
    row("certification:report",                 "get",  None,        LOGIN, 200,  200,  403,   403,   403,   403,   200),
    row("certification:report_csv",             "get",  None,        LOGIN, 200,  200,  403,   403,   403,   403,   200),
    row("certification:types",                  "get",  None,        LOGIN, 200,  403,  403,   403,   403,   403,   403),
    row("certification:type_new",               "get",  None,        LOGIN, 200,  403,  403,   403,   403,   403,   403),
    row("certification:type_edit",              "get",  "type",      LOGIN, 200,  403,  403,   403,   403,   403,   403),
    row("certification:ce_queue",               "get",  None,        LOGIN, 200,  200,  403,   403,   403,   403,   200),
    row("certification:ce_approve",             "post", "ce",        LOGIN, 302,  302,  403,   404,   404,   404,   404),
    row("certification:ce_reject",              "post", "ce",        LOGIN, 302,  302,  403,   404,   404,   404,   404),
    # Posted empty: the holder and whoever approves their hours are told a reason is needed.
    row("certification:ce_void",                "post", "ce",        LOGIN, 302,  302,  302,   404,   404,   404,   404),
    row("certification:ce_evidence",            "get",  "ce",        LOGIN, 200,  200,  200,   404,   404,   404,   404),
    row("certification:document",               "get",  "document",  LOGIN, 200,  200,  200,   404,   404,   404,   404),
    row("certification:detail",                 "get",  "cert",      LOGIN, 200,  200,  200,   404,   404,   404,   404),
    row("certification:edit",                   "get",  "cert",      LOGIN, 200,  200,  403,   404,   404,   404,   404),
    row("certification:renew",                  "post", "cert",      LOGIN, 302,  302,  403,   404,   404,   404,   404),
    row("certification:status",                 "post", "cert",      LOGIN, 302,  403,  403,   404,   404,   404,   404),
    row("certification:document_upload",        "post", "cert",      LOGIN, 302,  302,  302,   404,   404,   404,   404),
    row("api:certification-type-list",          "get",  None,        401,   200,  200,  200,   200,   200,   200,   200),
    row("api:certification-type-detail",        "get",  "type",      401,   200,  200,  200,   200,   200,   200,   200),
    row("api:certification-list",               "get",  None,        401,   200,  200,  200,   200,   200,   200,   200),
    row("api:certification-detail",             "get",  "cert",      401,   200,  200,  200,   404,   404,   404,   404),
    row("api:continuing-education-list",        "get",  None,        401,   200,  200,  200,   200,   200,   200,   200),
    row("api:continuing-education-detail",      "get",  "ce",        401,   200,  200,  200,   404,   404,   404,   404),
    row("api:continuing-education-approve",     "post", "ce",        401,   200,  200,  403,   404,   404,   404,   404),
    row("api:continuing-education-reject",      "post", "ce",        401,   400,  400,  403,   404,   404,   404,   404),
    row("api:continuing-education-void",        "post", "ce",        401,   400,  400,  400,   404,   404,   404,   404),
    row("api:report-certifications",            "get",  None,        401,   200,  200,  403,   403,   403,   403,   200),
    row("api:continuing-education-evidence",    "get",  "ce",        401,   200,  200,  200,   404,   404,   404,   404),
    row("api:certification-document-list",      "get",  None,        401,   200,  200,  200,   200,   200,   200,   200),
    row("api:certification-document-detail",    "get",  "document",  401,   200,  200,  200,   404,   404,   404,   404),
    row("api:certification-document-download",  "get",  "document",  401,   200,  200,  200,   404,   404,   404,   404),
    # Sent empty: the file and the certification are asked for.
    row("api:certification-document-list",      "post", None,        401,   400,  400,  400,   400,   400,   400,   400),
]  # fmt: skip


@pytest.fixture
def url_args(mentor):
    cert = mentor.certifications.get()
    entry = log_ce(mentor, evidence=pdf_upload("e.pdf"))
    document = services.document_upload(certification=cert, by=mentor, upload=pdf_upload("c.pdf"))
    return {"cert": [cert.pk], "ce": [entry.pk], "document": [document.pk], "type": [medi_cal().pk]}


@pytest.mark.parametrize("role", CASE_ROLES)
@pytest.mark.parametrize(("name", "method", "arg", "expected"), PAGES, ids=[r[0] for r in PAGES])
def test_each_role_reaches_only_what_it_may(
    case_clients, url_args, role, name, method, arg, expected
):
    url = reverse(name, args=url_args[arg] if arg else None)
    response = getattr(case_clients[role], method)(url)
    assert_reaches(response, expected[role], f"{role} {method} {url}")


def test_lists_show_only_what_each_role_may_see(case_clients, mentor, other_mentor):
    def holders(role):
        return {
            r["holder"]
            for r in case_clients[role].get(reverse("api:certification-list")).json()["results"]
        }

    assert holders("mentor") == {mentor.pk}
    assert holders("coordinator") == {mentor.pk, other_mentor.pk}
    assert holders("outsider") == set()
    assert holders("mentee") == set()
