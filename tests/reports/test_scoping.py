"""Every reports URL, every role: coordinators reach their own program's
report, admins any program's or all; a program out of reach is a 404."""

import pytest
from django.urls import reverse

from tests.api_errors import api_errors
from tests.scoping import CASE_ROLES, LOGIN, assert_reaches, row

pytestmark = pytest.mark.django_db

PAGES = [
    #    name                        method  arg        anon   admin coord mentor other  mentee other  outsider
    row("reports:outcomes",          "get",  None,      LOGIN, 200,  200,  403,   403,   403,   403,   200),
    row("reports:outcomes_csv",      "get",  None,      LOGIN, 200,  200,  403,   403,   403,   403,   200),
    row("reports:outcomes_pdf",      "get",  None,      LOGIN, 200,  200,  403,   403,   403,   403,   200),
    row("api:report-outcomes",       "get",  None,      401,   200,  200,  403,   403,   403,   403,   200),
    row("reports:mentee_months_csv", "get",  None,      LOGIN, 200,  200,  403,   403,   403,   403,   200),
    # Follow-ups name mentees: their coordinators and mentors, not admins (no grant).
    row("reports:follow_ups",        "get",  None,      LOGIN, 403,  200,  200,   200,   403,   403,   200),
    row("reports:follow_up_attempt", "post", "follow_up", LOGIN, 404, 302, 302,   404,   403,   404,   404),
    row("api:follow-up-window-list",        "get",  None,      401,   200,  200,  200,   200,   200,   200,   200),
    row("api:follow-up-window-detail",      "get",  "follow_up_row", 401, 404, 200, 200, 404,   200,   404,   404),
]  # fmt: skip
# The same URLs naming one program (?program=): the outsider's is another's.
NAMING_A_PROGRAM = [
    row("reports:outcomes",          "get",  "program", LOGIN, 200,  200,  403,   403,   403,   403,   404),
    row("reports:outcomes_csv",      "get",  "program", LOGIN, 200,  200,  403,   403,   403,   403,   404),
    row("reports:outcomes_pdf",      "get",  "program", LOGIN, 200,  200,  403,   403,   403,   403,   404),
    row("api:report-outcomes",       "get",  "program", 401,   200,  200,  403,   403,   403,   403,   404),
    row("reports:mentee_months_csv", "get",  "program", LOGIN, 200,  200,  403,   403,   403,   403,   404),
]  # fmt: skip


@pytest.mark.parametrize("role", CASE_ROLES)
@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"),
    PAGES + NAMING_A_PROGRAM,
    ids=[f"{r[0]}-{r[2]}" for r in PAGES + NAMING_A_PROGRAM],
)
def test_each_role_reaches_only_what_it_may(
    case_clients, program, mentee_profile, role, name, method, arg, expected
):
    if arg == "follow_up":
        url = reverse(name, args=[mentee_profile.pk, "baseline"])
    elif arg == "follow_up_row":
        from reports.models import FollowUp

        row_ = FollowUp.objects.create(mentee=mentee_profile, point="baseline", attempts=1)
        url = reverse(name, args=[row_.pk])
    else:
        url = reverse(name) + (f"?program={program.pk}" if arg else "")
    response = getattr(case_clients[role], method)(url)
    assert_reaches(response, expected[role], f"{role} {method} {url}")


def test_a_program_that_does_not_exist_is_a_404(admin_client):
    for name in (
        "reports:outcomes", "reports:outcomes_csv", "reports:outcomes_pdf", "api:report-outcomes",
    ):  # fmt: skip
        assert admin_client.get(reverse(name) + "?program=999999").status_code == 404
    for name in ("reports:outcomes", "reports:outcomes_csv", "reports:outcomes_pdf"):
        assert admin_client.get(reverse(name) + "?program=x").status_code == 404


def test_the_api_names_a_malformed_program_in_a_400(admin_client):
    # The API's contract: a parameter that is not an id is a 400 naming it
    # (tests/test_query_params.py); only a well-formed id out of reach is a 404.
    for value in ("x", "²", "1" * 19):
        response = admin_client.get(reverse("api:report-outcomes"), {"program": value})
        assert response.status_code == 400
        assert "program" in api_errors(response)


def test_a_coordinator_sees_only_their_program_and_an_admin_every_one(
    client_for, coordinator, admin_user, program, other_program
):
    def programs(user):
        response = client_for(user).get(reverse("api:report-outcomes"))
        return {p["id"] for p in response.json()["programs"]}

    assert programs(coordinator) == {program.pk}
    assert programs(admin_user) == {program.pk, other_program.pk}


def test_the_follow_up_list_shows_each_mentor_only_their_mentees(
    case_clients, mentee_profile, other_mentor
):
    def names(role):
        return "Jordan" in case_clients[role].get(reverse("reports:follow_ups")).content.decode()

    assert names("coordinator") and names("mentor")
    assert not names("other_mentor") and not names("outsider")


def test_a_point_that_does_not_exist_is_a_404(coordinator_client, mentee_profile):
    url = reverse("reports:follow_up_attempt", args=[mentee_profile.pk, "decade"])
    assert coordinator_client.post(url).status_code == 404


def test_the_follow_up_api_lists_only_reachable_mentees(case_clients, mentee_profile):
    from reports.models import FollowUp

    FollowUp.objects.create(mentee=mentee_profile, point="baseline", attempts=2)

    def mentees(role):
        rows = case_clients[role].get(reverse("api:follow-up-window-list")).json()["results"]
        return [(r["mentee"], r["point"], r["attempts"], r["state"]) for r in rows]

    expected = [(mentee_profile.pk, "baseline", 2, "in_window")]
    assert mentees("coordinator") == mentees("mentor") == mentees("mentee") == expected
    assert mentees("other_mentor") == mentees("outsider") == mentees("admin") == []
