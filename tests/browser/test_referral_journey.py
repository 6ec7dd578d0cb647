"""Issue #15's journey on a phone (375 px): the mentee signs a Part 2 consent
in the portal; the mentor makes a warm-handoff referral relying on it and
prints the letter (and downloads it as a PDF); the mentee revokes; the next
letter is refused."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from referrals.models import Disclosure, Resource
from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory, program_day
from tests.browser.conftest import PHONE, sign_in
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE = "These rules prohibit you from using or disclosing this record"


def pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pages)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_consent_referral_letter_revocation_refusal(
    live_server, browser, screenshot, assert_accessible
):
    program = ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")
    UserFactory(coordinator=True, program=program)
    mentor = make_mentor(program, email="lena@example.org", full_name="Lena Okafor")
    mentee_user = UserFactory(
        mentee=True, program=program, email="rosa@example.org", full_name="Rosa Delgado"
    )
    mentee = MenteeProfileFactory(
        program=program, preferred_name="Rosa", legal_name="Rosa Delgado", user=mentee_user,
        status="active",
    )  # fmt: skip
    assign(mentee, mentor)
    Resource.objects.create(
        program=program, organisation="Sierra Recovery Center", categories=["treatment", "mat"],
        languages=["en", "es"], last_verified_on=program_day(),
    )  # fmt: skip

    # The mentee signs in the portal.
    rosa = browser.new_context(viewport=PHONE).new_page()
    sign_in(rosa, live_server.url, mentee_user.email, TEST_PASSWORD)
    rosa.goto(f"{live_server.url}/referrals/my-consents/")
    expect(rosa.get_by_text("You have not signed any consent.")).to_be_visible()
    rosa.get_by_role("link", name="Sign a new consent").click()
    rosa.get_by_label("whether and how often I attend check-ins").check()
    rosa.get_by_label("From the program's directory").select_option(label="Sierra Recovery Center")
    rosa.get_by_label("linking me to services I asked for").check()
    rosa.get_by_label("This consent ends on").fill((program_day() + timedelta(days=90)).isoformat())
    rosa.get_by_label("Type your full name to sign").fill("Rosa Delgado")
    rosa.get_by_label("I have read this consent.").check()
    assert fits(rosa)
    assert_accessible(rosa)
    screenshot(rosa, "referrals-consent-sign-375")
    rosa.get_by_role("button", name="Sign this consent").click()
    expect(rosa.get_by_text("Thank you. Your consent is signed.")).to_be_visible()
    expect(rosa.get_by_text("in force")).to_be_visible()

    # The mentor refers with a warm handoff relying on it, and prints a letter.
    lena = browser.new_context(viewport=PHONE).new_page()
    sign_in(lena, live_server.url, mentor.email, TEST_PASSWORD)
    lena.goto(f"{live_server.url}/referrals/mentees/{mentee.pk}/")
    expect(lena.get_by_text("Sierra Recovery Center").first).to_be_visible()
    assert_accessible(lena)
    lena.get_by_role("link", name="New referral").click()
    lena.get_by_label("Kind of service").select_option("treatment")
    lena.get_by_label("From the directory").select_option(label="Sierra Recovery Center")
    lena.get_by_label("Why").fill("Asked for an outpatient program")
    lena.get_by_label("warm handoff (the program shares information)").check()
    lena.get_by_role("group", name="What the warm handoff shares").get_by_label(
        "whether and how often I attend check-ins"
    ).check()
    lena.get_by_label("Purpose of sharing").select_option("linkage")
    assert fits(lena)
    assert_accessible(lena)
    screenshot(lena, "referrals-referral-new-375")
    lena.get_by_role("button", name="Record the referral").click()
    expect(lena.get_by_text("Referral recorded.")).to_be_visible()
    assert fits(lena)
    screenshot(lena, "referrals-mentee-375")

    lena.get_by_role("link", name="Write a letter").click()
    lena.get_by_label("Recipient from the directory").select_option(label="Sierra Recovery Center")
    lena.get_by_label("linking me to services I asked for").check()
    lena.get_by_role("group", name="What the letter tells").get_by_label(
        "whether and how often I attend check-ins"
    ).check()
    lena.get_by_role("button", name="Make the letter").click()
    expect(lena.get_by_text(NOTICE)).to_be_visible()
    expect(lena.get_by_role("heading", name="Attendance")).to_be_visible()
    expect(lena.get_by_role("heading", name="Substance use reported at check-ins")).to_have_count(0)
    assert_accessible(lena)
    screenshot(lena, "referrals-letter-375")
    letter_url = lena.url
    # The same letter as a PDF: only the consented category, and the notice.
    with lena.expect_download() as download:
        lena.get_by_role("link", name="Download as PDF").click()
    text = pdf_text(download.value.path().read_bytes())
    assert "Attendance" in text and NOTICE in text and "Substance use" not in text
    pdf_url = f"{live_server.url}/referrals/letters/{letter_url.rstrip('/').rsplit('/', 1)[-1]}/letter.pdf"

    # The mentee sees the disclosure, and revokes.
    rosa.reload()
    expect(rosa.get_by_text("the program shared with Sierra Recovery Center")).to_be_visible()
    rosa.get_by_role("button", name="Revoke this consent").click()
    expect(rosa.get_by_text("The consent is revoked.")).to_be_visible()
    assert_accessible(rosa)
    screenshot(rosa, "referrals-my-consents-revoked-375")

    # The next request: the letter no longer prints, a new one is refused.
    lena.goto(letter_url)
    expect(lena.get_by_role("heading", name="This letter can no longer be printed")).to_be_visible()
    assert lena.request.get(pdf_url).status == 403  # nor its PDF
    lena.goto(f"{live_server.url}/referrals/mentees/{mentee.pk}/letter/")
    lena.get_by_label("Recipient from the directory").select_option(label="Sierra Recovery Center")
    lena.get_by_label("linking me to services I asked for").check()
    lena.get_by_role("group", name="What the letter tells").get_by_label(
        "whether and how often I attend check-ins"
    ).check()
    lena.get_by_role("button", name="Make the letter").click()
    expect(lena.get_by_text("No active consent").first).to_be_visible()
    assert_accessible(lena)
    screenshot(lena, "referrals-letter-refused-375")
    assert Disclosure.objects.filter(kind="letter").count() == 1
