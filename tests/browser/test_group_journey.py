"""Issue #16's group journey on a phone (375 px): a mentor logs a peer
support group with 8 attendees (one absent, one who left early); each who
came gets a group check-in. Screenshots; axe-core finds no serious or
critical violation."""

import pytest
from playwright.sync_api import expect

from checkins.models import CheckIn, GroupSession
from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory
from tests.browser.conftest import PHONE, sign_in
from tests.checkins.group_factories import caseload
from tests.mentorship.factories import make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_mentor_logs_a_group_of_eight(live_server, browser, screenshot, assert_accessible):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(coordinator=True, program=program, email="dana@example.org")
    marcus = make_mentor(program, email="marcus@example.org", full_name="Marcus Reyes")
    mentees = caseload(program, marcus, coordinator, 8)

    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, live_server.url, marcus.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/checkins/groups/")
    page.get_by_role("link", name="Log a group session").click()
    page.get_by_label("Topic").fill("Coping with cravings")
    page.get_by_label("Location").fill("Community room")
    for n, mentee in enumerate(mentees):
        status = {0: "absent", 1: "left early"}.get(n, "present")
        page.get_by_label(mentee.preferred_name, exact=True).select_option(label=status)
    page.get_by_label("Note about Member 2").fill("Shared first")
    assert fits(page)
    assert_accessible(page)
    screenshot(page, "group-log-375")
    page.get_by_role("button", name="Save group session").click()
    expect(page.get_by_text("Group session saved.")).to_be_visible()
    assert fits(page)
    assert_accessible(page)
    screenshot(page, "group-detail-375")
    group = GroupSession.objects.get()
    assert group.attendance.count() == 8
    assert CheckIn.objects.filter(group_session=group, kind="group").count() == 7
