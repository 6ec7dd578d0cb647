"""A coordinator records an intake, reads the ranked suggestions with their
reasons, assigns with one click; the mentor signs in and finds the mentee."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory, enrol_totp
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.mentorship.factories import make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_intake_suggestions_assignment_and_the_mentors_caseload(
    live_server, browser, screenshot, assert_accessible
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(coordinator=True, program=program, email="dana@example.org")
    secret = enrol_totp(coordinator)
    lena = make_mentor(
        program,
        email="lena@example.org",
        full_name="Lena Okafor",
        languages=["en", "es"],
        recovery_pathways=["smart"],
        lived_experience_areas=["alcohol"],
        gender="woman",
        delivery_methods=["telehealth"],
        county="Sacramento",
        bio="SMART Recovery facilitator.",
    )
    make_mentor(program, email="tom@example.org", full_name="Tom Hadley", county="Fresno")
    make_mentor(program, full_name="Full Fiona", accepting_new_mentees=False)

    desktop = browser.new_context(viewport=DESKTOP)
    page = desktop.new_page()
    sign_in(page, live_server.url, coordinator.email, TEST_PASSWORD, secret)
    page.get_by_role("link", name="New intake").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New intake")
    assert_accessible(page)
    page.get_by_label("Preferred name").fill("Rosa")
    page.get_by_label("Legal name").fill("Rosa Delgado")
    page.get_by_label("Email").fill("rosa@example.org")
    page.get_by_label("County").fill("Sacramento")
    page.get_by_role("checkbox", name="alcohol").check()
    page.get_by_label("Recovery pathway").select_option("smart")
    page.get_by_label("Preferred language").select_option("es")
    page.get_by_label("Would like a mentor who is").select_option("woman")
    page.get_by_label("Preferred delivery method").select_option("telehealth")
    screenshot(page, "intake-form")
    page.get_by_role("button", name="Record intake").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Rosa")
    suggestions = page.locator(".suggestion")
    expect(suggestions).to_have_count(2)  # Full Fiona is never suggested
    best = suggestions.first
    expect(best).to_contain_text("Lena Okafor")
    for reason in [
        "speaks Spanish",
        "shares the SMART Recovery pathway",
        "offers telehealth as preferred",
        "same county",
        "8 of 8 places free",
    ]:
        expect(best).to_contain_text(reason)
    assert_accessible(page)
    screenshot(page, "mentee-suggestions")
    best.get_by_role("button", name="Assign to Lena Okafor").click()
    expect(page.get_by_text("Rosa is now assigned to Lena Okafor.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("active")
    screenshot(page, "mentee-assigned")
    desktop.close()

    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    sign_in(page, live_server.url, lena.email, TEST_PASSWORD)
    caseload = page.get_by_role("region", name="My mentees")
    expect(caseload.get_by_role("link", name="Rosa", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "mentor-caseload-375")
    caseload.get_by_role("link", name="Rosa", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rosa")
    assert_accessible(page)
    screenshot(page, "mentor-mentee-375")
    phone.close()
