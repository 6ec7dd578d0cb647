"""API: the mentee's consent to remote services (read on the record, written
with mentees/{id}/remote-consent) and the status history (`status-changes`):
the consent page's service, rules and words; the mentee page's scope."""

from datetime import timedelta

import pytest
from django.urls import reverse

from core.dates import program_today
from mentorship.services import mentee_transition
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.audit import AUDIT_EVENT_QUERIES
from tests.mentorship.factories import MenteeProfileFactory, make_status_change

pytestmark = pytest.mark.django_db


def consent(client, mentee, **body):
    return client.post(reverse("api:mentee-remote-consent", args=[mentee.pk]), body, format="json")


def test_the_mentor_records_consent_and_the_record_shows_it(mentor, mentee_profile):
    client = api_client_for(mentor)
    response = consent(client, mentee_profile, consent="video")
    assert response.status_code == 200, response.json()
    body = response.json()
    today = program_today(mentee_profile.program).isoformat()
    assert (body["remote_consent"], body["remote_consent_on"]) == ("video", today)
    assert body["remote_consent_recorded_by"] == mentor.pk
    detail = client.get(reverse("api:mentee-detail", args=[mentee_profile.pk])).json()
    assert detail["remote_consent"] == "video"


def test_a_withdrawal_is_blank_and_undated(coordinator, mentee_profile):
    client = api_client_for(coordinator)
    consent(client, mentee_profile, consent="audio_only")
    body = consent(client, mentee_profile, consent="").json()
    assert (body["remote_consent"], body["remote_consent_on"]) == ("", None)
    assert body["remote_consent_recorded_by"] is None


@pytest.mark.parametrize(("days", "status"), [(-1, 200), (0, 200), (1, 400)])
def test_consent_is_dated_today_or_earlier(mentor, mentee_profile, days, status):
    on = program_today(mentee_profile.program) + timedelta(days=days)
    response = consent(api_client_for(mentor), mentee_profile, consent="video", on=str(on))
    assert response.status_code == status
    if status == 400:
        assert api_errors(response) == {"on": ["Consent cannot be dated in the future."]}


def test_a_consent_not_offered_is_refused(mentor, mentee_profile):
    response = consent(api_client_for(mentor), mentee_profile, consent="email")
    assert response.status_code == 400 and list(api_errors(response)) == ["consent"]


def test_the_mentee_does_not_record_their_own_consent(mentee, mentee_profile):
    response = consent(api_client_for(mentee), mentee_profile, consent="video")
    assert response.status_code == 403
    mentee_profile.refresh_from_db()
    assert mentee_profile.remote_consent == ""


def test_the_consent_is_read_only_on_the_record(coordinator, mentee_profile):
    response = api_client_for(coordinator).patch(
        reverse("api:mentee-detail", args=[mentee_profile.pk]),
        {"remote_consent": "video", "remote_consent_on": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 200
    mentee_profile.refresh_from_db()
    assert mentee_profile.remote_consent == ""


def test_consent_lets_the_api_log_a_telehealth_checkin(mentor, mentee_profile):
    from django.utils import timezone

    client = api_client_for(mentor)
    checkin = {
        "mentee": mentee_profile.pk,
        "occurred_at": (timezone.now() - timedelta(minutes=5)).isoformat(),
        "delivery_method": "telehealth",
    }
    assert client.post(reverse("api:checkin-list"), checkin, format="json").status_code == 400
    consent(client, mentee_profile, consent="video")
    assert client.post(reverse("api:checkin-list"), checkin, format="json").status_code == 201


# --- Status history -------------------------------------------------------------------


def test_a_transition_is_in_the_history(coordinator, mentee_profile):
    mentee_transition(
        mentee=mentee_profile, changed_by=coordinator, to_status="on_hold", note="Travelling"
    )
    client = api_client_for(coordinator)
    (row,) = client.get(reverse("api:status-change-list")).json()["results"]
    assert (row["mentee"], row["from_status"], row["to_status"]) == (
        mentee_profile.pk,
        "active",
        "on_hold",
    )
    assert (row["changed_by"], row["note"], row["reason"]) == (coordinator.pk, "Travelling", "")


def test_mentors_and_mentees_are_not_shown_the_history(mentor, mentee, mentee_profile):
    change = make_status_change(mentee_profile)
    for user in (mentor, mentee):
        client = api_client_for(user)
        assert client.get(reverse("api:status-change-list")).json()["count"] == 0
        url = reverse("api:status-change-detail", args=[change.pk])
        assert client.get(url).status_code == 404


def test_the_history_filters_by_mentee_status_and_day(coordinator, program, mentee_profile):
    other = MenteeProfileFactory(program=program)
    make_status_change(mentee_profile)
    make_status_change(other)
    client = api_client_for(coordinator)
    url = reverse("api:status-change-list")
    assert client.get(url, {"mentee": other.pk}).json()["count"] == 1
    assert client.get(url, {"to_status": "discharged"}).json()["count"] == 0
    assert client.get(url, {"to_status": "gone"}).status_code == 400
    assert client.get(url, {"changed_from": "yesterday"}).status_code == 400


@pytest.mark.parametrize("size", [5, 50])
def test_status_change_list_query_count_is_constant(
    size, coordinator, mentee_profile, django_assert_num_queries
):
    for _ in range(size):
        make_status_change(mentee_profile)
    client = api_client_for(coordinator)
    # 1 token, 2 count and page (one statement: config.api_pagination); then the audit event
    with django_assert_num_queries(
        0 + 3 + AUDIT_EVENT_QUERIES
    ):  # + the rate limit's count (core.api.throttling)
        assert client.get(reverse("api:status-change-list")).json()["count"] == size
