"""Every covered URL records one event naming the right mentee for a
permitted user, and one denied event for the 404 of an out-of-scope object."""

import pytest
from django.test import override_settings
from django.urls import reverse

from audit.chain import verify
from audit.models import AccessEvent
from tests.checkins.factories import make_checkin
from tests.recovery_plans.factories import first_step, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(mentee_profile, mentor):
    plan = make_plan(mentee_profile, mentor)
    return {
        "mentee": mentee_profile.pk,
        "checkin": make_checkin(mentee_profile, mentor).pk,
        "plan": plan.pk,
        "goal": plan.goals.first().pk,
        "step": first_step(plan).pk,
    }


DETAIL = [
    # url name                  arg        action   object type
    ("mentorship:mentee_detail", "mentee", "read", "mentee"),
    ("checkins:timeline", "mentee", "read", "mentee"),
    ("checkins:detail", "checkin", "read", "checkin"),
    ("recovery_plans:detail", "plan", "read", "plan"),
    ("recovery_plans:print", "plan", "print", "plan"),
    ("api:mentee-detail", "mentee", "read", "mentee"),
    ("api:checkin-detail", "checkin", "read", "checkin"),
    ("api:plan-detail", "plan", "read", "plan"),
    ("api:goal-detail", "goal", "read", "goal"),
    ("api:action-step-detail", "step", "read", "action_step"),
    ("recovery_plans:start", "mentee", "read", "mentee"),
    ("mentorship:mentee_edit", "mentee", "read", "mentee"),
    ("mentorship:mentee_consent", "mentee", "read", "mentee"),
    ("mentorship:mentee_access_history", "mentee", "read", "mentee"),
    ("checkins:log", "mentee", "read", "mentee"),
    ("checkins:assessment_new", "mentee", "read", "mentee"),
]
LISTS = [
    ("mentorship:mentee_list", "mentee"),
    ("api:mentee-list", "mentee"),
    ("api:checkin-list", "checkin"),
    ("recovery_plans:list", "plan"),
]


def only_event():
    events = list(AccessEvent.objects.all())
    assert len(events) == 1, [(e.action, e.object_type) for e in events]
    return events[0]


@pytest.mark.parametrize(("name", "arg", "action", "object_type"), DETAIL)
def test_a_permitted_read_records_one_event_naming_the_mentee(
    coordinator, coordinator_client, objects, mentee_profile, name, arg, action, object_type
):
    response = coordinator_client.get(
        reverse(name, args=[objects[arg]]), HTTP_USER_AGENT="Firefox/1"
    )
    assert response.status_code == 200
    event = only_event()
    assert (event.action, event.outcome, event.object_type) == (action, "allowed", object_type)
    assert event.object_id == str(objects[arg])
    assert event.mentee_ids == [mentee_profile.pk]
    assert list(event.mentees.values_list("mentee_id", flat=True)) == [mentee_profile.pk]
    assert (event.user_id, event.role) == (coordinator.pk, "coordinator")
    assert (event.ip, event.user_agent) == ("127.0.0.1", "Firefox/1")
    assert event.request_id == response["X-Request-ID"]
    assert verify() == (1, None)


@pytest.mark.parametrize(("name", "arg", "action", "object_type"), DETAIL)
def test_an_out_of_scope_read_records_one_denied_event(
    outsider, outsider_client, objects, mentee_profile, name, arg, action, object_type
):
    response = outsider_client.get(reverse(name, args=[objects[arg]]))
    assert response.status_code == 404
    event = only_event()
    assert (event.action, event.outcome, event.object_type) == (action, "denied", object_type)
    assert event.object_id == str(objects[arg])
    assert event.mentee_ids == [mentee_profile.pk]
    assert event.user_id == outsider.pk


def test_a_denied_read_of_an_object_that_does_not_exist_names_the_attempted_id(
    outsider_client, objects
):
    assert outsider_client.get(reverse("checkins:detail", args=[987654])).status_code == 404
    event = only_event()
    assert (event.outcome, event.object_id, event.mentee_ids) == ("denied", "987654", [])


@pytest.mark.parametrize("name", ["mentorship:mentee_detail", "api:checkin-detail"])
def test_a_path_id_past_64_bits_is_recorded_as_denied_without_mentees(outsider_client, name):
    huge = "6639009450995181523304448"
    assert outsider_client.get(reverse(name, args=[huge])).status_code == 404
    event = only_event()
    assert (event.outcome, event.object_id, event.mentee_ids) == ("denied", huge, [])


def test_a_nul_in_an_api_path_id_is_recorded_printable(outsider_client):
    assert outsider_client.get("/api/v1/mentees/a%00b/").status_code == 404
    event = only_event()
    assert (event.outcome, event.object_id, event.mentee_ids) == ("denied", "a?b", [])


@pytest.mark.parametrize(("name", "object_type"), LISTS)
def test_a_list_records_one_event_with_the_mentees_shown(
    coordinator, coordinator_client, objects, mentee_profile, program, name, object_type
):
    from tests.mentorship.factories import MenteeProfileFactory

    second = MenteeProfileFactory(program=program)
    if object_type == "checkin":
        make_checkin(second, coordinator)
    if object_type == "plan":
        make_plan(second, coordinator)
    assert coordinator_client.get(reverse(name)).status_code == 200
    event = only_event()
    assert (event.action, event.outcome, event.object_type) == ("list", "allowed", object_type)
    assert event.mentee_ids == sorted([mentee_profile.pk, second.pk])


def test_a_list_an_outsider_sees_names_none_of_this_programs_mentees(outsider_client, objects):
    assert outsider_client.get(reverse("api:mentee-list")).status_code == 200
    assert only_event().mentee_ids == []


def test_an_anonymous_request_records_nothing(client, objects):
    client.get(reverse("mentorship:mentee_detail", args=[objects["mentee"]]))
    assert not AccessEvent.objects.exists()


def test_an_unregistered_page_records_nothing(coordinator_client):
    assert coordinator_client.get(reverse("dashboard")).status_code == 200
    assert not AccessEvent.objects.exists()


def test_the_request_id_of_a_trusted_proxy_is_kept_and_a_strangers_is_not(
    coordinator_client, objects
):
    url = reverse("mentorship:mentee_detail", args=[objects["mentee"]])
    response = coordinator_client.get(url, HTTP_X_REQUEST_ID="from-client")
    assert response["X-Request-ID"] != "from-client"
    with override_settings(PEERPATH_TRUSTED_PROXY_COUNT=1):
        response = coordinator_client.get(
            url, HTTP_X_REQUEST_ID="proxy-123", HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
        bad = coordinator_client.get(url, HTTP_X_REQUEST_ID="bad id\n", HTTP_X_FORWARDED_FOR="x")
    assert response["X-Request-ID"] == "proxy-123"
    assert bad["X-Request-ID"] != "bad id\n"
    latest = AccessEvent.objects.order_by("id")[1]
    assert (latest.request_id, latest.ip) == ("proxy-123", "203.0.113.9")


def test_every_registered_url_name_exists():
    """A typo in an app's audit_routes.py would silently audit nothing."""
    from audit.registry import registered
    from tests.test_url_coverage import named_urls

    names = {name for name, _method in registered()}
    assert names - named_urls() == set()


def test_admins_find_the_audit_search_in_the_navigation(admin_client, coordinator_client):
    url = reverse("audit:search").encode()
    assert url in admin_client.get(reverse("dashboard")).content
    assert url not in coordinator_client.get(reverse("dashboard")).content


def test_a_dashboard_that_names_mentees_records_them_and_one_that_names_none_records_nothing(
    mentor_client, admin_client, mentee_profile, program
):
    from tests.mentorship.factories import MenteeProfileFactory

    MenteeProfileFactory(program=program)  # not the mentor's: not on the caseload
    assert mentor_client.get(reverse("dashboard")).status_code == 200
    event = only_event()
    assert (event.action, event.object_type, event.mentee_ids) == (
        "list",
        "dashboard",
        [mentee_profile.pk],
    )
    assert admin_client.get(reverse("dashboard")).status_code == 200
    assert AccessEvent.objects.count() == 1
