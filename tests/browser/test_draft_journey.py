"""A mentor writes a safety plan on a phone, is called away before saving,
and finds it again: the draft is kept on the server (nothing of it in the
browser's storage), comes back with "We restored your unsaved draft", and is
gone once the plan is saved. The form is in sections with legends."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory
from tests.browser.conftest import PHONE, sign_in
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor
from tests.recovery_plans.factories import make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGNS = "PHI-MARKER Staying in bed, not answering the phone."
BROWSER_STORAGE = "() => JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage})"


def test_a_safety_plan_draft_survives_leaving_the_page_and_is_cleared_on_save(
    live_server, browser, screenshot, assert_accessible
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    UserFactory(coordinator=True, program=program)
    mentor = make_mentor(program, email="lena@example.org", full_name="Lena Okafor")
    mentee = MenteeProfileFactory(program=program, preferred_name="Rosa", status="active")
    assign(mentee, mentor)
    plan = make_plan(mentee, mentor, active=False)

    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server.url, mentor.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/safety/")
    expect(page.get_by_role("group", name="When a crisis may be coming")).to_be_visible()
    expect(page.get_by_role("group", name="Who can help")).to_contain_text("988 is there")
    page.get_by_label("Warning signs").fill(SIGNS)
    page.get_by_label("People I can ask for help").fill("My sister Ana.")
    expect(page.locator("#draft-status")).to_contain_text("Draft saved", timeout=10_000)
    assert "PHI-MARKER" not in page.evaluate(BROWSER_STORAGE)

    # Called away: another page, then back to the plan and its safety plan.
    page.goto(f"{live_server.url}/")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_role("link", name="Edit the safety plan").click()
    expect(page.get_by_text("We restored your unsaved draft")).to_be_visible()
    expect(page.get_by_label("Warning signs")).to_have_value(SIGNS)
    expect(page.get_by_label("People I can ask for help")).to_have_value("My sister Ana.")
    assert_accessible(page)
    screenshot(page, "safety-plan-draft-375")

    page.get_by_role("button", name="Save safety plan").click()
    expect(page.get_by_text("Safety plan saved.")).to_be_visible()
    page.get_by_role("link", name="Edit the safety plan").click()
    expect(page.get_by_label("Warning signs")).to_have_value(SIGNS)  # the saved plan
    expect(page.get_by_text("We restored your unsaved draft")).to_have_count(0)
    assert "PHI-MARKER" not in page.evaluate(BROWSER_STORAGE)
