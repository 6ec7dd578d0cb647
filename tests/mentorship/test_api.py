"""API: mentors, mentees, match suggestions, assignments — rules, filters, budgets."""

import pytest
from django.urls import reverse

from mentorship.models import Assignment, MenteeProfile
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.audit import AUDIT_EVENT_QUERIES
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = pytest.mark.django_db


def test_coordinator_does_intake_through_the_api(coordinator):
    response = api_client_for(coordinator).post(
        reverse("api:mentee-list"),
        {
            "preferred_name": "Eli",
            "substances_of_concern": ["cannabis"],
            "preferred_language": "es",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    mentee = MenteeProfile.objects.get(preferred_name="Eli")
    assert (mentee.program, mentee.status) == (coordinator.program, "referred")
    assert response.json()["status"] == "referred"


@pytest.mark.parametrize("fixture", ["mentor", "mentee", "admin_user"])
def test_only_coordinators_do_intake(request, fixture):
    client = api_client_for(request.getfixturevalue(fixture))
    response = client.post(reverse("api:mentee-list"), {"preferred_name": "X"}, format="json")
    assert response.status_code == 403
    assert not MenteeProfile.objects.exists()


def test_unknown_substance_is_refused(coordinator):
    response = api_client_for(coordinator).post(
        reverse("api:mentee-list"),
        {"preferred_name": "Eli", "substances_of_concern": ["chocolate"]},
        format="json",
    )
    assert response.status_code == 400
    assert list(api_errors(response)) == ["substances_of_concern.0"]


def test_mentee_list_filters_by_status_and_mentor(coordinator, program, mentor, other_mentor):
    a = MenteeProfileFactory(program=program, status="active")
    b = MenteeProfileFactory(program=program, status="active")
    MenteeProfileFactory(program=program, status="referred")
    assign(a, mentor)
    assign(b, other_mentor)
    client = api_client_for(coordinator)

    def ids(**params):
        return {
            row["id"] for row in client.get(reverse("api:mentee-list"), params).json()["results"]
        }

    assert ids(status="active") == {a.pk, b.pk}
    assert ids(mentor=mentor.pk) == {a.pk}
    rows = client.get(reverse("api:mentee-list"), {"mentor": mentor.pk}).json()["results"]
    assert rows[0]["current_mentor"] == mentor.pk


def test_status_transition_through_the_api(coordinator, mentee_profile):
    client = api_client_for(coordinator)
    url = reverse("api:mentee-transition", args=[mentee_profile.pk])
    assert (
        client.post(url, {"to_status": "graduated"}, format="json").json()["status"] == "graduated"
    )
    response = client.post(url, {"to_status": "active"}, format="json")
    assert response.status_code == 400


def test_match_suggestions_come_with_scores_and_reasons(coordinator, program):
    mentee = MenteeProfileFactory(program=program, preferred_language="es")
    make_mentor(program, full_name="Hablo Español", languages=["es"])
    make_mentor(program, full_name="Full House", languages=["es"], accepting_new_mentees=False)
    rows = (
        api_client_for(coordinator)
        .get(reverse("api:mentee-match-suggestions", args=[mentee.pk]))
        .json()
    )
    assert [r["full_name"] for r in rows["suggestions"]] == ["Hablo Español"]
    rows = rows["suggestions"]
    assert "speaks Spanish" in rows[0]["reasons"] and rows[0]["score"] > 0


def test_assigning_through_the_api_follows_the_same_rules(
    coordinator, program, mentor, other_mentor
):
    mentee = MenteeProfileFactory(program=program)
    client = api_client_for(coordinator)
    url = reverse("api:assignment-list")
    response = client.post(url, {"mentee": mentee.pk, "mentor": mentor.pk}, format="json")
    assert response.status_code == 201, response.json()
    response = client.post(url, {"mentee": mentee.pk, "mentor": other_mentor.pk}, format="json")
    assert response.status_code == 400 and "end_reason" in api_errors(response)
    response = client.post(
        url,
        {
            "mentee": mentee.pk,
            "mentor": other_mentor.pk,
            "end_reason": "mentee_request",
            "handoff_summary": "Likes mornings.",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["handoff_summary"] == "Likes mornings."
    assert Assignment.objects.filter(mentee=mentee, ended_at__isnull=True).count() == 1


def test_assigning_a_mentee_of_another_program_is_not_found(coordinator, other_program):
    elsewhere = MenteeProfileFactory(program=other_program)
    mentor = make_mentor(other_program)
    response = api_client_for(coordinator).post(
        reverse("api:assignment-list"), {"mentee": elsewhere.pk, "mentor": mentor.pk}, format="json"
    )
    assert response.status_code == 400
    assert set(api_errors(response)) == {"mentee", "mentor"}
    assert not Assignment.objects.exists()


def test_mentor_cannot_assign(mentor, program, other_mentor):
    mentee = MenteeProfileFactory(program=program)
    response = api_client_for(mentor).post(
        reverse("api:assignment-list"), {"mentee": mentee.pk, "mentor": other_mentor.pk}
    )
    assert response.status_code == 400  # the mentee is not theirs to see: "does not exist"


def test_ending_an_assignment_returns_the_mentee_to_the_unassigned(coordinator, mentee_profile):
    assignment = mentee_profile.assignments.get()
    client = api_client_for(coordinator)
    url = reverse("api:assignment-end", args=[assignment.pk])
    assert client.post(url, {}, format="json").status_code == 400
    response = client.post(url, {"reason": "mentor_left"}, format="json")
    assert response.status_code == 200 and response.json()["end_reason"] == "mentor_left"
    assert client.get(reverse("api:assignment-list"), {"status": "active"}).json()["count"] == 0


def test_mentee_sees_their_assignment_without_the_handoff(mentee, mentee_profile, coordinator):
    Assignment.objects.filter(mentee=mentee_profile).update(handoff_summary="private note")
    (row,) = api_client_for(mentee).get(reverse("api:assignment-list")).json()["results"]
    assert "handoff_summary" not in row and row["mentor_name"] == "Marcus Reyes"


def test_mentor_updates_own_profile_but_not_capacity(mentor):
    client = api_client_for(mentor)
    url = reverse("api:mentor-detail", args=[mentor.mentor_profile.pk])
    response = client.patch(
        url, {"bio": "Hi", "caseload_capacity": 40, "languages": ["es"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.bio == "Hi" and mentor.mentor_profile.caseload_capacity == 8


def test_coordinator_sets_capacity(coordinator, mentor):
    url = reverse("api:mentor-detail", args=[mentor.mentor_profile.pk])
    response = api_client_for(coordinator).patch(url, {"caseload_capacity": 3}, format="json")
    assert response.status_code == 200
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.caseload_capacity == 3


def test_other_mentor_cannot_touch_a_profile(other_mentor, mentor):
    url = reverse("api:mentor-detail", args=[mentor.mentor_profile.pk])
    assert api_client_for(other_mentor).patch(url, {"bio": "x"}, format="json").status_code == 404


def test_mentee_cannot_change_their_mentor(mentee, mentee_profile, mentor):
    url = reverse("api:mentor-detail", args=[mentor.mentor_profile.pk])
    assert api_client_for(mentee).patch(url, {"bio": "x"}, format="json").status_code == 403


# Query budgets with a token: 1 token with user; then the queries noted.


def fill(program, mentor, size):
    profile = mentor.mentor_profile
    profile.caseload_capacity = 50
    profile.save()
    for i in range(size):
        mentee = MenteeProfileFactory(program=program, status="active")
        if i % 4:
            assign(mentee, mentor)
        if i % 10 == 0:
            make_mentor(program)


@pytest.mark.parametrize("size", [5, 50])
def test_mentee_list_api_query_count_is_constant(
    size, coordinator, program, mentor, django_assert_num_queries
):
    fill(program, mentor, size)
    client = api_client_for(coordinator)
    # 1 token, 2 the rate limit's count (core.api.throttling), 3 count and page of mentees with
    # current mentor, then the audit event
    with django_assert_num_queries(3 + AUDIT_EVENT_QUERIES):
        assert client.get(reverse("api:mentee-list")).json()["count"] == size


@pytest.mark.parametrize("size", [5, 50])
def test_mentor_list_api_query_count_is_constant(
    size, coordinator, program, mentor, django_assert_num_queries
):
    fill(program, mentor, size)
    client = api_client_for(coordinator)
    # 1 token, 2 the rate limit's count (core.api.throttling), 3 count and page of mentor profiles
    # with caseloads
    with django_assert_num_queries(4):
        assert client.get(reverse("api:mentor-list")).status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_assignment_list_api_query_count_is_constant(
    size, coordinator, program, mentor, django_assert_num_queries
):
    fill(program, mentor, size)
    client = api_client_for(coordinator)
    # 1 token, 2 the rate limit's count (core.api.throttling), 3 count and page of assignments with
    # mentor and mentee; the audit event: the page's mentees (1) and the event itself.
    with django_assert_num_queries(3 + 1 + AUDIT_EVENT_QUERIES):
        assert client.get(reverse("api:assignment-list")).status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_match_suggestions_api_query_count_is_constant(
    size, coordinator, program, mentor, django_assert_num_queries
):
    fill(program, mentor, size)
    for _ in range(size // 5):
        make_mentor(program, accepting_new_mentees=False)  # left out
        make_mentor(program, certified=False)  # left out
    mentee = MenteeProfileFactory(
        program=program, preferred_language="es", preferred_delivery_method="telehealth"
    )
    client = api_client_for(coordinator)
    url = reverse("api:mentee-match-suggestions", args=[mentee.pk])
    # 1 token, 2 the rate limit's count (core.api.throttling), 3 mentee with current mentor, 4
    # current mentor ids, 5 mentors with caseloads and whether their
    # certification allows new mentees, then the audit event
    with django_assert_num_queries(5 + AUDIT_EVENT_QUERIES):
        body = client.get(url).json()
    assert len(body["left_out"]) == 2 * (size // 5)
    assert all(s["mismatches"] for s in body["suggestions"])
