"""The browser walk: every page of the scoping tables, as each role that may
open it, at 375 and 1280 px. No page is wider than the window, a data table
is one card per row on a phone and a table on a desktop, and axe-core
finds no serious or critical violation (once per page and width: the first
role that reaches it); a screenshot of each page and width is saved to
tests/artifacts/walk/ for a person to look at.

Signing in goes through the session cookie of a signed-in test client (the
sign-in page itself has its own journeys)."""

import os

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.scoping import CASE_ROLES
from tests.test_url_coverage import TABLES
from tests.write_proof_data import build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Not pages a person reads: the API (JSON) and its machine-readable schema.
NOT_PAGES = ("api:", "api-schema")
# Swagger UI (drf-spectacular's vendored API explorer, for developers) has
# its own upstream axe findings (colour contrast in its version stamp, nested
# controls in its operation rows) that are not ours to restyle; it is still
# walked for width, and tests/test_api_schema.py checks its page.
NOT_OURS_FOR_AXE = {"api-docs"}
# A fragment htmx swaps into every page (the bell's count), not a page.
FRAGMENTS = {"notifications:unread_count"}
# Files, not pages: their downloads are tested where they are made.
DOWNLOADS = {
    "certification:report_csv", "certification:document", "certification:ce_evidence",
    "audit:export", "referrals:accounting_csv", "referrals:consent_form",
    "referrals:letter_pdf",
    "supervision:log_csv",
    "reports:outcomes_csv", "reports:mentee_months_csv", "reports:outcomes_pdf",
}  # fmt: skip
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
# Measured in the page: the document may not scroll sideways. (A wide table
# scrolls inside its own region, which does not widen the page.)
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The smallest chart label as drawn: its 14 units scaled to the chart's width.
CHART_LABEL_PX = """() => Math.min(...[...document.querySelectorAll("svg")]
  .filter((svg) => svg.querySelector(".chart__tick"))
  .map((svg) => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * 14))"""
# How the drawn data tables lay out their cells: one card per row on a phone
# (tests/browser/test_tables_stack.py looks closer), a table on a desktop.
TABLE_CELLS = """() => [...document.querySelectorAll("table td")]
  .filter((td) => td.getClientRects().length > 0)
  .map((td) => getComputedStyle(td).display)"""
TABLE_CELLS_AS = {"phone": "block", "desktop": "table-cell"}
# What sticks out, to say so in the failure: the innermost elements past the edge.
STICKING_OUT = """() => {
  const edge = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll("body *")].filter(
    (e) => e.getBoundingClientRect().right > edge + 1 && !e.closest(".table-wrap")
  );
  return out.filter((e) => !out.some((o) => o !== e && e.contains(o))).slice(0, 3).map(
    (e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}#${e.id}`
  );
}"""


def pages():
    # PEERPATH_WALK_PAGES=name,name walks only those (to look at one page again).
    only = {n for n in os.environ.get("PEERPATH_WALK_PAGES", "").split(",") if n}
    seen = set()
    for table in TABLES:
        for name, method, arg, expected in table:
            if (
                method != "get"
                or name.startswith(NOT_PAGES)
                or name in DOWNLOADS | FRAGMENTS
                or name in seen
            ):
                continue
            if only and name not in only:
                continue
            seen.add(name)
            roles = [role for role in CASE_ROLES[1:] if expected.get(role) == 200]
            if roles:
                yield name, arg, roles


def signed_in_context(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_every_page_fits_and_passes_axe_for_every_role(
    live_server, browser, assert_accessible, tmp_path
):
    from django.test import override_settings

    with override_settings(PEERPATH_PRIVATE_MEDIA_ROOT=tmp_path):
        case = build_case()
    walk = list(pages())
    assert len(walk) > 40 or os.environ.get("PEERPATH_WALK_PAGES"), "the walk lost its pages"
    folder = ARTIFACTS / "walk"
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    checked: set[tuple[str, str]] = set()
    for role in CASE_ROLES[1:]:
        for width, viewport in WIDTHS.items():
            context = signed_in_context(browser, live_server, case.users[role], viewport)
            page = context.new_page()
            for name, arg, roles in walk:
                if role not in roles:
                    continue
                url = live_server.url + reverse(name, args=case.args[arg] if arg else None)
                response = page.goto(url)
                label = f"{role} {width} {name}"
                if response is None or response.status != 200:
                    problems.append(f"{label}: {response.status if response else 'no answer'}")
                    continue
                if "text/html" not in response.headers.get("content-type", ""):
                    continue
                wider = page.evaluate(OVERFLOW)
                if wider > 0:
                    culprits = page.evaluate(STICKING_OUT)
                    problems.append(f"{label}: {wider}px wider than the window: {culprits}")
                laid_out = set(page.evaluate(TABLE_CELLS)) - {TABLE_CELLS_AS[width]}
                if laid_out:
                    problems.append(f"{label}: table cells laid out as {laid_out}")
                label_px = page.evaluate(CHART_LABEL_PX)
                if label_px < 12:  # Infinity when the page has no chart
                    problems.append(f"{label}: chart labels {label_px:.1f}px, under 12px")
                if (name, width) not in checked:
                    checked.add((name, width))
                    page.screenshot(path=str(folder / f"{name.replace(':', '-')}-{width}.png"))
                    if name in NOT_OURS_FOR_AXE:
                        continue
                    try:
                        assert_accessible(page)
                    except AssertionError as failure:
                        problems.append(f"{label}: {failure}")
            context.close()
    assert problems == [], "\n".join(problems)
