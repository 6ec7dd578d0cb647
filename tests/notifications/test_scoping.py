"""Notifications belong to their recipient: everyone else gets 404."""

import pytest
from django.urls import reverse

from tests.accounts.test_api import api_client_for
from tests.notifications.test_notifications import insert_for
from tests.scoping import LOGIN, assert_reaches

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "recipient", "coordinator", "outsider"]


def row(name, method, arg, anonymous, recipient, coordinator, outsider):
    return (
        name,
        method,
        arg,
        dict(zip(ROLES, [anonymous, recipient, coordinator, outsider], strict=True)),
    )


PAGES = [
    row("notifications:list",         "get",  None,           LOGIN, 200, 200, 200),
    row("notifications:unread_count", "get",  None,           LOGIN, 200, 200, 200),
    row("notifications:read_all",     "post", None,           LOGIN, 302, 302, 302),
    row("notifications:open",         "get",  "notification", LOGIN, 302, 404, 404),
    row("notifications:read",         "post", "notification", LOGIN, 302, 404, 404),
    row("api:notification-list",      "get",  None,           401,   200, 200, 200),
    row("api:notification-detail",    "get",  "notification", 401,   200, 404, 404),
    row("api:notification-read",      "post", "notification", 401,   200, 404, 404),
    row("api:notification-read-all",  "post", None,           401,   200, 200, 200),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "arg", "expected"), PAGES, ids=[r[0] for r in PAGES])
def test_only_the_recipient_reaches_a_notification(
    client, client_for, mentor, coordinator, outsider, program, role, name, method, arg, expected
):
    insert_for([mentor], program)
    notification = mentor.notifications.get()
    clients = {
        "anonymous": client,
        "recipient": client_for(mentor),
        "coordinator": client_for(coordinator),
        "outsider": client_for(outsider),
    }
    url = reverse(name, args=[notification.pk] if arg else None)
    response = getattr(clients[role], method)(url)
    assert_reaches(response, expected[role], f"{role} {method} {url}")


# Email preferences are always the caller's own: no id in the URL names another
# user. A kind the caller's role does not receive (or no kind at all) is 404.
PREF_ROLES = ["anonymous", "admin", "coordinator", "mentor", "mentee", "outsider"]


def pref_row(name, method, kind, *expected):
    return (name, method, kind, dict(zip(PREF_ROLES, expected, strict=True)))


PREFERENCE_PAGES = [
    pref_row("notifications:email_preferences",    "get",   None,             LOGIN, 200, 200, 200, 200, 200),
    pref_row("notifications:email_preferences",    "post",  None,             LOGIN, 302, 302, 302, 302, 302),
    pref_row("api:notification-preference-list",   "get",   None,             401,   200, 200, 200, 200, 200),
    pref_row("api:notification-preference-detail", "get",   "checkin_due",    401,   200, 200, 200, 404, 200),
    pref_row("api:notification-preference-detail", "put",   "checkin_due",    401,   200, 200, 200, 404, 200),
    pref_row("api:notification-preference-detail", "patch", "checkin_due",    401,   200, 200, 200, 404, 200),
    pref_row("api:notification-preference-detail", "get",   "plan_changed",   401,   404, 404, 404, 200, 404),
    pref_row("api:notification-preference-detail", "patch", "plan_changed",   401,   404, 404, 404, 200, 404),
    pref_row("api:notification-preference-detail", "get",   "no_such_kind",   401,   404, 404, 404, 404, 404),
    pref_row("api:notification-preference-detail", "patch", "no_such_kind",   401,   404, 404, 404, 404, 404),
]  # fmt: skip


@pytest.mark.parametrize("role", PREF_ROLES)
@pytest.mark.parametrize(
    ("name", "method", "kind", "expected"),
    PREFERENCE_PAGES,
    ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in PREFERENCE_PAGES],
)
def test_everyone_reaches_only_their_own_preferences(
    client,
    client_for,
    admin_user,
    coordinator,
    mentor,
    mentee,
    outsider,
    role,
    name,
    method,
    kind,
    expected,
):
    users = {
        "admin": admin_user, "coordinator": coordinator, "mentor": mentor, "mentee": mentee,
        "outsider": outsider,
    }  # fmt: skip
    url = reverse(name, args=[kind] if kind else None)
    if role == "anonymous":
        caller = client
    elif name.startswith("api:"):
        caller = api_client_for(users[role])
    else:
        caller = client_for(users[role])
    body = {"email": False} if method in ("put", "patch") else None
    if name.startswith("api:"):
        response = getattr(caller, method)(url, body, format="json")
    else:
        response = getattr(caller, method)(url, body or {})
    assert_reaches(response, expected[role], f"{role} {method} {url}")
