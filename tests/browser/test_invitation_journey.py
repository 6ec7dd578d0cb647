"""A coordinator signs in with two factors and invites a mentor; the mentor
opens the link, sets a password and lands on their dashboard."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory, enrol_totp
from tests.browser.conftest import DESKTOP, PHONE, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENTOR_PASSWORD = "a long mentor passphrase 7"


def test_coordinator_invites_a_mentor_who_signs_up_from_the_link(
    live_server, browser, screenshot, assert_accessible
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(
        coordinator=True, program=program, email="dana@example.org", full_name="Dana Whitfield"
    )
    secret = enrol_totp(coordinator)

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)
    screenshot(page, "login")
    page.get_by_label("Email").fill(coordinator.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sacramento Peer Recovery")
    assert_accessible(page)
    screenshot(page, "coordinator-dashboard")

    page.get_by_label("Email").fill("marcus@example.org")
    page.get_by_label("Name (optional)").fill("Marcus Reyes")
    page.get_by_label("Role").select_option("mentor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to marcus@example.org")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "invitations")
    context.close()

    link = re.search(r"/invitations/accept/[^/\s]+/", mail.outbox[-1].body).group(0)

    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Peerpath")
    assert_accessible(page)
    screenshot(page, "invitation-accept-375")
    expect(page.get_by_label("Your name")).to_have_value("Marcus Reyes")
    page.locator("#id_password1").fill(MENTOR_PASSWORD)
    page.locator("#id_password2").fill(MENTOR_PASSWORD)
    page.get_by_role("button", name="Create my login").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Marcus")
    expect(page.get_by_text("Sacramento Peer Recovery").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "mentor-dashboard-375")

    # The used link now explains itself.
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are already signed in")
    phone.close()
