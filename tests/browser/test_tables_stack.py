"""Data tables on a phone: every page that shows one, as a role that sees
rows in it, at 375 px. The page is no wider than the window, each row is a
card (its cells are blocks, the header row is out of sight) and each cell
says its column's header before its value; at 1280 px the same tables are
tables. Screenshots at both widths go to tests/artifacts/tables/ for a person
to look at. (The walk, tests/browser/test_every_page.py, checks the same of
any table on any page it visits.)"""

import pytest
from django.urls import reverse

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE
from tests.browser.test_every_page import OVERFLOW, signed_in_context
from tests.write_proof_data import build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (page, its argument, who sees rows in its tables): one row per template
# that draws a data table.
TABLE_PAGES = [
    ("dashboard", None, "admin"),  # programs
    ("dashboard", None, "mentor"),  # caseload
    ("accounts:program_list", None, "admin"),
    ("accounts:program_detail", "program", "coordinator"),  # members, invitations
    ("accounts:invitation_list", None, "coordinator"),
    ("accounts:api_tokens", None, "coordinator"),
    ("accounts:people", None, "admin"),
    ("accounts:style_guide", None, "admin"),
    ("mentorship:mentee_list", None, "coordinator"),
    ("mentorship:mentor_list", None, "coordinator"),
    ("checkins:timeline", "mentee", "mentor"),  # the charts' data
    ("recovery_plans:list", None, "mentor"),
    ("certification:mine", None, "mentor"),  # continuing education
    ("certification:detail", "cert", "coordinator"),
    ("certification:ce_queue", None, "coordinator"),
    ("certification:report", None, "admin"),
]

# Every table drawn on the page (a chart's data table too: its <details> are
# opened first), with how its rows and cells are laid out and labelled.
TABLES_AS_DRAWN = """() => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  return [...document.querySelectorAll("table")]
    .filter((table) => table.getClientRects().length > 0)
    .map((table) => {
      const head = table.tHead;
      const headers = [...head.rows[head.rows.length - 1].cells].map(
        (th) => th.textContent.replace(/\\s+/g, " ").trim()
      );
      const cells = [...table.tBodies].flatMap((body) => [...body.rows]).flatMap((row) =>
        [...row.cells].filter((cell) => cell.colSpan === 1).map((cell) => {
          const label = getComputedStyle(cell, "::before").content;
          return {
            column: headers[cell.cellIndex],
            display: getComputedStyle(cell).display,
            row: getComputedStyle(cell.parentElement).display,
            label: label === "none" || label === "normal" ? "" : label,
          };
        })
      );
      return {
        caption: table.caption ? table.caption.textContent.trim() : headers.join(", "),
        headHeight: head.getBoundingClientRect().height,
        cells: cells,
      };
    });
}"""


def check_phone(tables: list[dict], label: str) -> list[str]:
    problems = []
    for table in tables:
        name = f"{label} «{table['caption']}»"
        if table["headHeight"] > 1:
            problems.append(f"{name}: the header row is still in view")
        for cell in table["cells"]:
            if cell["display"] != "block" or cell["row"] != "block":
                problems.append(f"{name}: {cell['column']} is a {cell['display']}, not a card line")
                break
            if cell["column"] and cell["column"] not in cell["label"]:
                problems.append(f"{name}: a cell of {cell['column']} says {cell['label']!r}")
                break
    return problems


def check_desktop(tables: list[dict], label: str) -> list[str]:
    return [
        f"{label} «{table['caption']}»: cells laid out as {cell['display']}"
        for table in tables
        for cell in table["cells"][:1]
        if cell["display"] != "table-cell" or cell["label"]
    ]


def test_data_tables_are_cards_on_a_phone_and_tables_on_a_desktop(live_server, browser, tmp_path):
    from django.test import override_settings

    with override_settings(PEERPATH_PRIVATE_MEDIA_ROOT=tmp_path):
        case = build_case()
    folder = ARTIFACTS / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for width, viewport in {"phone": PHONE, "desktop": DESKTOP}.items():
        contexts = {}
        for name, arg, role in TABLE_PAGES:
            if role not in contexts:
                contexts[role] = signed_in_context(browser, live_server, case.users[role], viewport)
            page = contexts[role].pages[0] if contexts[role].pages else contexts[role].new_page()
            page.goto(live_server.url + reverse(name, args=case.args[arg] if arg else None))
            label = f"{role} {width} {name}"
            tables = page.evaluate(TABLES_AS_DRAWN)
            if not tables or not any(table["cells"] for table in tables):
                problems.append(f"{label}: no table with rows (the case lost its data?)")
                continue
            wider = page.evaluate(OVERFLOW)
            if wider > 0:
                problems.append(f"{label}: {wider}px wider than the window")
            check = check_phone if width == "phone" else check_desktop
            problems += check(tables, label)
            shot = folder / f"{name.replace(':', '-')}-{role}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
        for context in contexts.values():
            context.close()
    assert problems == [], "\n".join(problems)
