"""A mentor logs CE hours with evidence; the coordinator approves them; the
admin filters the report to "expires within 60 days" and downloads the CSV."""

import csv
import io
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
from tests.certification.factories import certify, pdf_bytes
from tests.mentorship.factories import make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ce_hours_are_logged_approved_and_reported(
    live_server, browser, screenshot, assert_accessible, tmp_path, settings
):
    settings.PEERPATH_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(
        coordinator=True, program=program, email="dana@example.org", full_name="Dana Whitfield"
    )
    coordinator_secret = enrol_totp(coordinator)
    admin = UserFactory(admin=True, email="ada@example.org", full_name="Ada Admin")
    admin_secret = enrol_totp(admin)
    lena = make_mentor(program, certified=False, email="lena@example.org", full_name="Lena Okafor")
    certify(lena, expires_in_days=45)
    tom = make_mentor(program, certified=False, email="tom@example.org", full_name="Tom Hadley")
    certify(tom, expires_in_days=300)
    evidence = tmp_path / "ethics-certificate.pdf"
    evidence.write_bytes(pdf_bytes())

    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    sign_in(page, live_server.url, lena.email, TEST_PASSWORD)
    # On a phone the menu is folded behind its button.
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="My certification")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")
    menu.get_by_role("link", name="My certification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My certification")
    page.get_by_label("Course title").fill("Law and ethics for peer specialists")
    page.get_by_label("Provider").fill("CalMHSA")
    page.get_by_label("Completed on").fill((program_day() - timedelta(days=3)).isoformat())
    page.get_by_role("spinbutton", name="Hours").fill("6")
    page.get_by_label("Category").select_option("law_and_ethics")
    page.get_by_label("Evidence").set_input_files(str(evidence))
    page.get_by_role("button", name="Log hours").click()
    expect(page.get_by_text("Hours logged. They count once approved.")).to_be_visible()
    expect(page.get_by_text("waiting", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "certification-mine-375")
    phone.close()

    desktop = browser.new_context(viewport=DESKTOP)
    page = desktop.new_page()
    sign_in(page, live_server.url, coordinator.email, TEST_PASSWORD, coordinator_secret)
    page.goto(f"{live_server.url}/certification/continuing-education/")
    expect(page.get_by_role("cell", name="Lena Okafor", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve 6.0 hours of Lena Okafor").click()
    expect(page.get_by_text("Approved 6.0 h for Lena Okafor.")).to_be_visible()
    expect(page.get_by_text("Nothing waiting.")).to_be_visible()
    desktop.close()

    desktop = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = desktop.new_page()
    sign_in(page, live_server.url, admin.email, TEST_PASSWORD, admin_secret)
    page.get_by_role("link", name="Certification report").click()
    page.get_by_label("Expires within (days)").fill("60")
    page.get_by_role("button", name="Filter").click()
    table = page.locator("table.report tbody")
    expect(table.get_by_role("link", name="Lena Okafor")).to_be_visible()
    expect(table).not_to_contain_text("Tom Hadley")
    expect(table).to_contain_text("6 / 6")
    assert_accessible(page)
    screenshot(page, "certification-report")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert "expires_within-60" in download.suggested_filename
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert [row["holder"] for row in rows] == ["Lena Okafor"]
    assert (
        rows[0]["law_and_ethics_approved"] == "6.0" and rows[0]["status"] == "Renewal window open"
    )
    desktop.close()
