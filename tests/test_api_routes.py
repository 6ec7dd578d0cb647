"""Every route the API router publishes answers a signed-in user without a
server error, and no format-suffix twin is published."""

import re

import pytest
from django.urls import get_resolver

from tests.accounts.test_api import api_client_for

pytestmark = pytest.mark.django_db


def api_routes() -> list[str]:
    resolver = get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        if str(pattern.pattern).startswith("api/v1/"):
            for inner in pattern.url_patterns:
                routes.append("/api/v1/" + str(inner.pattern).lstrip("^").rstrip("$"))
    return routes


def test_no_format_suffix_routes_are_published():
    assert routes_with_format() == []


def routes_with_format() -> list[str]:
    return [r for r in api_routes() if "format" in r]


def test_every_published_route_answers_without_a_server_error(mentor, mentee_profile):
    client = api_client_for(mentor)
    for route in api_routes():
        url = re.sub(r"<(?:int:|str:|path:)?[^>]+>|\(\?P<[^>]+>[^)]+\)", "1", route)
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
    assert client.get("/api/v1/users/me.json").status_code == 404
