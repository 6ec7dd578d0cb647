"""What the scoping tables of every app share: the roles, a row builder and
the check of one response."""

from django.urls import reverse

# The people of one program around `mentee_profile` (see tests/conftest.py).
CASE_ROLES = [
    "anonymous",
    "admin",
    "coordinator",
    "mentor",
    "other_mentor",
    "mentee",
    "other_mentee",
    "outsider",
]
LOGIN = "login"  # a redirect to the sign-in page


def row(name, method, arg, *expected, roles=CASE_ROLES):
    return (name, method, arg, dict(zip(roles, expected, strict=True)))


def assert_reaches(response, expected, label: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, label
        assert response.url.startswith(reverse("account_login")), label
    else:
        assert response.status_code == expected, label
