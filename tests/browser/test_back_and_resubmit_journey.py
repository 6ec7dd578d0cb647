"""Back after saving, then Save again: one check-in, one intake, one plan
template. The browser puts back what was typed but asks the server for the
page again (no-store), with new hidden keys: the check-in is recognised by its
author, mentee and minute, the intake by "this may be the same person", and
every create form by its one-time token, which the site's script sends again
from a page reached by Back."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from checkins.models import CheckIn
from mentorship.models import MenteeProfile
from tests.accounts.factories import (
    TEST_PASSWORD,
    ProgramFactory,
    UserFactory,
    enrol_totp,
    program_day,
)
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_back_and_save_again_makes_one_checkin(live_server, browser, screenshot):
    program = ProgramFactory(name="Sacramento Peer Recovery")
    mentor = make_mentor(program, email="lena@example.org", full_name="Lena Okafor")
    mentee = MenteeProfileFactory(
        program=program,
        preferred_name="Rosa",
        status="active",
        intake_date=program_day() - timedelta(days=30),
    )
    assign(mentee, mentor)
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server.url, mentor.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/checkins/mentees/{mentee.pk}/new/")
    page.get_by_label("Minutes").fill("40")
    page.get_by_text("good", exact=True).click()
    page.get_by_label("Days of substance use since the last check-in").fill("0")
    page.get_by_label("Notes").fill("PHI-MARKER First and only.")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved.")).to_be_visible()

    page.go_back()
    expect(page.get_by_role("button", name="Save check-in")).to_be_visible()
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_load_state()
    screenshot(page, "back-and-resubmit-checkin-375")
    assert CheckIn.objects.filter(mentee=mentee).count() == 1


def test_back_and_record_intake_again_makes_one_person(live_server, browser, screenshot):
    program = ProgramFactory(name="Sacramento Peer Recovery")
    coordinator = UserFactory(coordinator=True, program=program, email="dana@example.org")
    secret = enrol_totp(coordinator)
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server.url, coordinator.email, TEST_PASSWORD, secret)
    page.goto(f"{live_server.url}/mentees/new/")
    page.get_by_label("Preferred name").fill("Marisol")
    page.get_by_label("Email").fill("marisol@example.org")
    page.get_by_role("button", name="Record intake").click()
    expect(page.get_by_text("Marisol is recorded as referred.")).to_be_visible()

    page.go_back()
    button = page.get_by_role("button", name="Record intake")
    expect(button).to_be_visible()
    if page.get_by_label("Preferred name").input_value() == "":
        # The browser asked the server again (no-store): a person types it again.
        page.get_by_label("Preferred name").fill("Marisol")
        page.get_by_label("Email").fill("marisol@example.org")
    button.click()
    # Either the first record again, or "this may be the same person" with a link to it.
    expect(page.get_by_text("Marisol").first).to_be_visible()
    screenshot(page, "back-and-resubmit-intake-1280")
    assert MenteeProfile.objects.filter(preferred_name="Marisol").count() == 1


def test_back_and_create_the_template_again_makes_one(live_server, browser):
    from recovery_plans.models import PlanTemplate

    program = ProgramFactory(name="Sacramento Peer Recovery")
    coordinator = UserFactory(coordinator=True, program=program, email="dana@example.org")
    secret = enrol_totp(coordinator)
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server.url, coordinator.email, TEST_PASSWORD, secret)
    page.goto(f"{live_server.url}/plans/templates/")
    page.get_by_label("Name").fill("Ninety days")
    before = page.locator("[name=once_token]").input_value()
    page.get_by_role("button", name="Create template").click()
    page.wait_for_url("**/plans/templates/*/")
    page.go_back()
    assert page.locator("[name=once_token]").input_value() == before, "the token came back"
    assert page.get_by_label("Name").input_value() == "Ninety days"
    page.get_by_role("button", name="Create template").click()
    page.wait_for_load_state()
    assert PlanTemplate.objects.filter(program=program).count() == 1
