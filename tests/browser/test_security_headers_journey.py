"""Pages run under the strict Content-Security-Policy without a violation
(conftest's fail_on_csp_violation watches every page of every test)."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD, ProgramFactory, UserFactory
from tests.browser.conftest import DESKTOP, sign_in
from tests.mentorship.factories import MenteeProfileFactory, assign, make_mentor
from tests.recovery_plans.factories import make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mentor(db):
    return make_mentor(ProgramFactory(), email="lena@example.org", full_name="Lena Okafor")


def test_the_watch_catches_inline_code_the_policy_blocks(
    live_server, browser, fail_on_csp_violation
):
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.ranInline = true";
        document.body.append(script);
        document.body.setAttribute("style", "color: red");
    }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ranInline") is None
    assert any("script-src" in v for v in fail_on_csp_violation), fail_on_csp_violation
    assert any("style-src" in v for v in fail_on_csp_violation), fail_on_csp_violation
    fail_on_csp_violation.clear()  # seen and expected: the watch works


def test_the_api_docs_render_under_the_policy(live_server, browser, mentor):
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server.url, mentor.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_role("heading", name="Peerpath API")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()


def test_the_print_button_prints_without_inline_code(live_server, browser, mentor):
    user = UserFactory(mentee=True, program=mentor.program, email="rosa@example.org")
    mentee = MenteeProfileFactory(program=mentor.program, user=user, status="active")
    assign(mentee, mentor)
    plan = make_plan(mentee, mentor)
    page = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(page, live_server.url, user.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/plans/{plan.pk}/print/")
    page.evaluate("() => { window.print = () => { window.printed = true; }; }")
    page.get_by_role("button", name="Print").click()
    expect(page.locator("body")).to_be_visible()
    assert page.evaluate("window.printed") is True
