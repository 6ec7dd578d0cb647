from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from core.client_ip import client_ip


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
