"""Pages: what each dashboard shows, program management, and query budgets."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Program, Role
from tests.accounts.factories import ProgramFactory, UserFactory
from tests.mentorship.factories import make_mentor

pytestmark = pytest.mark.django_db


def add_members(program, coordinator, n: int) -> None:
    for i in range(n):
        UserFactory(program=program, role=Role.MENTEE if i % 2 else Role.MENTOR)
        services.invitation_create(
            invited_by=coordinator,
            email=f"invitee{program.pk}-{i}@example.org",
            role=Role.MENTEE,
            program=program,
            site_url="",
        )


def test_admin_dashboard_counts_people_and_lists_programs(
    admin_client, coordinator, mentor, other_program
):
    response = admin_client.get(reverse("dashboard"))
    assert response.context["role_counts"] == {
        "admin": 1,
        "coordinator": 1,
        "mentor": 1,
        "mentee": 0,
    }
    assert set(response.context["programs"]) == {coordinator.program, other_program}


def test_coordinator_dashboard_shows_own_members_invitations_and_invite_form(
    coordinator_client, coordinator, mentor, outsider
):
    add_members(coordinator.program, coordinator, 2)
    response = coordinator_client.get(reverse("dashboard"))
    members = set(response.context["members"])
    assert mentor in members and outsider not in members
    assert len(response.context["pending_invitations"]) == 2
    assert b"Send invitation" in response.content


def test_mentor_and_mentee_dashboards_show_profile_and_program(
    mentor_client, mentee_client, program
):
    for client in (mentor_client, mentee_client):
        content = client.get(reverse("dashboard")).content.decode()
        assert program.name in content
        assert "every 7 days" in content


def test_admin_creates_a_program_in_the_site(admin_client):
    response = admin_client.post(
        reverse("accounts:program_create"),
        {
            "name": "Yolo Recovery Peers",
            "state": "ca",
            "county": "yolo",
            "time_zone": "America/Los_Angeles",
            "default_checkin_cadence_days": 14,
            "min_months_in_recovery": 6,
            "overdue_grace_days": 3,
        },
    )
    program = Program.objects.get(name="Yolo Recovery Peers")
    assert response.url == reverse("accounts:program_detail", args=[program.pk])
    assert (program.state, program.county, program.default_checkin_cadence_days) == (
        "CA",
        "Yolo",
        14,
    )


def test_program_form_shows_county_error_beside_the_field(admin_client, program):
    response = admin_client.post(
        reverse("accounts:program_edit", args=[program.pk]),
        {
            "name": program.name,
            "state": "CA",
            "county": "Gotham",
            "time_zone": "America/Los_Angeles",
            "default_checkin_cadence_days": 7,
            "overdue_grace_days": 2,
            "min_months_in_recovery": 6,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["county"] == ["Choose one of California's 58 counties."]


def test_admin_edits_a_program(admin_client, program):
    admin_client.post(
        reverse("accounts:program_edit", args=[program.pk]),
        {
            "name": "Renamed",
            "state": "OR",
            "county": "Multnomah",
            "time_zone": "America/Los_Angeles",
            "default_checkin_cadence_days": 10,
            "overdue_grace_days": 1,
            "min_months_in_recovery": 0,
        },
    )
    program.refresh_from_db()
    assert (program.name, program.state, program.county) == ("Renamed", "OR", "Multnomah")


def test_coordinator_cannot_edit_their_own_program(coordinator_client, program):
    response = coordinator_client.post(
        reverse("accounts:program_edit", args=[program.pk]), {"name": "Mine now"}
    )
    assert response.status_code == 403
    program.refresh_from_db()
    assert program.name != "Mine now"


def test_program_page_hides_members_from_mentors(mentor_client, program, coordinator):
    response = mentor_client.get(reverse("accounts:program_detail", args=[program.pk]))
    assert response.context["members"] is None
    assert coordinator.email.encode() not in response.content


# Query budgets: the same count whatever the size of the program. Every signed-in
# page starts with: 1 session, 2 user with their program and, for staff, the
# MFA check (accounts.backends). The coordinator's
# and mentor's dashboards are budgeted with their caseloads in tests/mentorship.


@pytest.mark.parametrize("programs", [2, 20])
def test_admin_dashboard_query_count_is_constant(
    programs, admin_client, coordinator, django_assert_num_queries
):
    for n in range(programs):
        # Programs in two time zones, each with certified mentors.
        zone = "America/New_York" if n % 2 else "America/Los_Angeles"
        zoned = ProgramFactory(time_zone=zone)
        add_members(zoned, coordinator, 0)
        make_mentor(zoned)
    add_members(coordinator.program, coordinator, programs)
    # 3 counts by role, 4 the certification alerts' time zones; then one
    # statement (core.together) for the programs with member counts, the
    # pending invitations and the certifications by status in each zone and
    # CE waiting (the admin's dashboard names no mentee: no audit event)
    with django_assert_num_queries(5):
        assert admin_client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize("programs", [2, 20])
def test_program_list_query_count_is_constant(programs, admin_client, django_assert_num_queries):
    for _ in range(programs):
        UserFactory(program=ProgramFactory())
    # 3 programs with member counts
    with django_assert_num_queries(3):
        assert admin_client.get(reverse("accounts:program_list")).status_code == 200


@pytest.mark.parametrize("members", [5, 50])
def test_program_detail_query_count_is_constant(
    members, admin_client, coordinator, django_assert_num_queries
):
    add_members(coordinator.program, coordinator, members)
    # 3 program, 4 members
    with django_assert_num_queries(4):
        url = reverse("accounts:program_detail", args=[coordinator.program.pk])
        assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("invitations", [5, 50])
def test_invitation_list_query_count_is_constant(
    invitations, coordinator_client, coordinator, django_assert_num_queries
):
    add_members(coordinator.program, coordinator, invitations)
    # (the user's program comes with the user) 3 count for the pages, 4 one page of invitations
    with django_assert_num_queries(4):
        assert coordinator_client.get(reverse("accounts:invitation_list")).status_code == 200
