"""An admin opens a mentee's record with break-glass access; the program's
coordinator is told, opens the mentee's access history and reads who opened
it and why. Screenshots at 1280 and 375 px; axe-core on every page."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory, enrol_totp
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Records request from the county court, case 26-114"


def test_admin_breaks_the_glass_and_the_coordinator_sees_it(
    live_server, browser, screenshot, assert_accessible
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(
        coordinator=True, program=program, email="dana@example.org", full_name="Dana Whitfield"
    )
    admin = UserFactory(admin=True, email="ada@example.org", full_name="Ada Admin")
    coordinator_secret, admin_secret = enrol_totp(coordinator), enrol_totp(admin)
    mentor = make_mentor(program, email="marcus@example.org", full_name="Marcus Reyes")
    mentee = MenteeProfileFactory(
        program=program, preferred_name="Jordan", created_by=coordinator, status="active"
    )
    assign(mentee, mentor, by=coordinator)

    # Without a grant the record is not there for the admin.
    desk = browser.new_context(viewport=DESKTOP)
    page = desk.new_page()
    sign_in(page, live_server.url, admin.email, TEST_PASSWORD, totp_secret=admin_secret)
    assert page.goto(f"{live_server.url}/mentees/{mentee.pk}/").status == 404

    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Emergency access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency access to a mentee record")
    assert_accessible(page)
    page.get_by_label("Mentee record number").fill(str(mentee.pk))
    page.get_by_label("Why you need to open this record").fill(REASON)
    screenshot(page, "break-glass-form")
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jordan")
    assert_accessible(page)
    screenshot(page, "break-glass-record-open")
    desk.close()

    # The coordinator is told, and reads who opened the record and why.
    desk = browser.new_context(viewport=DESKTOP)
    page = desk.new_page()
    sign_in(page, live_server.url, coordinator.email, TEST_PASSWORD, totp_secret=coordinator_secret)
    page.goto(f"{live_server.url}/notifications/")
    alert = page.get_by_role("link", name="An admin opened a mentee record in an emergency")
    expect(alert.first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "break-glass-notification")
    alert.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Access history")
    expect(page.locator("main")).to_contain_text("opened in an emergency")
    expect(page.locator("main")).to_contain_text(REASON)
    assert_accessible(page)
    screenshot(page, "break-glass-access-history")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    screenshot(page, "break-glass-access-history-phone")
    desk.close()
