"""The operations page and its retry button: admins only, every other role
refused (403, as the audit trail's pages), anonymous sent to sign in. The
health and metrics endpoints are not URLs of the site's: tests/operations/
test_health.py and test_metrics.py."""

from datetime import date

import pytest
from django.urls import reverse

from mentorship.models import MenteeProfile
from operations.models import RetentionSetting
from tests.mentorship.factories import MenteeProfileFactory
from tests.operations.helpers import email
from tests.scoping import CASE_ROLES, LOGIN, assert_reaches, row

pytestmark = pytest.mark.django_db


PAGES = [
    #    name                               method  arg      anon   admin coord mentor other  mentee other  outsider
    row("operations:page",                 "get",  None,    LOGIN, 200,  403,  403,   403,   403,   403,   403),
    row("operations:notification_retry",   "post", "email", LOGIN, 302,  403,  403,   403,   403,   403,   403),
    row("operations:retention",            "get",  None,    LOGIN, 200,  403,  403,   403,   403,   403,   403),
    row("operations:retention_setting",    "get",  "program", LOGIN, 200, 403, 403,   403,   403,   403,   403),
    row("operations:retention_setting",    "post", "program", LOGIN, 200, 403, 403,   403,   403,   403,   403),
    # Without the typed record number the admin's purge is refused (302 back).
    row("operations:retention_purge",      "post", "mentee", LOGIN, 302,  403,  403,   403,   403,   403,   403),
]  # fmt: skip


@pytest.mark.parametrize("role", CASE_ROLES)
@pytest.mark.parametrize(("name", "method", "arg", "expected"), PAGES, ids=[r[0] for r in PAGES])
def test_each_role_reaches_only_what_it_may(
    case_clients, mentor, role, name, method, arg, expected
):
    failed = email(mentor, state="failed", reason="SMTP 550: recipient refused")
    closed = MenteeProfileFactory(
        program=mentor.program, status="graduated", status_changed_on=date(2010, 1, 4)
    )
    args = {"email": failed.pk, "program": mentor.program_id, "mentee": closed.pk}
    url = reverse(name, args=[args[arg]] if arg else None)
    response = getattr(case_clients[role], method)(url)
    assert_reaches(response, expected[role], f"{role} {method} {url}")
    failed.refresh_from_db()
    retried = role == "admin" and name == "operations:notification_retry"
    assert failed.state == ("pending" if retried else "failed")
    assert MenteeProfile.objects.filter(pk=closed.pk).exists()
    assert not RetentionSetting.objects.exists()


def test_a_purge_or_setting_of_what_does_not_exist_is_404(admin_client, program):
    assert (
        admin_client.post(
            reverse("operations:retention_purge", args=[99999]),
            {"confirmation": "99999"},
            follow=True,
        ).status_code
        == 200
    )  # already gone: as purged
    assert (
        admin_client.get(reverse("operations:retention_setting", args=[99999])).status_code == 404
    )
    assert admin_client.get(reverse("operations:retention_purge", args=[1])).status_code == 405


def test_a_retry_of_an_email_that_does_not_exist_or_is_in_app_only_is_404(admin_client, mentor):
    in_app = email(mentor, state="failed")
    in_app.channel = "in_app"
    in_app.save()
    retry = "operations:notification_retry"
    assert admin_client.post(reverse(retry, args=[in_app.pk])).status_code == 404
    assert admin_client.post(reverse(retry, args=[in_app.pk + 1000])).status_code == 404
    assert admin_client.get(reverse(retry, args=[in_app.pk])).status_code == 405
