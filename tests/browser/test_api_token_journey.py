"""A coordinator signs in with two factors, creates a personal API token on
the API access page, sees it once, uses it, and revokes it."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory, enrol_totp
from tests.browser.conftest import DESKTOP, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_creates_uses_and_revokes_a_token(
    live_server, browser, screenshot, assert_accessible
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(
        coordinator=True, program=program, email="dana@example.org", full_name="Dana Whitfield"
    )
    secret = enrol_totp(coordinator)

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, live_server.url, coordinator.email, TEST_PASSWORD, totp_secret=secret)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="API access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API access")
    assert_accessible(page)

    # The code entered at sign-in is minutes old: no second prompt yet.
    page.get_by_role("link", name="Create a token").click()
    page.get_by_label("Name").fill("nightly export")
    assert_accessible(page)
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new API token")
    token = page.get_by_label("Token").input_value()
    assert re.fullmatch(r"pp_[0-9a-f]{64}", token)
    assert_accessible(page)
    screenshot(page, "api-token-created")
    page.set_viewport_size(PHONE)
    screenshot(page, "api-token-created-phone")
    page.set_viewport_size(DESKTOP)

    api = Client()
    me = api.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["email"] == coordinator.email

    page.get_by_role("link", name="Done").click()
    expect(page.get_by_role("cell", name="nightly export", exact=True)).to_be_visible()
    assert token not in page.content()
    screenshot(page, "api-tokens")
    page.get_by_role("button", name="Revoke token nightly export").click()
    expect(page.get_by_text("Token “nightly export” revoked.")).to_be_visible()
    assert api.get("/api/v1/users/me/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    context.close()


def test_the_api_access_page_on_a_phone(live_server, browser, screenshot, assert_accessible):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    mentor = UserFactory(program=program, email="marcus@example.org", full_name="Marcus Reyes")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server.url, mentor.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/api-tokens/")
    expect(page.get_by_text("Creating a token needs two-factor authentication.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "api-tokens-phone")
    context.close()
