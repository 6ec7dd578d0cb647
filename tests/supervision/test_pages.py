"""The supervision pages as each role uses them, refused cases included, and
the API resource's create."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from supervision import services
from supervision.models import CrisisDebrief, SupervisionSession, SupervisionSettings, Supervisor
from tests.api_errors import api_errors
from tests.checkins.factories import make_checkin
from tests.supervision.factories import designate, make_session

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 5, tzinfo=UTC)  # Nov 26 in Sacramento
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def supervised(coordinator, mentor, other_mentor):
    sup = designate(other_mentor, coordinator)
    services.supervisor_assign(mentor=mentor, supervisor=sup, by=coordinator)
    return sup


def test_a_coordinator_designates_and_assigns_a_supervisor_from_the_pages(
    coordinator_client, other_mentor, mentor
):
    response = coordinator_client.post(
        reverse("supervision:supervisor_new"),
        {"user": other_mentor.pk, "qualification": "certified_peer", "years_of_experience": "5"},
    )
    assert response.status_code == 302
    sup = Supervisor.objects.get(user=other_mentor)
    assert sup.training_due_on == date(2027, 5, 26)
    response = coordinator_client.post(
        reverse("supervision:assign"), {"mentor": mentor.pk, "supervisor": sup.pk}
    )
    assert response.status_code == 302
    page = coordinator_client.get(reverse("supervision:home")).content.decode()
    assert "Lena Okafor" in page and "training due" in page


def test_the_designation_form_says_what_is_missing_beside_the_field(
    coordinator_client, other_mentor
):
    response = coordinator_client.post(
        reverse("supervision:supervisor_new"),
        {"user": other_mentor.pk, "qualification": "licensed"},
    )
    assert response.status_code == 200
    assert "gives their license or registration number" in response.content.decode()
    assert not Supervisor.objects.exists()


def test_the_coordinator_sets_the_programs_supervision_rules(coordinator_client, program):
    response = coordinator_client.post(
        reverse("supervision:settings"),
        {
            "monthly_minimum_minutes": "180",
            "debrief_due_days": "2",
            "training_deadline_months": "6",
        },
    )
    assert response.status_code == 302
    assert SupervisionSettings.objects.get(program=program).monthly_minimum_minutes == 180


def test_the_supervisor_records_a_debrief_the_mentor_acknowledges_and_ticks_off(
    client_for, supervised, other_mentor, mentor, mentee_profile
):
    make_checkin(mentee_profile, mentor, crisis_flag=True)
    debrief = CrisisDebrief.objects.get()
    supervisor_client = client_for(other_mentor)
    form = supervisor_client.get(reverse("supervision:session_new")).content.decode()
    assert "Marcus Reyes" in form and "Jordan" in form
    response = supervisor_client.post(
        reverse("supervision:session_new"),
        {
            "kind": "individual", "mentors": [mentor.pk], "held_on": TODAY.isoformat(),
            "duration_minutes": "45", "format": "telephone", "topics": ["crisis_debrief"],
            "debriefs": [debrief.pk], "mentees_discussed": [mentee_profile.pk],
            "notes": "Talked it through", "action_1_mentor": str(mentor.pk),
            "action_1_description": "Call the crisis line follow-up",
            "action_1_due_on": (TODAY + timedelta(days=3)).isoformat(),
        },
    )  # fmt: skip
    session = SupervisionSession.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/sessions/{session.pk}/")
    debrief.refresh_from_db()
    assert debrief.session == session
    mentor_client = client_for(mentor)
    page = mentor_client.get(reverse("supervision:session_detail", args=[session.pk]))
    assert "Talked it through" in page.content.decode()
    item = session.action_items.get()
    assert (
        mentor_client.post(reverse("supervision:action_item_done", args=[item.pk])).status_code
        == 302
    )
    assert (
        mentor_client.post(
            reverse("supervision:session_acknowledge", args=[session.pk])
        ).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.done_at is not None
    assert session.attendance.get().acknowledged_at is not None


def test_a_mentor_who_does_not_supervise_cannot_record(client_for, mentor):
    assert client_for(mentor).get(reverse("supervision:session_new")).status_code == 403


def test_the_supervision_log_as_a_page_and_csv(client_for, supervised, other_mentor, mentor):
    make_session(other_mentor, [mentor], minutes=50, topics=["ethics_and_boundaries", "skills"])
    client = client_for(mentor)
    page = client.get(reverse("supervision:log", args=[mentor.pk])).content.decode()
    assert "This month: 50 of 120 minutes." in page
    response = client.get(reverse("supervision:log_csv", args=[mentor.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["date", "kind", "format", "minutes", "topics", "supervisor", "acknowledged"]
    assert rows[1] == [
        TODAY.isoformat(), "individual", "in person", "50",
        "ethics and boundaries; skills", "Lena Okafor", "",
    ]  # fmt: skip
    assert "NOTES-MARKER" not in page


def test_dashboards_flag_mentors_below_the_minimum_and_overdue_debriefs(
    coordinator_client, client_for, supervised, mentor, mentee_profile
):
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        make_checkin(mentee_profile, mentor, crisis_flag=True)
    page = coordinator_client.get(reverse("dashboard")).content.decode()
    assert "Mentors below the monthly minimum" in page and "0 of 120 minutes" in page
    assert 'Overdue crisis debriefs <span class="count">1</span>' in page
    mentor_page = client_for(mentor).get(reverse("dashboard")).content.decode()
    assert "This month: 0 of 120 minutes." in mentor_page


def test_the_api_records_a_session_for_a_supervisor_only(
    client_for, supervised, other_mentor, mentor
):
    url = reverse("api:supervision-session-list")
    body = {
        "kind": "individual", "held_on": TODAY.isoformat(), "duration_minutes": 30,
        "format": "video", "topics": ["self_care"], "mentors": [mentor.pk],
        "action_items": [{"mentor": mentor.pk, "description": "Rest day"}],
    }  # fmt: skip
    refused = client_for(mentor).post(url, body, content_type="application/json")
    assert refused.status_code == 403
    too_long = client_for(other_mentor).post(
        url, body | {"duration_minutes": 481}, content_type="application/json"
    )
    assert too_long.status_code == 400
    assert api_errors(too_long) == {"duration_minutes": ["A session lasts 5 to 480 minutes."]}
    created = client_for(other_mentor).post(url, body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["mentors"] == [mentor.pk]
    assert SupervisionSession.objects.get().action_items.get().description == "Rest day"
