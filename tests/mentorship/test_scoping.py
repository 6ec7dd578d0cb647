"""Every mentorship URL, every role, including the mentor of the mentee, another
mentor of the same program, the mentee, another mentee, and an outsider."""

import pytest
from django.urls import reverse

from tests.mentorship.factories import make_status_change
from tests.scoping import (
    CASE_ROLES,
    LOGIN,
    assert_reaches,
    check_admin_reaches_only_with_grant,
    check_read_is_audited,
    mentee_record_reads,
    row,
)

pytestmark = pytest.mark.django_db


PAGES = [
    #    name                                    method  arg        anon   admin coord mentor other  mentee other  outsider
    row("mentorship:mentee_list",               "get",  None,      LOGIN, 200,  200,  200,   200,   403,   403,   200),
    row("mentorship:mentee_create",             "get",  None,      LOGIN, 403,  200,  403,   403,   403,   403,   200),
    row("mentorship:mentee_create_draft",       "post", None,      LOGIN, 403,  200,  403,   403,   403,   403,   200),
    row("mentorship:break_glass",               "get",  None,      LOGIN, 200,  200,  403,   403,   403,   403,   200),
    row("mentorship:mentee_detail",             "get",  "mentee",  LOGIN, 404,  200,  200,   404,   200,   404,   404),
    row("mentorship:mentee_edit",               "get",  "mentee",  LOGIN, 404,  200,  403,   404,   403,   404,   404),
    row("mentorship:mentee_status",             "post", "mentee",  LOGIN, 404,  302,  403,   404,   403,   404,   404),
    row("mentorship:mentee_assign",             "post", "mentee",  LOGIN, 404,  302,  403,   404,   403,   404,   404),
    row("mentorship:mentee_invite",             "post", "mentee",  LOGIN, 404,  302,  403,   404,   403,   404,   404),
    row("mentorship:mentee_consent",            "get",  "mentee",  LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("mentorship:mentee_access_history",     "get",  "mentee",  LOGIN, 404,  200,  403,   404,   403,   404,   404),
    row("mentorship:my_record_access",          "get",  None,      LOGIN, 403,  403,  403,   403,   200,   403,   403),
    row("mentorship:mentor_list",               "get",  None,      LOGIN, 200,  200,  403,   403,   403,   403,   200),
    row("mentorship:mentor_profile_edit",       "get",  None,      LOGIN, 403,  403,  200,   200,   403,   403,   403),
    row("mentorship:mentor_profile_draft",      "post", None,      LOGIN, 403,  403,  200,   200,   403,   403,   403),
    row("mentorship:mentor_detail",             "get",  "mentor",  LOGIN, 200,  200,  200,   404,   200,   404,   404),
    row("mentorship:mentor_capacity_edit",      "get",  "mentor",  LOGIN, 200,  200,  403,   404,   403,   404,   404),
    row("api:mentor-list",                      "get",  None,      401,   200,  200,  200,   200,   200,   200,   200),
    row("api:mentor-detail",                    "get",  "mentor",  401,   200,  200,  200,   404,   200,   404,   404),
    row("api:mentee-list",                      "get",  None,      401,   200,  200,  200,   200,   200,   200,   200),
    row("api:mentee-detail",                    "get",  "mentee",  401,   404,  200,  200,   404,   200,   404,   404),
    row("api:mentee-match-suggestions",         "get",  "mentee",  401,   404,  200,  403,   404,   403,   404,   404),
    row("api:mentee-transition",                "post", "mentee",  401,   404,  400,  403,   404,   403,   404,   404),
    row("api:mentee-invite",                    "post", "mentee",  401,   404,  400,  403,   404,   403,   404,   404),
    row("api:assignment-list",                  "get",  None,      401,   200,  200,  200,   200,   200,   200,   200),
    row("api:assignment-detail",                "get",  "assignment", 401, 404, 200,  200,   404,   200,   404,   404),
    row("api:assignment-end",                   "post", "assignment", 401, 404, 400,  403,   404,   403,   404,   404),
    # Sent empty: the mentor and coordinators are told a choice is needed.
    row("api:mentee-remote-consent",            "post", "mentee",  401,   404,  400,  400,   404,   403,   404,   404),
    # Status histories: shown on the mentee page to the program's coordinators only.
    row("api:status-change-list",               "get",  None,      401,   200,  200,  200,   200,   200,   200,   200),
    row("api:status-change-detail",             "get",  "status_change", 401, 404, 200, 404,  404,   404,   404,   404),
]  # fmt: skip


@pytest.fixture
def url_args(mentee_profile, mentor):
    return {
        "mentee": [mentee_profile.pk],
        "mentor": [mentor.mentor_profile.pk],
        "assignment": [mentee_profile.assignments.get().pk],
        "status_change": [make_status_change(mentee_profile).pk],
    }


@pytest.mark.parametrize("role", CASE_ROLES)
@pytest.mark.parametrize(("name", "method", "arg", "expected"), PAGES, ids=[r[0] for r in PAGES])
def test_each_role_reaches_only_what_it_may(
    case_clients, url_args, role, name, method, arg, expected
):
    url = reverse(name, args=url_args[arg] if arg else None)
    response = getattr(case_clients[role], method)(url)
    assert_reaches(response, expected[role], f"{role} {method} {url}")


@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"),
    mentee_record_reads(PAGES),
    ids=[r[0] for r in mentee_record_reads(PAGES)],
)
def test_an_admin_reaches_a_mentee_record_only_with_a_break_glass_grant(
    case_clients, admin_user, mentee_profile, url_args, name, method, arg, expected
):
    url = reverse(name, args=url_args[arg])
    check_admin_reaches_only_with_grant(
        case_clients["admin"], admin_user, mentee_profile, url, name
    )


def test_lists_show_only_what_each_role_may_see(case_clients, mentee_profile, mentor):
    def ids(role, name):
        return {r["id"] for r in case_clients[role].get(reverse(name)).json()["results"]}

    for role in ["coordinator", "mentor", "mentee"]:
        assert ids(role, "api:mentee-list") == {mentee_profile.pk}, role
    # Minimum necessary: no admin lists mentees without a break-glass grant.
    for role in ["admin", "other_mentor", "other_mentee", "outsider"]:
        assert ids(role, "api:mentee-list") == set(), role
    assert ids("mentee", "api:mentor-list") == {mentor.mentor_profile.pk}
    assert ids("other_mentee", "api:mentor-list") == set()
    assert ids("outsider", "api:mentor-list") == set()
    assert ids("other_mentor", "api:assignment-list") == set()


@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"),
    mentee_record_reads(PAGES),
    ids=[r[0] for r in mentee_record_reads(PAGES)],
)
def test_every_mentee_record_read_is_audited(
    coordinator_client, mentee_profile, url_args, name, method, arg, expected
):
    url = reverse(name, args=url_args[arg])
    check_read_is_audited(coordinator_client, url, name, expected["coordinator"], mentee_profile)
