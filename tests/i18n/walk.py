"""The pages each role reads: every page of the scoping tables that role
opens, and the pages of Peerpath's frame that no table lists (allauth's
account pages, the notification list for its reader, the error pages)."""

from django.test import Client
from django.urls import reverse

from tests.scoping import CASE_ROLES
from tests.test_url_coverage import TABLES

# Not pages for people: the API (JSON), its schema and drf-spectacular's
# Swagger UI (a developer's tool, in English upstream).
NOT_PAGES = ("api:", "api-schema", "api-docs")
# A fragment swapped into every page (the bell's count: walked in the frame).
FRAGMENTS = {"notifications:unread_count"}
# Files, not pages.
DOWNLOADS = {
    "certification:report_csv", "certification:document", "certification:ce_evidence",
    "audit:export", "referrals:accounting_csv", "referrals:consent_form",
    "referrals:letter_pdf",
    "supervision:log_csv",
    "reports:outcomes_csv", "reports:mentee_months_csv", "reports:outcomes_pdf",
}  # fmt: skip
# allauth's pages a signed-in person uses from "My account", and those
# before signing in; allauth's own words come from its catalogues.
ACCOUNT_PAGES = ["account_change_password", "account_email", "mfa_index"]
ENTRANCE_PAGES = ["account_login", "account_reset_password", "account_signup"]


def table_pages(role: str):
    """(url name, arg) of each page of the scoping tables `role` opens (200)."""
    seen = set()
    for table in TABLES:
        for name, method, arg, expected in table:
            if method != "get" or name.startswith(NOT_PAGES) or name in DOWNLOADS | FRAGMENTS:
                continue
            if expected.get(role) == 200 and name not in seen:
                seen.add(name)
                yield name, arg


def pages_of(role: str, case) -> list[tuple[str, str, int]]:
    """(label, url, status) of every page `role` reads in `case`."""
    found = [
        (name, reverse(name, args=case.args[arg] if arg else None), 200)
        for name, arg in table_pages(role)
    ]
    if role == "anonymous":
        found += [(name, reverse(name), 200) for name in ENTRANCE_PAGES]
        found.append(("404", "/no-such-page/", 404))
        return found
    found += [(name, reverse(name), 200) for name in ACCOUNT_PAGES]
    found.append(("notifications:list", reverse("notifications:list"), 200))
    found.append(("notifications:unread_count", reverse("notifications:unread_count"), 200))
    found.append(("account_logout", reverse("account_logout"), 200))
    found.append(("404", "/no-such-page/", 404))
    if role in ("mentor", "mentee", "other_mentor", "other_mentee"):
        found.append(("403", reverse("accounts:program_list"), 403))
    return found


def signed_in_roles() -> list[str]:
    return CASE_ROLES[1:]


def anonymous_client(language: str | None = None) -> Client:
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    return Client(raise_request_exception=False, **headers)
