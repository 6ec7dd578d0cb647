"""The address a request came from, read through the proxies we run.

X-Forwarded-For is written by whoever sends the request, so only the entries
our own proxies appended can be believed: with N trusted proxies
(PEERPATH_TRUSTED_PROXY_COUNT) the client is the Nth entry from the right.
Rate limits per address use this, and so should anything that records where a
request came from.
"""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    """The client's address, written one way; "" when it cannot be told."""
    remote_addr = _address(request.META.get("REMOTE_ADDR", ""))
    count: int = settings.PEERPATH_TRUSTED_PROXY_COUNT
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR")
    if count == 0 or forwarded_for is None:
        return remote_addr
    entries = forwarded_for.split(",")
    if len(entries) < count:
        # The request did not come through every proxy we run (a health check,
        # say): the last hop is all we know.
        return remote_addr
    forwarded = _address(entries[-count])
    if not forwarded:
        # The entry our outermost proxy wrote is not an address: a misconfigured
        # proxy. The header's text is the sender's to choose, so it is not logged.
        logger.warning("X-Forwarded-For has no address at position %d from the right", count)
        return remote_addr
    return forwarded


def _address(text: str) -> str:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return ""
    # An IPv4 client seen through an IPv6 socket counts as that IPv4 address.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)
