"""A mentor turns off the email for check-in reminders from My account; the
crisis alert stays on and cannot be unchecked."""

import pytest
from playwright.sync_api import expect

from notifications.models import NotificationPreference
from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory, enrol_totp
from tests.browser.conftest import DESKTOP, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mentor_chooses_email_notifications(live_server, browser, assert_accessible):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    mentor = UserFactory(program=program, email="marcus@example.org", full_name="Marcus Reyes")
    secret = enrol_totp(mentor)

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, live_server.url, mentor.email, TEST_PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/me/")
    page.get_by_role("link", name="Choose email notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email notifications")
    assert_accessible(page)

    crisis = page.get_by_label("A crisis was flagged in your program")
    expect(crisis).to_be_checked()
    expect(crisis).to_be_disabled()
    page.get_by_label("A check-in is due tomorrow").uncheck()
    page.get_by_role("button", name="Save email notifications").click()
    expect(page.get_by_text("Your email notifications are saved.")).to_be_visible()
    expect(page.get_by_label("A check-in is due tomorrow")).not_to_be_checked()
    expect(page.get_by_label("A crisis was flagged in your program")).to_be_checked()
    assert NotificationPreference.objects.get(user=mentor, kind="checkin_due").email is False
    assert not NotificationPreference.objects.filter(user=mentor, kind="crisis_flag", email=False)
    context.close()
