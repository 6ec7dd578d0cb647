"""Issue #16 item 5's journey: with approvals on, a mentor asks on a phone
(375 px) to graduate a mentee; nothing changes; the coordinator approves from
the queue on a desktop (1280 px) with a comment, and the mentee is graduated.
Screenshots; axe-core finds no serious or critical violation."""

import pytest
from playwright.sync_api import expect

from mentorship.models import MenteeProfile
from supervision.models import ApprovalRequest, SupervisionSettings
from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory, enrol_totp
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_mentor_asks_to_graduate_and_the_coordinator_approves(
    live_server, browser, screenshot, assert_accessible
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(
        coordinator=True, program=program, email="dana@example.org", full_name="Dana Whitfield"
    )
    secret = enrol_totp(coordinator)
    marcus = make_mentor(program, email="marcus@example.org", full_name="Marcus Reyes")
    mentee = MenteeProfileFactory(program=program, preferred_name="Jordan", status="active")
    assign(mentee, marcus, by=coordinator)
    SupervisionSettings.objects.create(program=program, approvals_required=True)

    # Marcus asks, on his phone, to graduate Jordan.
    phone = browser.new_context(viewport=PHONE).new_page()
    sign_in(phone, live_server.url, marcus.email, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/mentees/{mentee.pk}/")
    expect(phone.get_by_role("heading", name="Ask to close the case")).to_be_visible()
    phone.get_by_label("graduated").check()
    phone.get_by_label("Note").fill("Every goal met; ready to graduate.")
    assert fits(phone)
    assert_accessible(phone)
    screenshot(phone, "approval-ask-graduation-375")
    phone.get_by_role("button", name="Ask for approval").click()
    expect(phone.get_by_text("Sent for approval (graduate a mentee)")).to_be_visible()
    expect(phone.get_by_text("waiting for approval", exact=True)).to_be_visible()
    assert MenteeProfile.objects.get(pk=mentee.pk).status == "active"
    assert fits(phone)
    assert_accessible(phone)
    screenshot(phone, "approval-waiting-375")

    # Dana approves from the queue on her desktop, with a comment.
    desk = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(desk, live_server.url, coordinator.email, TEST_PASSWORD, totp_secret=secret)
    desk.goto(f"{live_server.url}/supervision/approvals/")
    expect(desk.get_by_role("link", name="Jordan")).to_be_visible()
    desk.get_by_label("Comment").fill("Agreed: a good time to graduate.")
    assert_accessible(desk)
    screenshot(desk, "approval-queue-1280")
    desk.get_by_role("button", name="Approve").click()
    expect(desk.get_by_text("Approved: the change has taken effect.")).to_be_visible()
    expect(desk.get_by_text("Nothing is waiting for your decision.")).to_be_visible()
    assert_accessible(desk)
    screenshot(desk, "approval-approved-1280")
    assert MenteeProfile.objects.get(pk=mentee.pk).status == "graduated"
    assert ApprovalRequest.objects.get().status == "approved"
