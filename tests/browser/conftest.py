"""Browser journeys: Playwright driving Debian's Chromium against live_server.

Never downloads a browser. Screenshots go to tests/artifacts/ (ignored by git).
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.accounts.factories import totp_code  # noqa: F401 (journeys import it from here)
from tests.services import require_chromium

# Playwright's sync API leaves an event loop running in the main thread for the
# rest of the session; the ORM calls that tests make beside it are synchronous
# and safe. (The deploy check's subprocess does not inherit this.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": require_chromium(),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


# Chromium reports a blocked script, style or handler on the console; the
# listener below also reports it from the page, whatever Chromium logs.
CSP_WORDS = ("Content Security Policy", "Content-Security-Policy", "Refused to")
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture(autouse=True)
def fail_on_csp_violation(request, monkeypatch):
    """Every page of every context a test opens runs under the CSP without a
    violation: one fails the test at teardown, with what was refused."""
    if "browser" not in request.fixturenames:
        yield []
        return
    browser = request.getfixturevalue("browser")
    violations: list[str] = []
    new_context = browser.new_context

    def watch(message: str, url: str) -> None:
        if any(word in message for word in CSP_WORDS):
            violations.append(f"{url}: {message}")

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", lambda m: watch(m.text, m.page.url if m.page else "?"))
        context.on("weberror", lambda e: watch(str(e.error), e.page.url if e.page else "?"))
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield violations
    assert violations == [], "\n".join(violations)


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


_axe = Axe()


# axe-core's defaults, and tap targets of at least 24 px (WCAG 2.2 AA, 2.5.8:
# off in axe by default, a serious violation when on).
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


@pytest.fixture
def assert_accessible():
    """axe-core on the page as it stands (AXE_OPTIONS): no serious or
    critical violation."""

    def check(page) -> None:
        results = _axe.run(page, options=AXE_OPTIONS)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == [], f"{page.url}\n" + "\n".join(bad)

    return check


def sign_in(page, base_url: str, email: str, password: str, totp_secret: str | None = None):
    """Sign in through the real login page (and the second factor, for staff)."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if totp_secret:
        page.get_by_label("Code").fill(totp_code(totp_secret))
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def celery_runs_tasks_at_once():
    """The live server's queued tasks run in place, as a worker would run them."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
