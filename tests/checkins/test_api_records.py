"""API: BARC-10 assessments (`recovery-capital`) and check-in schedules
(`schedules`): the pages' records, scope and rules."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from checkins.models import RecoveryCapitalAssessment
from core.dates import program_today
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_error, api_errors
from tests.audit import AUDIT_EVENT_QUERIES
from tests.checkins.factories import make_assessment
from tests.mentorship.factories import MenteeProfileFactory, assign

pytestmark = pytest.mark.django_db

SCORES = {f"item_{n}": 5 for n in range(1, 11)}


def post_assessment(client, mentee, **overrides):
    return client.post(
        reverse("api:recovery-capital-list"),
        {"mentee": mentee.pk, **SCORES, **overrides},
        format="json",
    )


def test_a_mentor_records_a_barc10_and_its_total_is_counted(mentor, mentee_profile):
    response = post_assessment(api_client_for(mentor), mentee_profile)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total"] == 50 and body["entered_by"] == mentor.pk
    assert body["assessed_on"] == program_today(mentee_profile.program).isoformat()


@pytest.mark.parametrize(("score", "status"), [(0, 400), (1, 201), (6, 201), (7, 400)])
def test_each_score_runs_from_1_to_6(mentor, mentee_profile, score, status):
    response = post_assessment(api_client_for(mentor), mentee_profile, item_3=score)
    assert response.status_code == status
    if status == 400:
        assert api_errors(response) == {"item_3": ["Statement 3 is scored from 1 to 6."]}


def test_an_assessment_cannot_be_in_the_future(mentor, mentee_profile):
    today = program_today(mentee_profile.program)
    client = api_client_for(mentor)
    response = post_assessment(client, mentee_profile, assessed_on=str(today + timedelta(days=1)))
    assert response.status_code == 400
    assert api_errors(response) == {"assessed_on": ["An assessment cannot be in the future."]}
    assert post_assessment(client, mentee_profile, assessed_on=str(today)).status_code == 201


def test_a_mentee_reads_their_own_but_does_not_record_one(mentee, mentee_profile, mentor):
    make_assessment(mentee_profile, mentor)
    client = api_client_for(mentee)
    assert client.get(reverse("api:recovery-capital-list")).json()["count"] == 1
    response = post_assessment(client, mentee_profile)
    assert response.status_code == 403
    assert api_error(response) == "The mentee's mentor or coordinators record assessments."
    assert RecoveryCapitalAssessment.objects.count() == 1


def test_a_mentee_out_of_reach_does_not_exist(other_mentor, mentee_profile, mentor):
    response = post_assessment(api_client_for(other_mentor), mentee_profile)
    assert response.status_code == 400 and "mentee" in api_errors(response)
    assessment = make_assessment(mentee_profile, mentor)
    url = reverse("api:recovery-capital-detail", args=[assessment.pk])
    assert api_client_for(other_mentor).get(url).status_code == 404


def test_the_same_idempotency_key_records_one_assessment(mentor, mentee_profile):
    client, key = api_client_for(mentor), str(uuid.uuid4())
    first, second = (
        client.post(
            reverse("api:recovery-capital-list"),
            {"mentee": mentee_profile.pk, **SCORES},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        for _ in range(2)
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert RecoveryCapitalAssessment.objects.count() == 1


def test_the_list_filters_by_mentee_and_day(coordinator, mentor, mentee_profile):
    today = program_today(mentee_profile.program)
    make_assessment(mentee_profile, mentor, assessed_on=today - timedelta(days=100))
    make_assessment(mentee_profile, mentor, assessed_on=today)
    client = api_client_for(coordinator)
    url = reverse("api:recovery-capital-list")
    assert client.get(url, {"mentee": mentee_profile.pk}).json()["count"] == 2
    assert client.get(url, {"assessed_from": str(today)}).json()["count"] == 1
    assert client.get(url, {"assessed_until": "not a day"}).status_code == 400
    assert client.get(url, {"mentee": 2**64}).status_code == 400


@pytest.mark.parametrize("size", [5, 50])
def test_recovery_capital_list_query_count_is_constant(
    size, coordinator, mentor, mentee_profile, django_assert_num_queries
):
    today = program_today(mentee_profile.program)
    for n in range(size):
        make_assessment(mentee_profile, mentor, assessed_on=today - timedelta(days=n))
    client = api_client_for(coordinator)
    # 1 token, 2 count and page (one statement: config.api_pagination); then the audit event (the mentees read off the rows)
    with django_assert_num_queries(
        0 + 3 + AUDIT_EVENT_QUERIES
    ):  # + the rate limit's count (core.api.throttling)
        assert client.get(reverse("api:recovery-capital-list")).json()["count"] == size


def test_a_schedule_says_when_the_next_checkin_is_due(mentee, mentee_profile, mentor):
    schedule = mentee_profile.assignments.get().schedule
    (row,) = api_client_for(mentee).get(reverse("api:schedule-list")).json()["results"]
    assert row == {
        "id": schedule.pk,
        "mentee": mentee_profile.pk,
        "assignment": schedule.assignment_id,
        "cadence_days": schedule.cadence_days,
        "next_due_on": schedule.next_due_on.isoformat(),
        "updated_at": row["updated_at"],
    }
    response = api_client_for(mentor).patch(
        reverse("api:schedule-detail", args=[schedule.pk]), {"cadence_days": 1}, format="json"
    )
    assert response.status_code == 405


def test_a_reassigned_mentor_loses_the_schedule(mentor, other_mentor, coordinator, mentee_profile):
    from mentorship.services import assignment_create

    assignment_create(
        mentee=mentee_profile, mentor=other_mentor, assigned_by=coordinator, end_reason="other"
    )
    assert api_client_for(mentor).get(reverse("api:schedule-list")).json()["count"] == 0
    (row,) = api_client_for(other_mentor).get(reverse("api:schedule-list")).json()["results"]
    assert row["assignment"] == mentee_profile.assignments.get(ended_at__isnull=True).pk


@pytest.mark.parametrize("size", [5, 50])
def test_schedule_list_query_count_is_constant(
    size, coordinator, mentor, program, django_assert_num_queries
):
    for _ in range(size):
        assign(MenteeProfileFactory(program=program, status="active"), mentor, by=coordinator)
    client = api_client_for(coordinator)
    # 1 token, 2 count and page (one statement: config.api_pagination); then the audit event
    with django_assert_num_queries(
        0 + 3 + AUDIT_EVENT_QUERIES
    ):  # + the rate limit's count (core.api.throttling)
        assert client.get(reverse("api:schedule-list")).json()["count"] == size
