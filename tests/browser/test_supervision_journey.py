"""Issue #16's journey on a phone (375 px): a coordinator designates a mentor
as supervisor and assigns her a supervisee; the supervisee logs a crisis
check-in, which opens a crisis debrief; the supervisor records the debrief
session; the supervisee acknowledges it. Screenshots; axe-core finds no
serious or critical violation."""

import pytest
from playwright.sync_api import expect

from supervision.models import CrisisDebrief, SupervisionSession
from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory, enrol_totp
from tests.browser.conftest import PHONE, sign_in
from tests.checkins.factories import make_checkin
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_designate_then_debrief_a_crisis(live_server, browser, screenshot, assert_accessible):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(
        coordinator=True, program=program, email="dana@example.org", full_name="Dana Whitfield"
    )
    secret = enrol_totp(coordinator)
    lena = make_mentor(program, email="lena@example.org", full_name="Lena Okafor")
    marcus = make_mentor(program, email="marcus@example.org", full_name="Marcus Reyes")
    mentee = MenteeProfileFactory(program=program, preferred_name="Jordan", status="active")
    assign(mentee, marcus, by=coordinator)

    # The coordinator designates Lena and makes her Marcus's supervisor.
    dana = browser.new_context(viewport=PHONE).new_page()
    sign_in(dana, live_server.url, coordinator.email, TEST_PASSWORD, totp_secret=secret)
    dana.goto(f"{live_server.url}/supervision/")
    dana.get_by_role("link", name="Designate a supervisor").click()
    dana.get_by_label("Who supervises").select_option(label="Lena Okafor")
    dana.get_by_label("certified peer support specialist").check()
    dana.get_by_label("Years of experience as a peer specialist").fill("6")
    assert fits(dana)
    assert_accessible(dana)
    screenshot(dana, "supervision-designate-375")
    dana.get_by_role("button", name="Designate").click()
    expect(dana.get_by_text("Supervisor designated.")).to_be_visible()
    dana.get_by_role("link", name="Assign a supervisor").click()
    dana.get_by_label("Mentor").select_option(label="Marcus Reyes")
    dana.get_by_label("Supervisor").select_option(label="Lena Okafor")
    dana.get_by_role("button", name="Assign").click()
    expect(dana.get_by_text("Supervisor assigned.")).to_be_visible()
    assert fits(dana)
    assert_accessible(dana)
    screenshot(dana, "supervision-home-coordinator-375")

    # Marcus logs a crisis check-in: a debrief opens, due in three days.
    make_checkin(mentee, marcus, crisis_flag=True, crisis_notes="Safety plan used")
    debrief = CrisisDebrief.objects.get()

    # Lena records the debrief session.
    supervisor = browser.new_context(viewport=PHONE).new_page()
    sign_in(supervisor, live_server.url, lena.email, TEST_PASSWORD)
    supervisor.goto(f"{live_server.url}/supervision/")
    expect(supervisor.get_by_text("Open crisis debriefs")).to_be_visible()
    supervisor.get_by_role("link", name="Record a session").click()
    supervisor.get_by_role("group", name="Mentors supervised").get_by_label("Marcus Reyes").check()
    supervisor.get_by_label("Duration (minutes)").fill("45")
    supervisor.get_by_label("telephone").check()
    supervisor.get_by_role("group", name="Topics").get_by_label("crisis debrief").check()
    supervisor.get_by_role("group", name="Crisis debriefs this session closes").get_by_role(
        "checkbox"
    ).check()
    supervisor.get_by_role("group", name="Mentees discussed").get_by_label("Jordan").check()
    supervisor.get_by_label("Notes").fill("Went through what happened and what helped.")
    supervisor.get_by_label("Action item 1: mentor").select_option(label="Marcus Reyes")
    supervisor.get_by_label("Action item 1: what").fill("Check in with Jordan tomorrow")
    assert fits(supervisor)
    assert_accessible(supervisor)
    screenshot(supervisor, "supervision-debrief-session-375")
    supervisor.get_by_role("button", name="Record the session").click()
    expect(supervisor.get_by_text("Supervision session recorded.")).to_be_visible()
    debrief.refresh_from_db()
    assert debrief.session == SupervisionSession.objects.get()

    # Marcus reads it, ticks off his item and acknowledges.
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server.url, marcus.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/supervision/sessions/{debrief.session_id}/")
    expect(page.get_by_text("Went through what happened and what helped.")).to_be_visible()
    page.get_by_role("button", name="Mark done").click()
    page.get_by_role("button", name="Acknowledge this session").click()
    expect(page.get_by_text("Session acknowledged.")).to_be_visible()
    assert fits(page)
    assert_accessible(page)
    screenshot(page, "supervision-session-mentor-375")
