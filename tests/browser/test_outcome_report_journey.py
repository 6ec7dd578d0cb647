"""A coordinator opens the outcome report, changes the period, sees charts
and tables with small cells hidden, and downloads the CSV and the PDF."""

import csv
import io
from datetime import date

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from checkins.models import CheckIn
from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory, enrol_totp
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.mentorship.factories import make_mentor
from tests.reports.factories import checkin, make_mentees

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_reads_the_report_and_takes_the_csv(
    live_server, browser, screenshot, assert_accessible
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    coordinator = UserFactory(
        coordinator=True, program=program, email="dana@example.org", full_name="Dana Whitfield"
    )
    secret = enrol_totp(coordinator)
    mentor = make_mentor(program, email="marcus@example.org", full_name="Marcus Reyes")
    mentees = make_mentees(program, coordinator, 14)
    CheckIn.objects.bulk_create(
        checkin(m, mentor, day, substance_use_days=(n % 5) if day.month == 1 else n % 2,
                craving_level=7 if day.month == 1 else 4,
                delivery_method="telephone" if n < 3 else "in_person")
        for n, m in enumerate(mentees)
        for day in (date(2026, 1, 12), date(2026, 2, 12))
    )  # fmt: skip

    desktop = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = desktop.new_page()
    sign_in(page, live_server.url, coordinator.email, TEST_PASSWORD, secret)
    page.get_by_role("link", name="Outcome report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Program outcome report")
    page.get_by_label("From month").fill("2026-01")
    page.get_by_label("To month").fill("2026-02")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("2026-01 – 2026-02")).to_be_visible()

    delivery = page.get_by_role("region", name="Check-ins by delivery method as a table")
    # 3 mentees by telephone: hidden, and in person (the rest of 28) with it.
    expect(delivery.get_by_role("row", name="telephone")).to_contain_text("fewer than 11")
    expect(delivery.get_by_role("row", name="in person")).to_contain_text("fewer than 11")
    expect(page.locator("#figure-outcomes ~ figure svg rect").first).to_be_attached()
    outcomes = page.get_by_role("region", name="Change and its test")
    expect(outcomes.get_by_role("row", name="Mean craving level (0–10)")).to_contain_text("-3.00")
    expect(page.get_by_text("Wilcoxon signed-rank test").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "outcome-report-desktop")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == "outcomes-Sacramento_Peer_Recovery-2026-01-2026-02.csv"
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    cells = {(r[3], r[4], r[5]): r[6] for r in rows[1:]}
    assert cells[("Check-ins by delivery method", "telephone", "Check-ins")] == "fewer than 11"
    assert cells[("Check-ins per mentee per month", "2026-01", "Check-ins")] == "14"

    # The PDF for a funder: the same months, the same hidden cells.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "outcomes-Sacramento_Peer_Recovery-2026-01-2026-02.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert "2026-01 - 2026-02" in text
    assert "fewer than 11" in text

    # The same coordinator on a phone, already signed in: a second sign-in
    # within the same 30 seconds would offer the same one-time code, which
    # the second factor refuses to take twice.
    phone = browser.new_context(viewport=PHONE, storage_state=desktop.storage_state())
    small = phone.new_page()
    small.goto(f"{live_server.url}/reports/outcomes/?start=2026-01&end=2026-02")
    assert_accessible(small)
    screenshot(small, "outcome-report-phone")
