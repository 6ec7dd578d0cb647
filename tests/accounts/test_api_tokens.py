"""API tokens: the second factor a session would need, personal named tokens
created after re-entering it, stored as digests, expiring, revocable."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiTokenLabel
from tests.accounts.factories import UserFactory, enrol_totp
from tests.api_errors import api_errors

pytestmark = pytest.mark.django_db

MFA_MESSAGE = "Set up two-factor authentication before using the API."


def drf_token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def bearer_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def knox_token_for(user, name="laptop script") -> str:
    """A token as the site makes one, for a user who has a second factor."""
    return services.api_token_create(user=user, name=name).token


# --- The second factor, whatever the authentication -------------------------


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_staff_without_totp_get_403_with_an_operator_token(program, role):
    user = UserFactory(role=role, program=None if role == "admin" else program)
    response = drf_token_client(user).get(reverse("api:user-me"))
    assert response.status_code == 403
    assert api_errors(response) == {"detail": [MFA_MESSAGE]}


def test_coordinator_without_totp_gets_403_with_a_personal_token(program):
    coordinator = UserFactory(coordinator=True, program=program)
    enrol_totp(coordinator)
    raw = knox_token_for(coordinator)
    # The authenticator is removed after the token was made: the token stops too.
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=coordinator).delete()
    response = bearer_client(raw).get(reverse("api:user-me"))
    assert response.status_code == 403
    assert api_errors(response) == {"detail": [MFA_MESSAGE]}


def test_coordinator_with_totp_gets_200_with_either_token(coordinator):
    assert drf_token_client(coordinator).get(reverse("api:user-me")).status_code == 200
    raw = knox_token_for(coordinator)
    assert bearer_client(raw).get(reverse("api:user-me")).status_code == 200


def test_mentor_needs_no_second_factor_for_the_api(mentor):
    assert drf_token_client(mentor).get(reverse("api:user-me")).status_code == 200


def test_the_403_holds_on_every_resource_even_with_its_own_permissions(program):
    coordinator = UserFactory(coordinator=True, program=program)
    client = drf_token_client(coordinator)
    for name in ["api:program-list", "api:invitation-list", "api:report-certifications"]:
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert api_errors(response) == {"detail": [MFA_MESSAGE]}


def test_a_wrong_bearer_token_is_401(client):
    response = client.get(reverse("api:user-me"), HTTP_AUTHORIZATION="Bearer pp_0123456789abcdef")
    assert response.status_code == 401


# --- Personal tokens: digests, expiry, last use -------------------------------


def test_a_token_is_stored_as_a_digest_with_a_name_and_a_90_day_expiry(coordinator):
    issued = services.api_token_create(user=coordinator, name="  nightly export  ")
    stored = AuthToken.objects.get(user=coordinator)
    assert issued.token not in {stored.digest, stored.token_key}
    assert issued.token.startswith(stored.token_key)
    assert issued.label.name == "nightly export"
    assert abs(stored.expiry - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)


def test_the_expiry_follows_the_setting(settings, coordinator):
    settings.PEERPATH_API_TOKEN_DAYS = 7
    services.api_token_create(user=coordinator, name="short")
    stored = AuthToken.objects.get(user=coordinator)
    assert abs(stored.expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("age", "status"),
    [
        (timedelta(days=90) - timedelta(seconds=1), 200),
        (timedelta(days=90), 200),
        (timedelta(days=90, seconds=1), 401),
    ],
)
def test_a_token_works_until_its_expiry_and_not_after(coordinator, age, status):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        raw = knox_token_for(coordinator)
        traveller.shift(age)
        assert bearer_client(raw).get(reverse("api:user-me")).status_code == status


def test_a_token_needs_a_name(coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.api_token_create(user=coordinator, name="   ")


def test_only_users_with_a_second_factor_create_tokens(mentor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.api_token_create(user=mentor, name="script")
    assert not AuthToken.objects.exists()


def test_last_use_is_written_at_most_once_a_minute(coordinator):
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        raw = knox_token_for(coordinator)
        client = bearer_client(raw)
        client.get(reverse("api:user-me"))
        label = ApiTokenLabel.objects.get()
        assert label.last_used_at == start
        traveller.shift(timedelta(seconds=59))
        client.get(reverse("api:user-me"))
        label.refresh_from_db()
        assert label.last_used_at == start
        traveller.shift(timedelta(seconds=1))
        client.get(reverse("api:user-me"))
        label.refresh_from_db()
        assert label.last_used_at == start + timedelta(seconds=60)


def test_operator_tokens_and_personal_tokens_use_different_headers(coordinator):
    raw = knox_token_for(coordinator)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")  # a knox token under DRF's keyword
    assert client.get(reverse("api:user-me")).status_code == 401
    key = Token.objects.create(user=coordinator).key
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")  # a DRF token under knox's
    assert client.get(reverse("api:user-me")).status_code == 401


# --- The API access page -------------------------------------------------------


def mfa_reauthenticate(client, secret):
    from tests.accounts.test_authentication import current_code

    response = client.post(reverse("mfa_reauthenticate"), {"code": current_code(secret)})
    assert response.status_code == 302


def test_creating_a_token_asks_for_the_second_factor_again(client, program):
    coordinator = UserFactory(coordinator=True, program=program)
    secret = enrol_totp(coordinator)
    client.force_login(coordinator)
    url = reverse("accounts:api_token_create")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_reauthenticate"))
    response = client.post(url, {"name": "sneaky"})
    assert response.status_code == 302 and not AuthToken.objects.exists()

    mfa_reauthenticate(client, secret)
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "nightly export"})
    assert response.status_code == 200
    raw = response.context["issued"].token
    assert raw.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    assert bearer_client(raw).get(reverse("api:user-me")).status_code == 200
    # Shown once: the list never shows it again.
    listing = client.get(reverse("accounts:api_tokens"))
    assert b"nightly export" in listing.content and raw.encode() not in listing.content


@pytest.mark.parametrize(("seconds", "asked_again"), [(299, False), (300, True), (301, True)])
def test_the_second_factor_counts_for_five_minutes_only(client, program, seconds, asked_again):
    coordinator = UserFactory(coordinator=True, program=program)
    secret = enrol_totp(coordinator)
    client.force_login(coordinator)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        mfa_reauthenticate(client, secret)
        traveller.shift(timedelta(seconds=seconds))
        response = client.get(reverse("accounts:api_token_create"))
    if asked_again:
        assert response.status_code == 302
        assert response.url.startswith(reverse("mfa_reauthenticate"))
    else:
        assert response.status_code == 200


def test_users_without_a_second_factor_are_told_to_set_one_up(mentor_client):
    page = mentor_client.get(reverse("accounts:api_tokens"))
    assert b"two-factor" in page.content
    response = mentor_client.get(reverse("accounts:api_token_create"))
    assert response.status_code == 302 and response.url == reverse("accounts:api_tokens")


def test_the_list_shows_own_tokens_and_admins_see_all(
    coordinator_client, admin_client, coordinator, outsider
):
    knox_token_for(coordinator, name="coordinator script")
    knox_token_for(outsider, name="outsider script")
    own = coordinator_client.get(reverse("accounts:api_tokens")).content
    assert b"coordinator script" in own and b"outsider script" not in own
    every = admin_client.get(reverse("accounts:api_tokens")).content
    assert b"coordinator script" in every and b"outsider script" in every


def test_owner_and_admins_revoke_others_cannot(
    coordinator_client, admin_client, outsider_client, coordinator
):
    raw = knox_token_for(coordinator)
    label = ApiTokenLabel.objects.get()
    url = reverse("accounts:api_token_revoke", args=[label.pk])
    assert outsider_client.post(url).status_code == 404
    assert bearer_client(raw).get(reverse("api:user-me")).status_code == 200
    assert coordinator_client.post(url).status_code == 302
    assert bearer_client(raw).get(reverse("api:user-me")).status_code == 401
    assert not AuthToken.objects.exists()

    knox_token_for(coordinator, name="second")
    label = ApiTokenLabel.objects.get()
    assert (
        admin_client.post(reverse("accounts:api_token_revoke", args=[label.pk])).status_code == 302
    )
    assert not AuthToken.objects.exists()
