from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext

from core.client_ip import client_ip

from . import languages


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join Peerpath only through an invitation."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        """The address allauth's rate limits count by, through our trusted proxies."""
        address = client_ip(request)
        if not address:
            # As allauth does: without an address there is no limit to apply.
            raise PermissionDenied(gettext("The address of this request cannot be told."))
        return address

    def send_mail(self, template_prefix, email, context) -> None:
        """allauth's emails (a password reset, an address to confirm) in the
        reader's language, as every email of ours: a mentee's own, whatever
        the browser that asked for it."""
        from .models import User

        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = languages.for_user(user) if user is not None else translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
