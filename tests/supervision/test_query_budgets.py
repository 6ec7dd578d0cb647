"""Query budgets of the supervision pages and API lists at two sizes (5 and
50 sessions and mentors): the count must not move with the number of rows."""

import pytest
from django.urls import reverse

from supervision import services
from tests.audit import AUDIT_EVENT_QUERIES
from tests.mentorship.factories import make_mentor
from tests.supervision.factories import designate, make_session

pytestmark = pytest.mark.django_db

SIZES = [5, 50]


def fill(coordinator, mentor, program, size):
    """The coordinator supervises `mentor` and `size` more mentors; `size`
    sessions with the mentor, every other one a group with another; `size`
    follow-up requests asked of the mentor, every third one answered."""
    sup = designate(coordinator, coordinator, qualification="licensed", license_number="L-1")
    others = []
    for n in range(size):
        other = make_mentor(program, certified=False, email=f"m{n}@example.org")
        services.supervisor_assign(mentor=other, supervisor=sup, by=coordinator)
        others.append(other)
    services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    for n in range(size):
        make_session(
            coordinator, [mentor, others[n]] if n % 2 else [mentor], minutes=30,
            action_items=[services.NewActionItem(mentor, f"Item {n}", None)],
        )  # fmt: skip
    ask_follow_ups(coordinator, mentor, program, size)


def ask_follow_ups(coordinator, mentor, program, size):
    from tests.checkins.factories import make_checkin
    from tests.mentorship.factories import MenteeProfileFactory, assign

    for n in range(size):
        profile = MenteeProfileFactory(program=program, created_by=coordinator, status="active")
        assign(profile, mentor, by=coordinator)
        follow_up = services.follow_up_request(
            by=coordinator, checkin=make_checkin(profile, mentor), text=f"Call {n}"
        )
        if n % 3 == 0:
            services.follow_up_resolve(follow_up=follow_up, by=mentor, answer="Done")


@pytest.mark.parametrize("size", SIZES)
def test_the_coordinators_supervision_page(
    size, coordinator_client, coordinator, mentor, program, django_assert_num_queries
):
    fill(coordinator, mentor, program, size)
    # 1 session, 2 user with the second factor and the program (its day:
    # accounts.backends), 3 is the viewer a supervisor, 4 mentors with their
    # minutes, minimum and supervisor, 5 supervisors, 6 assignments, 7 the
    # program's settings, 8 open debriefs, 9 recent sessions, 10 their
    # mentors, 11 the people.
    with django_assert_num_queries(11):
        assert coordinator_client.get(reverse("supervision:home")).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_mentors_supervision_page(
    size, mentor_client, coordinator, mentor, program, django_assert_num_queries
):
    fill(coordinator, mentor, program, size)
    # 1 session, 2 user with the program (its day: accounts.backends), 3 is
    # the viewer a supervisor, 4 open debriefs, 5 open action items, 6 recent
    # sessions, 7 their mentors, 8 the people.
    with django_assert_num_queries(8):
        assert mentor_client.get(reverse("supervision:home")).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_supervision_log(
    size, coordinator_client, coordinator, mentor, program, django_assert_num_queries
):
    fill(coordinator, mentor, program, size)
    # 1 session, 2 user with the second factor (accounts.backends), 3 the
    # mentor, 4 their program (its day), 5 this month's minutes, 6 count, 7 the
    # page of sessions with their supervisors.
    with django_assert_num_queries(7):
        url = reverse("supervision:log", args=[mentor.pk])
        assert coordinator_client.get(url).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_sessions_api_list(
    size, coordinator_client, coordinator, mentor, program, django_assert_num_queries
):
    fill(coordinator, mentor, program, size)
    # 1 session, 2 user with the second factor (accounts.backends), 3 count and
    # the page of sessions (one statement: config.api_pagination), 4 their
    # mentors, 5 the people, 6 their mentees discussed, 7 the mentees the
    # caller reaches, 8 the rate limit's count (core.api.throttling).
    with django_assert_num_queries(8):
        response = coordinator_client.get(reverse("api:supervision-session-list"))
    assert response.status_code == 200 and response.json()["count"] == size


@pytest.mark.parametrize("size", SIZES)
def test_the_coordinator_dashboard_panel(
    size, coordinator, mentor, program, django_assert_num_queries
):
    from core.together import resolve_together
    from supervision.dashboard import _coordinator

    fill(coordinator, mentor, program, size)
    # The panel reads nothing itself; the dashboard reads its three lists (the
    # mentors below the minimum, the overdue debriefs, the open follow-up requests) with every other
    # panel's rows: here, alone, in one statement.
    with django_assert_num_queries(0):
        context = _coordinator(coordinator)
    with django_assert_num_queries(1):
        (data,) = resolve_together([context])
        assert len(data["overdue"]) >= 0
    # Every other mentor has 30 minutes or none; the mentor has 30 a session.
    assert len(data["below"]) == min(size, 20)


@pytest.mark.parametrize("size", SIZES)
def test_the_session_page(
    size, client_for, coordinator, mentor, program, django_assert_num_queries
):
    fill(coordinator, mentor, program, size)
    from supervision.models import SupervisionSession

    session = SupervisionSession.objects.filter(kind="group").first()
    client = client_for(mentor)
    # 1 session, 2 user, 3 the mentees discussed (whose record: the audit's
    # lookup), 4 the session, 5 its mentors, 6 the mentees discussed the
    # reader reaches, 7 action items, 8 debriefs closed; then the audit event.
    with django_assert_num_queries(8 + AUDIT_EVENT_QUERIES):
        url = reverse("supervision:session_detail", args=[session.pk])
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_mentor_dashboard_panel(size, coordinator, mentor, program, django_assert_num_queries):
    from core.together import resolve_together
    from supervision.dashboard import _mentor

    fill(coordinator, mentor, program, size)
    # The panel reads nothing itself; the dashboard reads its three lists
    # (this month's minutes, open action items, open follow-up requests asked
    # of them or by them) with every other panel's rows: here, alone, in one
    # statement.
    with django_assert_num_queries(0):
        context = _mentor(mentor)
    with django_assert_num_queries(1):
        (data,) = resolve_together([context])
    assert len(data["follow_ups"]) == min(size - (size + 2) // 3, 10)


@pytest.mark.parametrize("size", SIZES)
def test_the_follow_up_list_page(
    size, coordinator_client, coordinator, mentor, program, django_assert_num_queries
):
    ask_follow_ups(coordinator, mentor, program, size)
    # 1 session, 2 user with their program and second factor
    # (accounts.backends), 3 count, 4 the page of requests with their
    # mentees, mentors and requesters; it names the mentees: the audit event.
    with django_assert_num_queries(4 + AUDIT_EVENT_QUERIES):
        response = coordinator_client.get(reverse("supervision:follow_up_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_follow_ups_api_list(
    size, coordinator_client, coordinator, mentor, program, django_assert_num_queries
):
    ask_follow_ups(coordinator, mentor, program, size)
    # 1 session, 2 user with their second factor (accounts.backends), 3 the
    # rate limit's count (core.api.throttling), 4 the page of requests with
    # their count (one statement: config.api_pagination), 5 the mentees the
    # rows name (the audit's lookup); then the audit event.
    with django_assert_num_queries(5 + AUDIT_EVENT_QUERIES):
        response = coordinator_client.get(reverse("api:follow-up-list"))
    assert response.status_code == 200 and response.json()["count"] == size


@pytest.mark.parametrize("size", SIZES)
def test_the_follow_up_page(
    size, client_for, coordinator, mentor, program, django_assert_num_queries
):
    from supervision.models import FollowUpRequest

    ask_follow_ups(coordinator, mentor, program, size)
    follow_up = FollowUpRequest.objects.open().first()
    client = client_for(mentor)
    url = reverse("supervision:follow_up_detail", args=[follow_up.pk])
    # 1 session, 2 user, 3 its mentee (whose record: the audit's lookup),
    # 4 the request with its people, record and program; then the audit event.
    with django_assert_num_queries(4 + AUDIT_EVENT_QUERIES):
        assert client.get(url).status_code == 200


def fill_approvals(coordinator, program, size):
    """Approvals on; `size` mentors with a mentee each, every one asking to
    graduate their mentee."""
    from core import approvals
    from mentorship.services import mentee_transition
    from tests.mentorship.factories import MenteeProfileFactory, assign
    from tests.supervision.approval_factories import approvals_on

    approvals_on(program)
    for n in range(size):
        asker = make_mentor(program, certified=False, email=f"asker{n}@example.org")
        mentee = MenteeProfileFactory(program=program, created_by=coordinator, status="active")
        assign(mentee, asker, by=coordinator)
        asked = mentee_transition(mentee=mentee, to_status="graduated", changed_by=asker)
        assert approvals.approval_request_of(asked) is not None


@pytest.mark.parametrize("size", SIZES)
def test_the_approvals_queue(
    size, coordinator_client, coordinator, program, django_assert_num_queries
):
    fill_approvals(coordinator, program, size)
    # 1 session, 2 user with the second factor (accounts.backends), 3 count,
    # 4 the page of requests with their askers, 5 the coordinator's own
    # requests, 6 the mentees the reader reaches (their names), then the
    # audit event and its mentees.
    with django_assert_num_queries(6 + AUDIT_EVENT_QUERIES):
        assert coordinator_client.get(reverse("supervision:approvals")).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_approvals_api_list(
    size, coordinator_client, coordinator, program, django_assert_num_queries
):
    fill_approvals(coordinator, program, size)
    # 1 session, 2 user with the second factor, 3 count and the page of
    # requests (one statement: config.api_pagination), 4 the rate limit's
    # count, then the audit event naming the mentees.
    with django_assert_num_queries(4 + AUDIT_EVENT_QUERIES):
        assert coordinator_client.get(reverse("api:approval-list")).status_code == 200
