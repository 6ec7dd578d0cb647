"""A broken database rule reaches a person as a plain sentence, never as the
constraint's name."""

import pytest
from django.apps import apps
from django.urls import reverse

from tests.checkins.test_pages import form_data

APPS = {
    "accounts", "notifications", "certification", "mentorship", "recovery_plans", "checkins",
    "referrals",
}  # fmt: skip


def constraints():
    return [
        pytest.param(constraint, id=constraint.name)
        for model in apps.get_models()
        if model._meta.app_label in APPS
        for constraint in model._meta.constraints
    ]


@pytest.mark.parametrize("constraint", constraints())
def test_every_constraint_speaks_plainly(constraint):
    message = str(constraint.get_violation_error_message())
    assert constraint.name not in message
    assert "violated" not in message and message.endswith(".")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("minutes", "refused"),
    [("600", False), ("601", True), ("99999", True), ("0", True), ("1", False)],
)
def test_minutes_out_of_range_are_refused_in_words(mentor_client, mentee_profile, minutes, refused):
    response = mentor_client.post(
        reverse("checkins:log", args=[mentee_profile.pk]), form_data(duration_minutes=minutes)
    )
    page = response.content.decode() if response.status_code == 200 else ""
    assert "checkin_duration_1_to_600_minutes" not in page
    assert (response.status_code == 200) is refused
    if refused:
        assert "600" in page
