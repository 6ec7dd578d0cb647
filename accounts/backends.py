"""The session's user, read with what nearly every page asks of it next.

Django's backends read the signed-in user by primary key alone; every page
then reads the user's program (the time zone, the dashboards' headings) and,
for staff, whether a second factor is enrolled (RequireMfaMiddleware): two
more queries on every request. These backends read all three in one. They
authenticate exactly as the ones they extend; only `get_user` differs.
(Sessions name their backend: switching from Django's and allauth's own paths
to these signs everybody out once.)"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .models import User
from .selectors import remember_has_totp, totp_enrolled


def _get_user(backend, user_id):
    user = (
        User._default_manager.select_related("program")
        .annotate(session_has_totp=totp_enrolled("pk"))
        .filter(pk=user_id)
        .first()
    )
    if user is None or not backend.user_can_authenticate(user):
        return None
    remember_has_totp(user, user.session_has_totp)
    return user


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        return _get_user(self, user_id)


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        return _get_user(self, user_id)
