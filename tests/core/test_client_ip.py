"""The client's address: X-Forwarded-For is read only through trusted proxies."""

import runpy

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.test import RequestFactory

import config.settings.base as base_settings
from accounts.adapters import InvitationOnlyAccountAdapter
from core.client_ip import client_ip

PROXY = "10.0.0.2"


def request_from(forwarded_for=None, remote_addr=PROXY):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.mark.parametrize(
    "count, forwarded_for, expected",
    [
        # No trusted proxy: the header is whatever the client wrote, so ignored.
        (0, "198.51.100.1", PROXY),
        (0, "198.51.100.1, 203.0.113.7", PROXY),
        # One proxy: it appended the address it saw, the right-most entry.
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (1, "203.0.113.7", "203.0.113.7"),
        # Two proxies: the second from the right; the left-most entry when
        # there are exactly two, REMOTE_ADDR when there are fewer.
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, "203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, "10.0.0.1", PROXY),
        (1, None, PROXY),
        (2, None, PROXY),
    ],
)
def test_the_address_is_read_through_trusted_proxies(settings, count, forwarded_for, expected):
    settings.PEERPATH_TRUSTED_PROXY_COUNT = count
    assert client_ip(request_from(forwarded_for)) == expected


@pytest.mark.parametrize(
    "forwarded_for",
    ["", " ", ",", "not-an-ip", "198.51.100.1, garbage", "203.0.113.7, ", "203.0.113.7:4711",
     "999.1.1.1", "198.51.100.1,,"],
)  # fmt: skip
def test_a_malformed_header_falls_back_to_remote_addr(settings, forwarded_for):
    settings.PEERPATH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from(forwarded_for)) == PROXY


def test_spaces_are_trimmed_and_ipv6_is_written_one_way(settings):
    settings.PEERPATH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("198.51.100.1,  2001:DB8:0::1 ")) == "2001:db8::1"


@pytest.mark.parametrize("remote_addr", ["", "unix-socket"])
def test_without_a_usable_remote_addr_the_address_is_empty(settings, remote_addr):
    settings.PEERPATH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from(remote_addr=remote_addr)) == ""


def test_the_account_adapter_uses_it(settings):
    settings.PEERPATH_TRUSTED_PROXY_COUNT = 1
    adapter = InvitationOnlyAccountAdapter()
    assert adapter.get_client_ip(request_from("198.51.100.1, 203.0.113.7")) == "203.0.113.7"
    with pytest.raises(PermissionDenied):
        adapter.get_client_ip(request_from(remote_addr=""))


@pytest.mark.parametrize("value, expected", [("0", 0), ("2", 2), (None, 0)])
def test_the_proxy_count_comes_from_the_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("PEERPATH_TRUSTED_PROXY_COUNT", raising=False)
    else:
        monkeypatch.setenv("PEERPATH_TRUSTED_PROXY_COUNT", value)
    built = runpy.run_path(base_settings.__file__)
    assert built["PEERPATH_TRUSTED_PROXY_COUNT"] == expected


def test_a_negative_proxy_count_fails_at_start_up(monkeypatch):
    monkeypatch.setenv("PEERPATH_TRUSTED_PROXY_COUNT", "-1")
    with pytest.raises(ImproperlyConfigured, match="PEERPATH_TRUSTED_PROXY_COUNT"):
        runpy.run_path(base_settings.__file__)
