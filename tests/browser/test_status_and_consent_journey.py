"""No risky defaults: a coordinator makes a referred mentee active by choosing
the status and a mentor (offered once "active" is chosen), then records and
withdraws consent to remote services; nothing is preselected on the way."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import (
    TEST_PASSWORD,
    ProgramFactory,
    UserFactory,
    enrol_totp,
    program_day,
)
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.mentorship.factories import MenteeProfileFactory, make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("viewport", "size"), [(PHONE, 375), (DESKTOP, 1280)])
def test_active_with_a_mentor_in_one_step_and_consent_said_back(
    live_server, browser, screenshot, assert_accessible, viewport, size
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(coordinator=True, program=program, email="dana@example.org")
    secret = enrol_totp(coordinator)
    make_mentor(program, email="lena@example.org", full_name="Lena Okafor")
    mentee = MenteeProfileFactory(program=program, preferred_name="Rosa", status="referred")

    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sign_in(page, live_server.url, coordinator.email, TEST_PASSWORD, secret)
    page.goto(f"{live_server.url}/mentees/{mentee.pk}/")
    status = page.get_by_role("group", name="New status")
    expect(status.get_by_role("radio")).to_have_count(2)
    for radio in status.get_by_role("radio").all():
        expect(radio).not_to_be_checked()
    # The mentor list and the discharge reason wait for the status they go with.
    expect(page.get_by_role("combobox", name="Mentor")).to_be_hidden()
    expect(page.get_by_label("Discharge reason")).to_be_hidden()

    status.get_by_label("active").check()
    expect(page.get_by_role("combobox", name="Mentor")).to_be_visible()
    expect(page.get_by_label("Discharge reason")).to_be_hidden()
    page.get_by_role("combobox", name="Mentor").select_option(label="Lena Okafor")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    screenshot(page, f"mentee-status-active-{size}")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("Rosa is now active, with Lena Okafor as mentor.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("active")

    page.get_by_role("link", name="record consent").click()
    consent = page.get_by_role("group", name="Rosa consents to")
    for radio in consent.get_by_role("radio").all():
        expect(radio).not_to_be_checked()
    expect(page.get_by_label("Consent given on")).to_be_hidden()
    consent.get_by_label("audio only (telephone)").check()
    expect(page.get_by_label("Consent given on")).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"mentee-consent-{size}")
    page.get_by_role("button", name="Record").click()
    today = program_day()
    day = f"{today:%b} {today.day}, {today.year}"
    expect(
        page.get_by_text(
            f"Recorded: Rosa consented to remote services, audio only (telephone), on {day}."
        )
    ).to_be_visible()

    page.get_by_role("link", name="record consent").click()
    page.get_by_role("group", name="Rosa consents to").get_by_label(
        "no consent: none given, or withdrawn"
    ).check()
    expect(page.get_by_label("Consent given on")).to_be_hidden()
    page.get_by_role("button", name="Record").click()
    expect(
        page.get_by_text(f"Recorded: Rosa withdrew consent to remote services on {day}.")
    ).to_be_visible()
    screenshot(page, f"mentee-consent-withdrawn-{size}")
    context.close()
