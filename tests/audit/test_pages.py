"""The pages that read the trail: a mentee's access history, "who has seen my
record", and the admins' search with its CSV export."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

import audit
from audit.models import AccessEvent
from tests.mentorship.factories import MenteeProfileFactory

pytestmark = pytest.mark.django_db


def read(user, mentee_id, **fields):
    fields.setdefault("action", "read")
    return audit.record(
        user, mentee_ids=[mentee_id], object_type="mentee", object_id=mentee_id, **fields
    )


def test_the_access_history_lists_who_opened_the_record_and_the_refusals(
    coordinator_client, mentee_profile, mentor, outsider, program
):
    read(mentor, mentee_profile.pk)
    read(outsider, mentee_profile.pk, outcome="denied")
    read(mentor, MenteeProfileFactory(program=program).pk)  # someone else's record
    response = coordinator_client.get(
        reverse("mentorship:mentee_access_history", args=[mentee_profile.pk])
    )
    events = list(response.context["events"])
    assert [(e.user_id, e.outcome) for e in events] == [
        (outsider.pk, "denied"),
        (mentor.pk, "allowed"),
    ]
    assert b"refused" in response.content and b"Marcus Reyes" in response.content


def test_the_mentee_page_links_to_the_access_history_for_those_who_may_read_it(
    coordinator_client, mentor_client, mentee_profile
):
    link = reverse("mentorship:mentee_access_history", args=[mentee_profile.pk]).encode()
    url = reverse("mentorship:mentee_detail", args=[mentee_profile.pk])
    assert link in coordinator_client.get(url).content
    assert link not in mentor_client.get(url).content


def test_who_has_seen_my_record_speaks_of_roles_never_names(
    mentee_client, mentee, mentee_profile, mentor, coordinator, outsider
):
    read(mentor, mentee_profile.pk)
    audit.record(coordinator, action="print", mentee_ids=[mentee_profile.pk], object_type="plan")
    read(outsider, mentee_profile.pk, outcome="denied")  # refused: nothing was seen
    read(mentee, mentee_profile.pk)  # their own look is not news to them
    response = mentee_client.get(reverse("mentorship:my_record_access"))
    sentences = [sentence for _, sentence in response.context["lines"]]
    assert sentences == [
        "A coordinator printed your recovery plan.",
        "A peer mentor viewed your record.",
    ]
    for name in ["Marcus", "Dana", "Otto"]:
        assert name.encode() not in response.content


def test_the_mentee_dashboard_links_to_who_has_seen_my_record(mentee_client, mentee_profile):
    assert reverse("mentorship:my_record_access").encode() in mentee_client.get("/").content


@pytest.fixture
def spread_events(coordinator, mentor, mentee_profile):
    with time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=UTC), tick=False):
        read(coordinator, mentee_profile.pk)
    with time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False):
        read(mentor, mentee_profile.pk)
        read(mentor, 999, action="list")
    with time_machine.travel(datetime(2026, 3, 3, 12, tzinfo=UTC), tick=False):
        read(mentor, mentee_profile.pk, action="print")


def search_ids(admin_client, **params):
    response = admin_client.get(reverse("audit:search"), params)
    assert response.status_code == 200
    return [e.pk for e in response.context["events"]]


def test_the_search_filters_by_who_mentee_action_and_dates(
    admin_client, spread_events, mentee_profile
):
    assert search_ids(admin_client) == [4, 3, 2, 1]
    assert search_ids(admin_client, who="MENTOR@example.org") == [4, 3, 2]
    assert search_ids(admin_client, mentee=mentee_profile.pk) == [4, 2, 1]
    assert search_ids(admin_client, action="list") == [3]
    # The range includes both of its days, and nothing either side.
    assert search_ids(admin_client, date_from="2026-03-02", date_to="2026-03-02") == [3, 2]
    assert search_ids(admin_client, date_from="2026-03-02") == [4, 3, 2]
    assert search_ids(admin_client, date_to="2026-03-01") == [1]


def test_a_reversed_date_range_is_refused_with_a_message(admin_client, spread_events):
    response = admin_client.get(
        reverse("audit:search"), {"date_from": "2026-03-03", "date_to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert b"The start date is after the end date." in response.content


@pytest.mark.parametrize("params", [{"mentee": "x"}, {"date_from": "nope"}, {"page": "99"}])
def test_bad_search_input_never_fails_the_page(admin_client, spread_events, params):
    assert admin_client.get(reverse("audit:search"), params).status_code == 200


def test_the_search_pages_keep_the_filters(admin_client, coordinator, monkeypatch):
    monkeypatch.setattr("audit.views.PAGE_SIZE", 2)
    for n in range(5):
        read(coordinator, n + 1)
    response = admin_client.get(reverse("audit:search"), {"action": "read"})
    assert b"?action=read&amp;page=2" in response.content


def test_the_export_streams_the_found_events_as_csv_and_is_itself_audited(
    admin_client, admin_user, spread_events, mentee_profile
):
    response = admin_client.get(reverse("audit:export"), {"mentee": mentee_profile.pk})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="audit-events.csv"' in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert lines[0].startswith("event,time (UTC),user id,user email,role,action")
    # Event 5 is the export itself, recorded before the file streams.
    assert [line.split(",")[0] for line in lines[1:]] == ["5", "4", "2", "1"]
    export = AccessEvent.objects.get(pk=5, action="export")
    assert (export.user_id, export.mentee_ids) == (admin_user.pk, [mentee_profile.pk])
