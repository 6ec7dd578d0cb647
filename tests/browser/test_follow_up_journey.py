"""Issue #16 item 4's journey: a coordinator asks for a follow-up from a
check-in's page at 1280 px; the mentor finds it on the dashboard on a
375 px phone and answers it; the coordinator is told. Screenshots; axe-core
finds no serious or critical violation."""

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from supervision.models import FollowUpRequest
from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory, enrol_totp
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.checkins.factories import make_checkin
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_coordinator_asks_and_the_mentor_answers_on_a_phone(
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
    checkin = make_checkin(mentee, marcus)

    # Dana, at her desk, asks from the check-in's page.
    dana = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(dana, live_server.url, coordinator.email, TEST_PASSWORD, totp_secret=secret)
    dana.goto(f"{live_server.url}/checkins/{checkin.pk}/")
    dana.get_by_role("link", name="Ask for a follow-up").click()
    expect(dana.get_by_text("Marcus Reyes")).to_be_visible()
    dana.get_by_label("What to follow up").fill("Ask about the court date")
    assert_accessible(dana)
    screenshot(dana, "follow-up-ask-1280")
    dana.get_by_role("button", name="Ask the mentor").click()
    expect(dana.get_by_text("Follow-up requested. The mentor is told.")).to_be_visible()
    follow_up = FollowUpRequest.objects.get()
    assert follow_up.mentor == marcus and follow_up.is_open
    assert_accessible(dana)
    screenshot(dana, "follow-up-asked-1280")

    # Marcus, on his phone, finds it on his dashboard and answers.
    phone = browser.new_context(viewport=PHONE).new_page()
    sign_in(phone, live_server.url, marcus.email, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/")
    expect(phone.get_by_text("Open follow-up requests")).to_be_visible()
    phone.get_by_role("link", name="Ask about the court date").click()
    phone.get_by_role("button", name="Answer and resolve").click()
    expect(phone.get_by_text("Write your answer: what you did or found out.").first).to_be_visible()
    phone.get_by_label("Your answer").fill("Called Jordan: the hearing is on the 9th.")
    assert fits(phone)
    assert_accessible(phone)
    screenshot(phone, "follow-up-answer-375")
    phone.get_by_role("button", name="Answer and resolve").click()
    expect(phone.get_by_text("Answered. The person who asked is told.")).to_be_visible()
    assert fits(phone)
    assert_accessible(phone)
    screenshot(phone, "follow-up-answered-375")
    follow_up.refresh_from_db()
    assert not follow_up.is_open
    assert (
        Notification.objects.filter(kind="follow_up_answered", recipient=coordinator).count() == 1
    )

    # Dana sees it answered in the list of resolved requests.
    dana.goto(f"{live_server.url}/supervision/follow-ups/?state=resolved")
    expect(dana.get_by_role("link", name="Ask about the court date")).to_be_visible()
    assert_accessible(dana)
    screenshot(dana, "follow-up-resolved-list-1280")
