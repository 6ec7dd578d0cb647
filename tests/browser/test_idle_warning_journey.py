"""The idle warning in a real browser, with a short idle limit: it shows
before the sign-out, "Stay signed in" keeps the session past the limit it
would have had, and without it the tab goes to the session-expired page.
Screenshots of the warning at 1280 and 375 px go to tests/artifacts/."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import DESKTOP, PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The server counts whole seconds: a check this far from a limit is on the
# side of it the test means.
MARGIN = 1.5


def warning(page):
    return page.get_by_role("alertdialog", name="Are you still there?")


def test_stay_signed_in_keeps_the_session_past_its_limit(
    live_server, browser, settings, mentor, screenshot, assert_accessible
):
    settings.PEERPATH_IDLE_TIMEOUT_SECONDS = 20
    settings.PEERPATH_IDLE_WARNING_SECONDS = 16
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server.url, mentor.email, TEST_PASSWORD)
    signed_in_by = time.time()  # the idle clock started before this

    dialog = warning(page)
    expect(dialog).to_be_visible(timeout=10_000)  # about 4 seconds after sign-in
    expect(dialog).to_contain_text("You will be signed out in less than a minute.")
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    assert_accessible(page)
    screenshot(page, "idle-warning-1280")

    # Pressed well after sign-in, so that one moment is past the first limit
    # and inside the new one.
    page.wait_for_timeout(max(0, signed_in_by + 4.5 - time.time()) * 1000)
    pressed_at = time.time()
    with page.expect_response(lambda r: r.url.endswith("/session/keepalive/")) as answer:
        stay.click()
    assert answer.value.status == 204
    expect(dialog).to_be_hidden()

    check_at = signed_in_by + 20 + MARGIN
    assert check_at < pressed_at + 20 - MARGIN
    page.wait_for_timeout(max(0, check_at - time.time()) * 1000)
    assert "/session-expired/" not in page.url
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_without_an_answer_the_tab_goes_to_the_session_expired_page(
    live_server, browser, settings, mentor, screenshot, assert_accessible
):
    settings.PEERPATH_IDLE_TIMEOUT_SECONDS = 6
    settings.PEERPATH_IDLE_WARNING_SECONDS = 4
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server.url, mentor.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/notifications/")

    dialog = warning(page)
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page)
    screenshot(page, "idle-warning-375")

    page.wait_for_url(re.compile(r"/session-expired/\?next=/notifications/$"), timeout=15_000)
    expect(page.get_by_role("heading", name="You were signed out")).to_be_visible()
    screenshot(page, "idle-signed-out-375")
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
