"""A mentor who could not reach the mentee logs the attempt: choosing "No, I
tried" hides and empties the contact fields, and one click saves one attempt."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from checkins.models import CheckIn
from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, program_day
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTACT_LABELS = (
    "Minutes",
    "Days of substance use since the last check-in",
    "Craving level (0 none – 10 strongest)",
    "Crisis: alert the coordinators now",
    "Next check-in",
)


@pytest.mark.parametrize(("viewport", "size"), [(PHONE, 375), (DESKTOP, 1280)])
def test_choosing_the_attempt_hides_the_contact_fields_and_one_click_saves_it(
    live_server, browser, screenshot, assert_accessible, viewport, size
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    mentor = make_mentor(program, email="lena@example.org", full_name="Lena Okafor")
    mentee = MenteeProfileFactory(
        program=program,
        preferred_name="Rosa",
        status="active",
        intake_date=program_day() - timedelta(days=30),
    )
    assign(mentee, mentor)

    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sign_in(page, live_server.url, mentor.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/checkins/mentees/{mentee.pk}/new/")
    # Started as a contact: some of it filled in before the mentor changes her mind.
    page.get_by_label("Minutes").fill("40")
    page.get_by_text("good", exact=True).click()
    page.get_by_label("Crisis: alert the coordinators now").check()
    for label in CONTACT_LABELS:
        expect(page.get_by_label(label, exact=True)).to_be_visible()

    page.get_by_text("No, I tried", exact=True).click()
    for label in CONTACT_LABELS:
        expect(page.get_by_label(label, exact=True)).to_be_hidden()
    expect(page.get_by_role("group", name="Mood")).to_be_hidden()
    expect(page.get_by_role("group", name="Support given")).to_be_hidden()
    expect(page.get_by_role("group", name="How")).to_be_visible()
    expect(page.get_by_label("When")).to_be_visible()
    expect(page.get_by_label("Notes")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    screenshot(page, f"checkin-attempt-{size}")

    # Changing back brings the contact fields, and what was typed, back.
    page.get_by_text("Yes, we talked", exact=True).click()
    expect(page.get_by_label("Minutes")).to_have_value("40")
    page.get_by_text("No, I tried", exact=True).click()
    expect(page.get_by_label("Minutes")).to_be_hidden()

    page.get_by_text("telephone", exact=True).click()
    page.get_by_label("Notes").fill("PHI-MARKER Left a voicemail.")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Attempted contact saved.")).to_be_visible()
    screenshot(page, f"checkin-attempt-saved-{size}")
    context.close()

    attempt = CheckIn.objects.get()
    assert (attempt.kind, attempt.delivery_method, attempt.notes) == (
        "attempt",
        "telephone",
        "PHI-MARKER Left a voicemail.",
    )
    assert (attempt.duration_minutes, attempt.mood, attempt.crisis_flag) == (None, None, False)
