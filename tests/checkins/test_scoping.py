"""Every check-in URL, every role. A mentor reaches only their current
mentees' check-ins; a mentee only their own."""

import pytest
from django.urls import reverse

from tests.checkins.factories import make_assessment, make_checkin
from tests.checkins.group_factories import log_group
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
    #    name                           method  arg        anon   admin coord mentor other  mentee other  outsider
    row("checkins:self",                "get",  None,      LOGIN, 403,  403,  403,   403,   200,   200,   403),
    row("checkins:timeline",            "get",  "mentee",  LOGIN, 404,  200,  200,   404,   200,   404,   404),
    row("checkins:log",                 "get",  "mentee",  LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("checkins:draft",               "post", "mentee",  LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("checkins:draft_discard",       "post", "mentee",  LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("checkins:assessment_new",      "get",  "mentee",  LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("checkins:assessment_draft",    "post", "mentee",  LOGIN, 404,  200,  200,   404,   403,   404,   404),
    row("checkins:detail",              "get",  "checkin", LOGIN, 404,  200,  200,   404,   200,   404,   404),
    row("checkins:edit",                "get",  "checkin", LOGIN, 404,  403,  200,   404,   403,   404,   404),
    row("checkins:crisis_handled",      "post", "checkin", LOGIN, 404,  302,  403,   404,   403,   404,   404),
    # Posted empty: the author and coordinators are told a reason is needed.
    row("checkins:void",                "post", "checkin", LOGIN, 404,  302,  302,   404,   403,   404,   404),
    row("api:checkin-void",             "post", "checkin", 401,   404,  400,  400,   404,   403,   404,   404),
    row("api:checkin-list",             "get",  None,      401,   200,  200,  200,   200,   200,   200,   200),
    row("api:checkin-detail",           "get",  "checkin", 401,   404,  200,  200,   404,   200,   404,   404),
    row("api:recovery-capital-list",    "get",  None,      401,   200,  200,  200,   200,   200,   200,   200),
    row("api:recovery-capital-detail",  "get",  "assessment", 401, 404, 200,  200,   404,   200,   404,   404),
    # Sent empty: refused before the service by the missing fields (the write
    # proof sends a full body: the mentee is refused 403 there).
    row("api:recovery-capital-list",    "post", None,      401,   400,  400,  400,   400,   400,   400,   400),
    row("api:schedule-list",            "get",  None,      401,   200,  200,  200,   200,   200,   200,   200),
    row("api:schedule-detail",          "get",  "schedule", 401,  404,  200,  200,   404,   200,   404,   404),
    # Groups: their facilitator and the program's coordinators; a group names
    # many mentees, so no admin grant (for one mentee) reaches it, nor a mentee.
    row("checkins:groups",              "get",  None,      LOGIN, 403,  200,  200,   200,   403,   403,   200),
    row("checkins:group_new",           "get",  None,      LOGIN, 403,  200,  200,   200,   403,   403,   200),
    row("checkins:group_new",           "post", None,      LOGIN, 403,  200,  200,   200,   403,   403,   200),
    row("checkins:group_detail",        "get",  "group",   LOGIN, 404,  200,  200,   404,   404,   404,   404),
    row("api:group-session-list",       "get",  None,      401,   200,  200,  200,   200,   200,   200,   200),
    row("api:group-session-list",       "post", None,      401,   403,  400,  400,   400,   403,   403,   400),
    row("api:group-session-detail",     "get",  "group",   401,   404,  200,  200,   404,   404,   404,   404),
]  # fmt: skip


@pytest.fixture
def url_args(mentee_profile, mentor):
    checkin = make_checkin(mentee_profile, mentor, crisis_flag=True, crisis_notes="PHI-MARKER")
    assessment = make_assessment(mentee_profile, mentor)
    group = log_group(mentor, [mentee_profile])
    return {
        "mentee": [mentee_profile.pk],
        "checkin": [checkin.pk],
        "assessment": [assessment.pk],
        "schedule": [mentee_profile.assignments.get().schedule.pk],
        "group": [group.pk],
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


def test_a_reassigned_mentor_loses_the_checkins_at_once(
    client_for, mentee_profile, mentor, other_mentor, coordinator
):
    from mentorship.services import assignment_create

    checkin = make_checkin(mentee_profile, mentor)
    client = client_for(mentor)
    assert client.get(reverse("checkins:detail", args=[checkin.pk])).status_code == 200
    assignment_create(
        mentee=mentee_profile, mentor=other_mentor, assigned_by=coordinator, end_reason="other"
    )
    assert client.get(reverse("checkins:detail", args=[checkin.pk])).status_code == 404
    assert client.get(reverse("api:checkin-list")).json()["count"] == 0


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


@pytest.mark.parametrize("name", ["checkins:group_detail", "api:group-session-detail"])
def test_reading_a_group_is_audited_as_a_read_of_its_attendees(
    coordinator_client, mentee_profile, url_args, name
):
    url = reverse(name, args=url_args["group"])
    check_read_is_audited(coordinator_client, url, name, 200, mentee_profile)


def test_a_reassigned_mentor_no_longer_sees_the_attendee_in_past_groups(
    client_for, mentee_profile, mentor, other_mentor, coordinator, url_args
):
    from mentorship.services import assignment_create

    api = reverse("api:group-session-detail", args=url_args["group"])
    client = client_for(mentor)
    assert [a["mentee"] for a in client.get(api).json()["attendance"]] == [mentee_profile.pk]
    assignment_create(
        mentee=mentee_profile, mentor=other_mentor, assigned_by=coordinator, end_reason="other"
    )
    assert client.get(api).json()["attendance"] == []
