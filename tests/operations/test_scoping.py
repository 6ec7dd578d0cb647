"""The operations page and its retry button: admins only, every other role
refused (403, as the audit trail's pages), anonymous sent to sign in. The
health and metrics endpoints are not URLs of the site's: tests/operations/
test_health.py and test_metrics.py."""

import pytest
from django.urls import reverse

from tests.operations.helpers import email
from tests.scoping import CASE_ROLES, LOGIN, assert_reaches, row

pytestmark = pytest.mark.django_db


PAGES = [
    #    name                               method  arg      anon   admin coord mentor other  mentee other  outsider
    row("operations:page",                 "get",  None,    LOGIN, 200,  403,  403,   403,   403,   403,   403),
    row("operations:notification_retry",   "post", "email", LOGIN, 302,  403,  403,   403,   403,   403,   403),
]  # fmt: skip


@pytest.mark.parametrize("role", CASE_ROLES)
@pytest.mark.parametrize(("name", "method", "arg", "expected"), PAGES, ids=[r[0] for r in PAGES])
def test_each_role_reaches_only_what_it_may(
    case_clients, mentor, role, name, method, arg, expected
):
    failed = email(mentor, state="failed", reason="SMTP 550: recipient refused")
    url = reverse(name, args=[failed.pk] if arg else None)
    response = getattr(case_clients[role], method)(url)
    assert_reaches(response, expected[role], f"{role} {method} {url}")
    failed.refresh_from_db()
    assert failed.state == ("pending" if (role == "admin" and method == "post") else "failed")


def test_a_retry_of_an_email_that_does_not_exist_or_is_in_app_only_is_404(admin_client, mentor):
    in_app = email(mentor, state="failed")
    in_app.channel = "in_app"
    in_app.save()
    retry = "operations:notification_retry"
    assert admin_client.post(reverse(retry, args=[in_app.pk])).status_code == 404
    assert admin_client.post(reverse(retry, args=[in_app.pk + 1000])).status_code == 404
    assert admin_client.get(reverse(retry, args=[in_app.pk])).status_code == 405
