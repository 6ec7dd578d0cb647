"""A mentor builds a plan (two goals, steps, a safety plan) and activates it;
the mentee ticks a step and acknowledges; the mentor sees both."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mentor_builds_and_activates_a_plan_the_mentee_ticks_and_acknowledges(
    live_server, browser, screenshot, assert_accessible
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    UserFactory(coordinator=True, program=program)
    mentor = make_mentor(program, email="lena@example.org", full_name="Lena Okafor")
    mentee_user = UserFactory(
        mentee=True, program=program, email="rosa@example.org", full_name="Rosa Delgado"
    )
    mentee = MenteeProfileFactory(
        program=program, preferred_name="Rosa", user=mentee_user, status="active"
    )
    assign(mentee, mentor)

    desktop = browser.new_context(viewport=DESKTOP)
    page = desktop.new_page()
    sign_in(page, live_server.url, mentor.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/plans/new/{mentee.pk}/")
    page.get_by_role("button", name="Start a draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rosa's recovery plan")

    goals = [
        ("home", "I want a place of my own.", ["Fill in the housing form", "Visit two apartments"]),
        ("health", "I want to sleep better.", ["Walk after dinner"]),
    ]
    for domain, description, steps in goals:
        page.get_by_label("Domain").select_option(domain)
        page.get_by_label("Goal, in the mentee's own words").fill(description)
        page.get_by_role("button", name="Add goal").click()
        goal = page.locator("article.goal", has_text=description)
        expect(goal).to_be_visible()
        for step in steps:
            goal.get_by_label("Next step for this goal").fill(step)
            goal.get_by_role("button", name="Add step").click()
            expect(page.locator("article.goal", has_text=description)).to_contain_text(step)
    assert_accessible(page)

    page.get_by_role("link", name="Edit the safety plan").click()
    page.get_by_label("Warning signs").fill("Staying in bed, not answering the phone.")
    page.get_by_label("People I can ask for help").fill("My sister Ana; Lena.")
    page.get_by_role("button", name="Save safety plan").click()
    expect(page.get_by_text("Safety plan saved.")).to_be_visible()
    page.get_by_role("button", name="Activate this version").click()
    expect(page.get_by_text("Version 1 is now the active plan.")).to_be_visible()
    screenshot(page, "plan-mentor")
    desktop.close()

    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    sign_in(page, live_server.url, mentee_user.email, TEST_PASSWORD)
    page.get_by_role("link", name="Open my plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My recovery plan")
    expect(page.get_by_text("Staying in bed, not answering the phone.")).to_be_visible()
    step = page.locator("li.step", has_text="Fill in the housing form")
    step.get_by_role("button", name=re.compile("Mark done")).click()
    expect(page.locator("li.step", has_text="Fill in the housing form")).to_have_class(
        re.compile("step--done")
    )
    page.get_by_role("button", name="I have read my plan and agree").click()
    expect(page.get_by_text("You said you read and agree with this plan")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "plan-mentee-375")
    phone.close()

    desktop = browser.new_context(viewport=DESKTOP)
    page = desktop.new_page()
    sign_in(page, live_server.url, mentor.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/plans/")
    page.get_by_role("link", name="Rosa").click()
    expect(page.get_by_text("acknowledged", exact=True)).to_be_visible()
    expect(page.locator("li.step", has_text="Fill in the housing form")).to_contain_text("done")
    expect(page.locator("li.step", has_text="Fill in the housing form")).to_contain_text("by Rosa")
    assert_accessible(page)
    screenshot(page, "plan-mentor-sees-tick")
    desktop.close()
