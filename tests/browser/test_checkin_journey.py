"""A mentor logs a check-in on a phone: the draft survives a reload, the
timeline and charts show it. A crisis check-in makes the alert appear for the
coordinator, who marks it handled."""

import re
from datetime import timedelta

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
from tests.checkins.factories import make_checkin
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mentor_logs_checkins_on_a_phone_and_the_coordinator_sees_the_crisis(
    live_server, browser, screenshot, assert_accessible, celery_runs_tasks_at_once
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(coordinator=True, program=program, email="dana@example.org")
    secret = enrol_totp(coordinator)
    mentor = make_mentor(program, email="lena@example.org", full_name="Lena Okafor")
    mentee = MenteeProfileFactory(
        program=program,
        preferred_name="Rosa",
        status="active",
        intake_date=program_day() - timedelta(days=60),
    )
    assign(mentee, mentor)
    for weeks_ago, mood, craving in [
        (6, 2, 8),
        (5, 2, 7),
        (4, 3, 6),
        (3, 3, 5),
        (2, 4, 4),
        (1, 4, 3),
    ]:
        make_checkin(
            mentee,
            mentor,
            days_ago=weeks_ago * 7,
            mood=mood,
            craving_level=craving,
            substance_use_days=max(0, 3 - weeks_ago // 2),
        )

    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    sign_in(page, live_server.url, mentor.email, TEST_PASSWORD)
    page.get_by_role("link", name="Log a check-in with Rosa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in with Rosa")
    page.get_by_label("Minutes").fill("40")
    page.get_by_text("good", exact=True).click()
    page.get_by_label("Craving level (0 none – 10 strongest)").select_option("2")
    page.get_by_label("Days of substance use since the last check-in").fill("0")
    page.get_by_label("Notes").fill("PHI-MARKER Talked about the new job and the weekend plan.")
    expect(page.locator("#draft-status")).to_contain_text("Draft saved", timeout=10_000)
    page.reload()
    expect(page.get_by_text("We restored your unsaved draft")).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value(
        "PHI-MARKER Talked about the new job and the weekend plan."
    )
    assert_accessible(page)
    screenshot(page, "checkin-form-375")
    page.get_by_role("button", name="Save check-in").click()

    expect(page.get_by_text("Check-in saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Trends")).to_be_visible()
    expect(page.locator("figure.chart")).to_have_count(3)
    expect(page.locator(".timeline--events li").first).to_contain_text("Check-in")
    assert_accessible(page)
    screenshot(page, "timeline-375")

    # A crisis check-in.
    page.goto(f"{live_server.url}/checkins/mentees/{mentee.pk}/new/")
    page.get_by_label("Minutes").fill("25")
    page.get_by_label("Crisis: alert the coordinators now").check()
    page.get_by_label("What happened, what was done").fill(
        "PHI-MARKER Felt unsafe; we called the crisis line together."
    )
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved.")).to_be_visible()
    phone.close()

    desktop = browser.new_context(viewport=DESKTOP)
    page = desktop.new_page()
    sign_in(page, live_server.url, coordinator.email, TEST_PASSWORD, secret)
    crises = page.locator(
        ".card", has=page.get_by_role("heading", name=re.compile("Open crisis flags"))
    )
    expect(crises).to_contain_text("Rosa")
    expect(page.locator(".bell__count")).to_contain_text("1", timeout=15_000)
    assert_accessible(page)
    screenshot(page, "coordinator-crisis")
    crises.get_by_label("How the crisis of Rosa was handled").fill("Met Rosa the same evening.")
    crises.get_by_role("button", name="Mark handled").click()
    expect(page.get_by_text("Crisis marked as handled.")).to_be_visible()
    expect(crises).to_contain_text("None open.")
    desktop.close()
