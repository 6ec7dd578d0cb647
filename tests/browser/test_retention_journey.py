"""An admin sets a program's retention, runs the monthly list, refuses to
purge without the typed record number, then purges a closed case past it.
Screenshots at 1280 px; axe-core on every page."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from mentorship.models import MenteeProfile
from operations import retention
from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory, enrol_totp
from tests.browser.conftest import DESKTOP, sign_in
from tests.mentorship.factories import MenteeProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_purges_a_closed_case_past_retention(
    live_server, browser, screenshot, assert_accessible
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    admin = UserFactory(admin=True, email="ada@example.org", full_name="Ada Admin")
    secret = enrol_totp(admin)
    case = MenteeProfileFactory(
        program=program, preferred_name="Jordan", status="graduated",
        status_changed_on=date(2012, 3, 14),
    )  # fmt: skip

    desk = browser.new_context(viewport=DESKTOP)
    page = desk.new_page()
    sign_in(page, live_server.url, admin.email, TEST_PASSWORD, totp_secret=secret)
    page.goto(f"{live_server.url}/operations/")
    page.get_by_role("link", name="Retention of closed cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention")
    expect(page.get_by_text("No closed case is past its retention.")).to_be_visible()

    page.get_by_role("link", name=re.compile("Change.*Sacramento Peer Recovery")).click()
    page.get_by_label("Years to keep a closed case").fill("10")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Retention saved.")

    retention.list_candidates()
    page.reload()
    row = page.locator(f"tr[data-mentee='{case.pk}']")
    expect(row).to_contain_text(f"Record {case.pk}")
    expect(page.locator("main")).not_to_contain_text("Jordan")
    assert_accessible(page)
    screenshot(page, "retention-candidates")

    row.get_by_role("button", name=re.compile(f"Purge.*record {case.pk}$")).click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Type the record number {case.pk} to confirm the purge."
    )
    assert MenteeProfile.objects.filter(pk=case.pk).exists()

    page.get_by_label(f"Type {case.pk} to confirm").fill(str(case.pk))
    page.get_by_role("button", name=re.compile(f"Purge.*record {case.pk}$")).click()
    expect(page.get_by_role("status")).to_contain_text(f"Record {case.pk} was purged.")
    assert not MenteeProfile.objects.filter(pk=case.pk).exists()
    desk.close()
