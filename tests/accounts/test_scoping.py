"""Every URL of Peerpath, every role: what each may reach.

Anything outside a user's scope answers 404 so that its existence does not
leak; a page the user may not use at all answers 403; anonymous visitors go
to the login page (pages) or get 401 (API). tests/test_url_coverage.py
fails when a URL is added without a row in some app's table.
"""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Role
from tests.scoping import LOGIN, assert_reaches

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "admin", "coordinator", "mentor", "mentee", "outsider"]

# URL name, method, arguments (built from the fixtures below), expected status per role.
PAGES = [
    ("dashboard", "get", None,
     {"anonymous": LOGIN, "admin": 200, "coordinator": 200, "mentor": 200, "mentee": 200, "outsider": 200}),
    ("accounts:program_list", "get", None,
     {"anonymous": LOGIN, "admin": 200, "coordinator": 403, "mentor": 403, "mentee": 403, "outsider": 403}),
    ("accounts:program_create", "get", None,
     {"anonymous": LOGIN, "admin": 200, "coordinator": 403, "mentor": 403, "mentee": 403, "outsider": 403}),
    ("accounts:program_detail", "get", "program",
     {"anonymous": LOGIN, "admin": 200, "coordinator": 200, "mentor": 200, "mentee": 200, "outsider": 404}),
    ("accounts:program_edit", "get", "program",
     {"anonymous": LOGIN, "admin": 200, "coordinator": 403, "mentor": 403, "mentee": 403, "outsider": 404}),
    ("accounts:invitation_list", "get", None,
     {"anonymous": LOGIN, "admin": 200, "coordinator": 200, "mentor": 403, "mentee": 403, "outsider": 200}),
    ("accounts:invitation_revoke", "post", "invitation",
     {"anonymous": LOGIN, "admin": 302, "coordinator": 302, "mentor": 404, "mentee": 404, "outsider": 404}),
    ("accounts:invitation_accept", "get", "token",
     {"anonymous": 200, "admin": 409, "coordinator": 409, "mentor": 409, "mentee": 409, "outsider": 409}),
    ("accounts:api_tokens", "get", None,
     {"anonymous": LOGIN, "admin": 200, "coordinator": 200, "mentor": 200, "mentee": 200, "outsider": 200}),
    # Staff have a second factor but have not just entered it: asked for it (302);
    # mentors and mentees without one are sent back to the list (302).
    ("accounts:api_token_create", "get", None,
     {"anonymous": LOGIN, "admin": 302, "coordinator": 302, "mentor": 302, "mentee": 302, "outsider": 302}),
    ("accounts:api_token_revoke", "post", "api_token",
     {"anonymous": LOGIN, "admin": 302, "coordinator": 302, "mentor": 404, "mentee": 404, "outsider": 404}),
    ("accounts:my_account", "get", None,
     {"anonymous": LOGIN, "admin": 200, "coordinator": 200, "mentor": 200, "mentee": 200, "outsider": 200}),
    # The style guide: staff only.
    ("accounts:style_guide", "get", None,
     {"anonymous": LOGIN, "admin": 200, "coordinator": 200, "mentor": 403, "mentee": 403, "outsider": 200}),
    ("accounts:session_expired", "get", None,
     {"anonymous": 200, "admin": 200, "coordinator": 200, "mentor": 200, "mentee": 200, "outsider": 200}),
    # "Stay signed in" on the idle warning: everyone signed in keeps their own session.
    ("accounts:session_keepalive", "post", None,
     {"anonymous": LOGIN, "admin": 204, "coordinator": 204, "mentor": 204, "mentee": 204, "outsider": 204}),
    # People: admins change, coordinators read their program's (the mentor
    # is in it, so their own change is 403); outsiders and others are 404.
    ("accounts:people", "get", None,
     {"anonymous": LOGIN, "admin": 200, "coordinator": 200, "mentor": 403, "mentee": 403, "outsider": 200}),
    ("accounts:person_deactivate", "post", "person",
     {"anonymous": LOGIN, "admin": 302, "coordinator": 403, "mentor": 403, "mentee": 404, "outsider": 404}),
    ("accounts:person_reactivate", "post", "person",
     {"anonymous": LOGIN, "admin": 302, "coordinator": 403, "mentor": 403, "mentee": 404, "outsider": 404}),
    ("accounts:person_change_role", "post", "person",
     {"anonymous": LOGIN, "admin": 302, "coordinator": 403, "mentor": 403, "mentee": 404, "outsider": 404}),
    ("accounts:person_move", "post", "person",
     {"anonymous": LOGIN, "admin": 302, "coordinator": 403, "mentor": 403, "mentee": 404, "outsider": 404}),
    ("api-schema", "get", None,
     {"anonymous": 401, "admin": 200, "coordinator": 200, "mentor": 200, "mentee": 200, "outsider": 200}),
    ("api-docs", "get", None,
     {"anonymous": 401, "admin": 200, "coordinator": 200, "mentor": 200, "mentee": 200, "outsider": 200}),
    ("api:api-root", "get", None,
     {"anonymous": 401, "admin": 200, "coordinator": 200, "mentor": 200, "mentee": 200, "outsider": 200}),
    ("api:user-me", "get", None,
     {"anonymous": 401, "admin": 200, "coordinator": 200, "mentor": 200, "mentee": 200, "outsider": 200}),
    ("api:program-list", "get", None,
     {"anonymous": 401, "admin": 200, "coordinator": 200, "mentor": 200, "mentee": 200, "outsider": 200}),
    ("api:program-detail", "get", "program",
     {"anonymous": 401, "admin": 200, "coordinator": 200, "mentor": 200, "mentee": 200, "outsider": 404}),
    ("api:invitation-list", "get", None,
     {"anonymous": 401, "admin": 200, "coordinator": 200, "mentor": 403, "mentee": 403, "outsider": 200}),
    ("api:invitation-detail", "get", "invitation",
     {"anonymous": 401, "admin": 200, "coordinator": 200, "mentor": 403, "mentee": 403, "outsider": 404}),
    ("api:invitation-revoke", "post", "invitation",
     {"anonymous": 401, "admin": 200, "coordinator": 200, "mentor": 403, "mentee": 403, "outsider": 404}),
    # The people API, as the page: admins change (the mentor has no mentees
    # here, so deactivating works; reactivating an active person and the
    # empty bodies are refused), coordinators read their program's people,
    # the mentor's own login is 403 and everyone else's 404.
    ("api:person-list", "get", None,
     {"anonymous": 401, "admin": 200, "coordinator": 200, "mentor": 403, "mentee": 403, "outsider": 200}),
    ("api:person-detail", "get", "person",
     {"anonymous": 401, "admin": 200, "coordinator": 200, "mentor": 403, "mentee": 404, "outsider": 404}),
    ("api:person-deactivate", "post", "person",
     {"anonymous": 401, "admin": 200, "coordinator": 403, "mentor": 403, "mentee": 404, "outsider": 404}),
    ("api:person-reactivate", "post", "person",
     {"anonymous": 401, "admin": 400, "coordinator": 403, "mentor": 403, "mentee": 404, "outsider": 404}),
    ("api:person-change-role", "post", "person",
     {"anonymous": 401, "admin": 400, "coordinator": 403, "mentor": 403, "mentee": 404, "outsider": 404}),
    ("api:person-move", "post", "person",
     {"anonymous": 401, "admin": 400, "coordinator": 403, "mentor": 403, "mentee": 404, "outsider": 404}),
]  # fmt: skip


@pytest.fixture
def clients(client_for, admin_user, coordinator, mentor, mentee, outsider, client):
    return {
        "anonymous": client,
        "admin": client_for(admin_user),
        "coordinator": client_for(coordinator),
        "mentor": client_for(mentor),
        "mentee": client_for(mentee),
        "outsider": client_for(outsider),
    }


@pytest.fixture
def url_args(program, coordinator, mentor):
    issued = services.invitation_create(
        invited_by=coordinator,
        email="invitee@example.org",
        role=Role.MENTOR,
        program=program,
        site_url="http://testserver",
    )
    api_token = services.api_token_create(user=coordinator, name="script")
    return {
        "program": [program.pk],
        "invitation": [issued.invitation.pk],
        "token": [issued.token],
        "api_token": [api_token.label.pk],
        "person": [mentor.pk],
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"), PAGES, ids=[row[0] for row in PAGES]
)
def test_each_role_reaches_only_what_it_may(clients, url_args, role, name, method, arg, expected):
    url = reverse(name, args=url_args[arg] if arg else None)
    response = getattr(clients[role], method)(url)
    assert_reaches(response, expected[role], f"{role} {method} {url}")


def test_django_admin_is_for_admins_only(clients):
    assert clients["admin"].get("/admin/").status_code == 200
    for role in ["coordinator", "mentor", "mentee"]:
        assert clients[role].get("/admin/", follow=True).status_code == 403


def test_django_admin_login_cannot_skip_the_second_factor(client, admin_user):
    from tests.accounts.factories import TEST_PASSWORD

    response = client.post(
        "/admin/login/", {"username": admin_user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert client.get("/admin/").status_code == 302  # still signed out


def test_api_lists_only_what_the_caller_may_see(clients, program, other_program, url_args):
    def ids(role, name):
        return {row["id"] for row in clients[role].get(reverse(name)).json()["results"]}

    assert ids("admin", "api:program-list") == {program.pk, other_program.pk}
    assert ids("coordinator", "api:program-list") == {program.pk}
    assert ids("mentee", "api:program-list") == {program.pk}
    assert ids("outsider", "api:program-list") == {other_program.pk}
    assert ids("coordinator", "api:invitation-list") == set(url_args["invitation"])
    assert ids("outsider", "api:invitation-list") == set()
    assert ids("admin", "api:person-list") >= {
        url_args["person"][0],
        other_program.members.get().pk,
    }
    assert ids("coordinator", "api:person-list") == set(
        program.members.values_list("pk", flat=True)
    )
    assert ids("outsider", "api:person-list") == set(
        other_program.members.values_list("pk", flat=True)
    )


def test_token_authentication_answers_401_without_a_token(client):
    response = client.get(reverse("api:user-me"), HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401
