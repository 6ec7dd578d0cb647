"""Pages: the mentee list's filters, and query budgets at 5 and 50 mentees."""

import pytest
from django.urls import reverse

from tests.audit import AUDIT_EVENT_QUERIES
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = pytest.mark.django_db


def fill_program(program, mentor, n: int) -> None:
    """n mentees: most assigned to `mentor` (capacity raised), a few unassigned."""
    profile = mentor.mentor_profile
    profile.caseload_capacity = 50
    profile.save()
    for i in range(n):
        mentee = MenteeProfileFactory(program=program, status="active" if i % 5 else "referred")
        if i % 5:
            assign(mentee, mentor)


def names(response):
    return sorted(m.preferred_name for m in response.context["mentees"])


def test_mentee_list_filters_by_status_mentor_county_and_name(
    coordinator_client, program, mentor, other_mentor
):
    rosa = MenteeProfileFactory(
        program=program, preferred_name="Rosa", county="Yolo", status="active"
    )
    MenteeProfileFactory(program=program, preferred_name="Kevin", status="referred")
    sam = MenteeProfileFactory(
        program=program, preferred_name="Sam", legal_name="Samuel Castillo", status="active"
    )
    assign(rosa, mentor)
    assign(sam, other_mentor)
    url = reverse("mentorship:mentee_list")
    assert names(coordinator_client.get(url)) == ["Kevin", "Rosa", "Sam"]
    assert names(coordinator_client.get(url, {"status": "active"})) == ["Rosa", "Sam"]
    assert names(coordinator_client.get(url, {"mentor": mentor.pk})) == ["Rosa"]
    assert names(coordinator_client.get(url, {"county": "yolo"})) == ["Rosa"]
    assert names(coordinator_client.get(url, {"name": "castillo"})) == ["Sam"]


def test_mentor_list_shows_only_their_caseload(mentor_client, program, mentor, other_mentor):
    mine = MenteeProfileFactory(program=program, preferred_name="Mine")
    assign(mine, mentor)
    assign(MenteeProfileFactory(program=program, preferred_name="Theirs"), other_mentor)
    assert names(mentor_client.get(reverse("mentorship:mentee_list"))) == ["Mine"]


def test_program_dashboard_shows_unassigned_loads_and_statuses(coordinator_client, program, mentor):
    waiting = MenteeProfileFactory(program=program, preferred_name="Waiting")
    assign(MenteeProfileFactory(program=program, status="active"), mentor)
    panels = {
        p.name: p.data for p in coordinator_client.get(reverse("dashboard")).context["panels"]
    }
    overview = panels["program_overview"]
    assert [row.pk for row in overview["unassigned"]] == [waiting.pk]
    assert dict(overview["by_status"])["referred"] == 1
    assert dict(overview["by_status"])["active"] == 1
    (load,) = [m for m in overview["mentors"] if m.user == mentor]
    assert (load.active_caseload, load.caseload_capacity) == (1, 8)


def test_mentor_dashboard_lists_active_mentees_with_days_since_assignment(
    mentor_client, mentee_profile
):
    page = mentor_client.get(reverse("dashboard")).content.decode()
    assert "Jordan" in page and "today" in page


# Query budgets. Every signed-in page: 1 session, 2 user; staff add 3 the MFA check.


@pytest.mark.parametrize("size", [5, 50])
def test_mentee_list_query_count_is_constant(
    size, coordinator_client, program, mentor, django_assert_num_queries
):
    fill_program(program, mentor, size)
    # (1 session, 2 user with the program and second factor: accounts.backends)
    # 3 mentors for the filter, 4 count, 5 page of mentees with their current
    # mentor, then the audit event
    with django_assert_num_queries(5 + AUDIT_EVENT_QUERIES):
        assert coordinator_client.get(reverse("mentorship:mentee_list")).status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_program_dashboard_query_count_is_constant(
    size, coordinator_client, program, mentor, django_assert_num_queries
):
    fill_program(program, mentor, size)
    # 1 session, 2 user with their program and second factor
    # (accounts.backends), 3 one statement (core.together) for the members,
    # the pending invitations and every panel's rows: the check-in watch
    # (overdue, open crises and contact gaps, each with its count), the
    # overview's mentees by status and unassigned mentees, its mentors with
    # caseloads and whether their certification allows new mentees,
    # certification alerts (by status, and CE waiting), supervision: mentors
    # below the monthly minimum, overdue crisis debriefs, open follow-up requests. The members and
    # panels name mentees: the audit event.
    with django_assert_num_queries(3 + AUDIT_EVENT_QUERIES):
        assert coordinator_client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_mentor_dashboard_query_count_is_constant(
    size, mentor_client, program, mentor, django_assert_num_queries
):
    fill_program(program, mentor, size)
    # 1 session, 2 user with their program, 3 every panel's rows in one
    # statement (core.together): the caseload with mentees and check-in
    # columns; my certification: certifications, their CE requirements, CE
    # entries; my supervision: this month's minutes, open action items, open follow-up requests. The
    # caseload names mentees: the audit event.
    with django_assert_num_queries(3 + AUDIT_EVENT_QUERIES):
        assert mentor_client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_mentee_page_with_match_suggestions_query_count_is_constant(
    size, coordinator_client, program, mentor, django_assert_num_queries
):
    fill_program(program, mentor, size)
    for _ in range(size // 5):
        make_mentor(program, languages=["es"])
        make_mentor(program, accepting_new_mentees=False)  # left out
        make_mentor(program, certified=False)  # left out
    mentee = MenteeProfileFactory(
        program=program, preferred_language="es", preferred_delivery_method="telehealth"
    )
    url = reverse("mentorship:mentee_detail", args=[mentee.pk])
    # 4 mentee with program, 5 active assignment with mentor, 6 mentors with caseloads
    # and whether their certification allows new mentees, 7 assignment history,
    # 8 status history, 9 the mentors the status form offers for becoming active,
    # and one more: whether the program requires approval to close a case
    # (core.approvals), then the audit event
    with django_assert_num_queries(9 + AUDIT_EVENT_QUERIES):
        response = coordinator_client.get(url)
    matching = response.context["matching"]
    assert len(matching.left_out) == 2 * (size // 5)
    assert "does not offer telehealth, which is preferred" in response.content.decode()
