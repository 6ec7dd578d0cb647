"""API authentication: personal tokens (knox, "Bearer"), operators' tokens
(DRF, "Token") and the session. Whichever authenticates, a staff user
without a second factor is refused: a token must not get past what the
session could not (RequireMfaMiddleware sees only session users, and token
authentication happens in the view, after every middleware)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from .. import selectors
from ..models import ApiTokenLabel

SECOND_FACTOR_REQUIRED = gettext_lazy("Set up two-factor authentication before using the API.")
# Writing the last use on every call would cost a write per request; a
# minute's resolution is enough to tell a live token from a forgotten one.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def _refuse_without_second_factor(result):
    if result is not None and selectors.lacks_required_second_factor(result[0]):
        raise PermissionDenied(SECOND_FACTOR_REQUIRED)
    return result


class PersonalTokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request):
        result = _refuse_without_second_factor(super().authenticate(request))
        if result is not None:
            _note_use(result[1])
        return result


def _note_use(token) -> None:
    # One conditional UPDATE: it changes a row at most once a minute.
    now = timezone.now()
    ApiTokenLabel.objects.filter(token=token).exclude(
        last_used_at__gt=now - LAST_USE_RESOLUTION
    ).update(last_used_at=now)


class OperatorTokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        return _refuse_without_second_factor(super().authenticate(request))

    def authenticate_credentials(self, key):
        # DRF's lookup, which also tells whether the user has TOTP: the
        # second-factor check costs no query of its own.
        model = self.get_model()
        try:
            token = (
                model.objects.select_related("user")
                .annotate(user_has_totp=selectors.totp_enrolled("user"))
                .get(key=key)
            )
        except model.DoesNotExist as exc:
            raise AuthenticationFailed("Invalid token.") from exc
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        selectors.remember_has_totp(token.user, token.user_has_totp)
        return (token.user, token)


class SecondFactorSessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        return _refuse_without_second_factor(super().authenticate(request))


# The OpenAPI schema describes the two classes above as what they extend.
class PersonalTokenScheme(KnoxTokenScheme):
    target_class = PersonalTokenAuthentication
    name = "personalToken"


class SecondFactorSessionScheme(SessionScheme):
    target_class = SecondFactorSessionAuthentication
