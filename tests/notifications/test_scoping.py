"""Notifications belong to their recipient: everyone else gets 404."""

import pytest
from django.urls import reverse

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
