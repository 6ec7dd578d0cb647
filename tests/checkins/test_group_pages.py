"""The group session page and the `group-sessions` API resource."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from checkins.models import CheckIn, GroupSession
from tests.checkins.group_factories import caseload, log_group

pytestmark = pytest.mark.django_db


def form_data(mentees, **extra):
    data = {
        "once_token": str(uuid.uuid4()),
        "occurred_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "90",
        "delivery_method": "in_person",
        "topic": "Coping with cravings",
        "notes": "GROUP-NOTES",
    }
    for m in mentees:
        data[f"attendance_{m.pk}"] = "present"
        data[f"note_{m.pk}"] = ""
    return data | extra


def test_a_mentor_logs_a_group_on_the_page_once_however_often_it_is_sent(
    mentor_client, program, coordinator, mentor
):
    mentees = caseload(program, mentor, coordinator, 3)
    page = mentor_client.get(reverse("checkins:group_new"))
    assert all(m.preferred_name in page.content.decode() for m in mentees)
    data = form_data(mentees, **{f"attendance_{mentees[2].pk}": "absent"})
    response = mentor_client.post(reverse("checkins:group_new"), data)
    assert response.status_code == 302, response.context["form"].errors
    group = GroupSession.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "checkins:group_detail", args=[group.pk]
    )
    assert mentor_client.post(reverse("checkins:group_new"), data).status_code == 302
    assert GroupSession.objects.count() == 1 and CheckIn.objects.count() == 2
    detail = mentor_client.get(response.url).content.decode()
    assert "GROUP-NOTES" in detail and "Member 2" in detail
    assert (
        "GROUP-NOTES"
        not in mentor_client.get(
            reverse("checkins:timeline", args=[mentees[0].pk])
        ).content.decode()
    )
    listing = mentor_client.get(reverse("checkins:groups")).content.decode()
    assert "Coping with cravings" in listing


def test_the_page_refuses_in_plain_words(mentor_client, program, coordinator, mentor):
    mentees = caseload(program, mentor, coordinator, 1)
    response = mentor_client.post(
        reverse("checkins:group_new"), form_data(mentees, duration_minutes="601", topic="")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Minutes are from 1 to 600." in body and "Say the group&#x27;s topic." in body
    response = mentor_client.post(
        reverse("checkins:group_new"), form_data(mentees, **{f"attendance_{mentees[0].pk}": ""})
    )
    assert "List who was in the group." in response.content.decode()
    assert not GroupSession.objects.exists()


def test_the_api_logs_a_group_once_per_key(client_for, program, coordinator, mentor):
    mentees = caseload(program, mentor, coordinator, 2)
    client = client_for(mentor)
    body = {
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "duration_minutes": 60, "delivery_method": "in_person", "topic": "Boundaries",
        "attendees": [{"mentee": mentees[0].pk, "status": "present", "note": "Spoke first"},
                      {"mentee": mentees[1].pk, "status": "absent"}],
    }  # fmt: skip
    key = str(uuid.uuid4())
    url = reverse("api:group-session-list")
    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201, first.json()
    again = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert again.json()["id"] == first.json()["id"]
    assert [a["status"] for a in first.json()["attendance"]] == ["present", "absent"]
    assert CheckIn.objects.get().notes == "Spoke first"
    bad = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x")
    assert bad.status_code == 400


def test_the_api_refuses_another_mentors_mentee_or_an_unknown_id_alike(
    client_for, program, coordinator, mentor, other_mentor
):
    (theirs,) = caseload(program, other_mentor, coordinator, 1)
    client = client_for(mentor)
    answers = []
    for mentee_id in (theirs.pk, theirs.pk + 1000):
        body = {
            "occurred_at": timezone.now().isoformat(), "duration_minutes": 60,
            "delivery_method": "in_person", "topic": "T",
            "attendees": [{"mentee": mentee_id}],
        }  # fmt: skip
        response = client.post(
            reverse("api:group-session-list"), body, content_type="application/json"
        )
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    assert answers[0][0] == 400 and "your own caseload" in str(answers[0][1])
    assert not GroupSession.objects.exists()


@pytest.mark.parametrize("size", [5, 50])
def test_the_group_pages_and_list_take_the_same_queries_at_two_sizes(
    size, client_for, program, coordinator, mentor, django_assert_num_queries
):
    mentees = caseload(program, mentor, coordinator, size)
    for _ in range(3):
        group = log_group(mentor, mentees)
    client = client_for(mentor)
    counts = []
    for url in (
        reverse("checkins:groups"),
        reverse("checkins:group_detail", args=[group.pk]),
        reverse("api:group-session-list"),
        reverse("checkins:group_new"),
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts == BUDGET, counts


# The list, a group, the API list and the empty form: the same at 5 and 50
# (each with its two-statement audit event; the API list with its rate
# limit's count, core.api.throttling, its count and page in one statement,
# config.api_pagination; the program, whose clock gives the empty form its
# "when", comes with the user, accounts.backends).
BUDGET = [6, 7, 7, 6]
