"""Every supervision URL, every role. The case: the coordinator supervises
the mentor (who works with the mentee); the other mentor has nothing to do
with either. A supervisor sees their supervisees' sessions, no other mentor's
notes; mentees never see supervision at all (404)."""

import pytest
from django.urls import reverse

from checkins.models import CheckIn
from supervision import services
from supervision.models import SupervisionSession
from tests.checkins.factories import make_checkin
from tests.recovery_plans.factories import make_plan
from tests.scoping import CASE_ROLES, LOGIN, assert_reaches, check_read_is_audited, row
from tests.supervision.factories import designate, make_session

pytestmark = pytest.mark.django_db

PAGES = [
    #    name                                   method  arg            anon   admin  coord  mentor other  mentee other  outsider
    row("supervision:home",                      "get",  None,          LOGIN, 200,   200,   200,   200,   403,   403,   200),
    row("supervision:supervisor_new",            "get",  None,          LOGIN, 403,   200,   403,   403,   403,   403,   200),
    row("supervision:supervisor_training",       "post", "supervisor",  LOGIN, 403,   302,   403,   403,   404,   404,   404),
    row("supervision:assign",                    "get",  None,          LOGIN, 403,   200,   403,   403,   403,   403,   200),
    row("supervision:settings",                  "get",  None,          LOGIN, 403,   200,   403,   403,   403,   403,   200),
    row("supervision:session_new",               "get",  None,          LOGIN, 403,   200,   403,   403,   403,   403,   403),
    row("supervision:session_detail",            "get",  "supervision", LOGIN, 200,   200,   200,   404,   404,   404,   404),
    row("supervision:session_acknowledge",       "post", "supervision", LOGIN, 403,   403,   302,   404,   404,   404,   404),
    row("supervision:action_item_done",          "post", "action_item", LOGIN, 403,   403,   302,   404,   404,   404,   404),
    row("supervision:log",                       "get",  "supervisee",  LOGIN, 200,   200,   200,   404,   404,   404,   404),
    row("supervision:log_csv",                   "get",  "supervisee",  LOGIN, 200,   200,   200,   404,   404,   404,   404),
    row("supervision:approvals",                 "get",  None,          LOGIN, 200,   200,   200,   200,   403,   403,   200),
    row("supervision:approval_detail",           "get",  "approval",    LOGIN, 200,   200,   200,   404,   404,   404,   404),
    # Posted empty: the decider and the asker see the form's errors; others are refused.
    row("supervision:approval_detail",           "post", "approval",    LOGIN, 200,   200,   200,   404,   404,   404,   404),
    row("api:approval-list",                     "get",  None,          401,   200,   200,   200,   200,   200,   200,   200),
    row("api:approval-detail",                   "get",  "approval",    401,   200,   200,   200,   404,   404,   404,   404),
    # Sent without a comment: a decider is told to write one; the asker may not decide.
    row("api:approval-approve",                  "post", "approval",    401,   400,   400,   403,   404,   404,   404,   404),
    row("api:approval-reject",                   "post", "approval",    401,   400,   400,   403,   404,   404,   404,   404),
    row("api:approval-withdraw",                 "post", "approval",    401,   403,   403,   200,   404,   404,   404,   404),
    row("api:supervisor-list",                   "get",  None,          401,   200,   200,   200,   200,   200,   200,   200),
    row("api:supervisor-detail",                 "get",  "supervisor",  401,   200,   200,   200,   200,   404,   404,   404),
    row("api:supervision-session-list",          "get",  None,          401,   200,   200,   200,   200,   200,   200,   200),
    row("api:supervision-session-detail",        "get",  "supervision", 401,   200,   200,   200,   404,   404,   404,   404),
    # Follow-up requests: the coordinator asked the mentor on the mentee's
    # check-in. Admins without a break-glass grant, other mentors, mentees
    # and other programs: 404. The mentor answers; the coordinator may not (403).
    row("supervision:follow_up_list",            "get",  None,          LOGIN, 200,   200,   200,   200,   403,   403,   200),
    row("supervision:follow_up_detail",          "get",  "follow_up_request", LOGIN, 404, 200, 200, 404,  404,   404,   404),
    row("supervision:follow_up_resolve",         "get",  "follow_up_request", LOGIN, 404, 403, 200, 404,  404,   404,   404),
    row("supervision:follow_up_resolve",         "post", "follow_up_request", LOGIN, 404, 403, 200, 404,  404,   404,   404),
    row("supervision:follow_up_new_checkin",     "get",  "checkin",     LOGIN, 404,   200,   403,   404,   404,   404,   404),
    row("supervision:follow_up_new_checkin",     "post", "checkin",     LOGIN, 404,   200,   403,   404,   404,   404,   404),
    row("supervision:follow_up_new_plan",        "get",  "plan",        LOGIN, 404,   200,   403,   404,   404,   404,   404),
    row("supervision:follow_up_new_plan",        "post", "plan",        LOGIN, 404,   200,   403,   404,   404,   404,   404),
    row("api:follow-up-list",                    "get",  None,          401,   200,   200,   200,   200,   200,   200,   200),
    row("api:follow-up-detail",                  "get",  "follow_up_request", 401, 404, 200, 200, 404,  404,   404,   404),
    row("api:follow-up-resolve",                 "post", "follow_up_request", 401, 404, 403, 400, 404,  404,   404,   404),
]  # fmt: skip


def build_supervision(coordinator, mentor, mentee_profile):
    """The coordinator supervises the mentor; one session discussing the
    mentee, with an action item; a crisis debrief it closed."""
    supervisor = designate(coordinator, coordinator, qualification="licensed", license_number="L-1")
    services.supervisor_assign(mentor=mentor, supervisor=supervisor, by=coordinator)
    make_checkin(mentee_profile, mentor, crisis_flag=True)
    session = make_session(
        coordinator, [mentor], mentees_discussed=[mentee_profile],
        topics=["crisis_debrief"], debriefs=list(mentor_debriefs(mentor)),
        action_items=[services.NewActionItem(mentor, "Call back", None)],
    )  # fmt: skip
    return supervisor, session


def ask_to_graduate(mentee_profile, mentor):
    """Approvals on; the mentor asks to graduate the mentee (the coordinator,
    the mentor's supervisor, decides)."""
    from core import approvals
    from mentorship.services import mentee_transition
    from tests.supervision.approval_factories import approvals_on

    approvals_on(mentee_profile.program)
    return approvals.approval_request_of(
        mentee_transition(mentee=mentee_profile, to_status="graduated", changed_by=mentor)
    )


def mentor_debriefs(mentor):
    from supervision.models import CrisisDebrief

    return CrisisDebrief.objects.filter(mentor=mentor)


@pytest.fixture
def url_args(coordinator, mentor, mentee_profile):
    supervisor, session = build_supervision(coordinator, mentor, mentee_profile)
    checkin = CheckIn.objects.filter(mentee=mentee_profile).first()
    plan = make_plan(mentee_profile, mentor)
    follow_up = services.follow_up_request(by=coordinator, checkin=checkin, text="Call again")
    approval = ask_to_graduate(mentee_profile, mentor)
    return {
        "approval": [approval.pk],
        "checkin": [checkin.pk],
        "plan": [plan.pk],
        "follow_up_request": [follow_up.pk],
        "supervisor": [supervisor.pk],
        "supervision": [session.pk],
        "action_item": [session.action_items.get().pk],
        "supervisee": [mentor.pk],
    }


@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"), PAGES, ids=[f"{r[0]}-{r[1]}" for r in PAGES]
)
def test_each_role_reaches_only_what_it_may(case_clients, url_args, name, method, arg, expected):
    # Every role in one test: the case is built once per row (a refused
    # write changes nothing, and an allowed one is the last to run on it).
    url = reverse(name, args=url_args[arg] if arg else None)
    for role in CASE_ROLES:
        response = getattr(case_clients[role], method)(url)
        assert_reaches(response, expected[role], f"{role} {method} {url}")


def test_reading_a_session_is_audited_as_a_read_of_the_mentees_discussed(
    coordinator_client, mentee_profile, url_args
):
    url = reverse("supervision:session_detail", args=url_args["supervision"])
    check_read_is_audited(
        coordinator_client, url, "supervision:session_detail", 200, mentee_profile
    )


def test_the_notes_show_only_to_the_supervisor_the_mentor_and_admins(
    client_for, coordinator, mentor, admin_user, program, url_args
):
    from tests.accounts.factories import UserFactory, enrol_totp

    url = reverse("supervision:session_detail", args=url_args["supervision"])
    api = reverse("api:supervision-session-detail", args=url_args["supervision"])
    other_coordinator = UserFactory(coordinator=True, program=program, email="c2@example.org")
    enrol_totp(other_coordinator)
    for user, shown in [(coordinator, True), (mentor, True), (admin_user, True),
                        (other_coordinator, False)]:  # fmt: skip
        client = client_for(user)
        assert ("NOTES-MARKER" in client.get(url).content.decode()) is shown, user
        assert (client.get(api).json()["notes"] == "NOTES-MARKER") is shown, user


def test_a_new_supervisor_sees_the_supervisees_sessions_but_not_the_notes(
    client_for, coordinator, mentor, other_mentor, url_args
):
    sup = designate(other_mentor, coordinator)
    services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    client = client_for(other_mentor)
    page = client.get(reverse("supervision:session_detail", args=url_args["supervision"]))
    assert page.status_code == 200 and "NOTES-MARKER" not in page.content.decode()
    assert client.get(reverse("supervision:log", args=[mentor.pk])).status_code == 200


def test_the_api_names_only_discussed_mentees_the_caller_reaches(
    client_for, coordinator, mentor, mentee_profile, other_mentor, url_args
):
    from mentorship.services import assignment_create

    api = reverse("api:supervision-session-detail", args=url_args["supervision"])
    assert client_for(mentor).get(api).json()["mentees_discussed"] == [mentee_profile.pk]
    assignment_create(
        mentee=mentee_profile, mentor=other_mentor, assigned_by=coordinator, end_reason="other"
    )
    assert client_for(mentor).get(api).json()["mentees_discussed"] == []
    assert SupervisionSession.objects.get().mentees_discussed.count() == 1


def test_reading_an_approval_is_audited_as_a_read_of_its_mentee(
    coordinator_client, mentee_profile, url_args
):
    url = reverse("supervision:approval_detail", args=url_args["approval"])
    check_read_is_audited(
        coordinator_client, url, "supervision:approval_detail", 200, mentee_profile
    )


def test_a_supervisor_sees_the_requests_of_their_supervisees_only(
    client_for, coordinator, mentor, other_mentor, program, url_args
):
    from tests.mentorship.factories import make_mentor

    api = reverse("api:approval-list")
    client = client_for(other_mentor)
    assert client.get(api).json()["results"] == []
    sup = designate(other_mentor, coordinator)
    services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    assert [r["id"] for r in client.get(api).json()["results"]] == url_args["approval"]
    page = client.get(reverse("supervision:approvals")).content.decode()
    assert reverse("supervision:approval_detail", args=url_args["approval"]) in page
    # Supervising someone else instead: the request is out of reach again.
    services.supervisor_assign(mentor=mentor, supervisor=designate(
        make_mentor(program, full_name="Third Mentor"), coordinator), by=coordinator)  # fmt: skip
    assert client.get(api).json()["results"] == []
    detail = reverse("api:approval-detail", args=url_args["approval"])
    assert client.get(detail).status_code == 404


def test_mentees_never_see_approvals(client_for, mentee, url_args):
    client = client_for(mentee)
    assert client.get(reverse("api:approval-list")).json()["results"] == []
    assert client.get(reverse("supervision:approvals")).status_code == 403
