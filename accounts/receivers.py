"""Signing out, deactivation and a new password end every session and API
token of the user; every sign-in is recorded so that this can find them."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from . import services
from .middleware import SESSION_EXPIRED_ATTR, TRACKED_SESSION_KEY
from .models import User

END_EVERY_LOGIN_ATTR = "_peerpath_end_every_login"


@receiver(user_logged_in)
def remember_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    # Without a key yet (a flushed session) the middleware records it on the
    # next request.
    if session is not None and session.session_key:
        services.session_record(user=user, session_key=session.session_key)
        session[TRACKED_SESSION_KEY] = session.session_key


@receiver(user_logged_out)
def end_every_login_on_sign_out(sender, request, user, **kwargs):
    # A session the middleware ended (idle, too old) is not a sign-out: the
    # user's other sessions and tokens stay.
    if user is None or getattr(request, SESSION_EXPIRED_ATTR, False):
        return
    services.end_every_login(user=user)


@receiver(pre_save, sender=User)
def notice_new_password_or_deactivation(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding:
        return
    saves = set(update_fields) if update_fields is not None else None
    # set_password() keeps the raw password until the save; a hash upgraded
    # at sign-in does not, and is not a new password.
    new_password = instance._password is not None and (saves is None or "password" in saves)
    deactivated = (
        not instance.is_active
        and (saves is None or "is_active" in saves)
        and User.objects.filter(pk=instance.pk, is_active=True).exists()
    )
    if new_password or deactivated:
        setattr(instance, END_EVERY_LOGIN_ATTR, True)


@receiver(post_save, sender=User)
def end_every_login_after_save(sender, instance, **kwargs):
    if getattr(instance, END_EVERY_LOGIN_ATTR, False):
        delattr(instance, END_EVERY_LOGIN_ATTR)
        services.end_every_login(user=instance)
