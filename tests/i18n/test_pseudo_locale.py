"""Issue 12 item 22: no string of Peerpath's is left unmarked for
translation. Every page every role opens is rendered in a pseudo-language
(tests/i18n/pseudo.py: each marked string comes out as ⟪…⟫); what a page
shows outside the marks must be the people's own data, numbers or names
that no language translates. Anything else is a string nobody marked."""

import zoneinfo
from pathlib import Path

import pytest
from django.test import override_settings

from tests.i18n.catalogues import words
from tests.i18n.pseudo import PSEUDO, pseudo_language, unwrapped
from tests.i18n.visible import stored_text, visible_text, without
from tests.i18n.walk import anonymous_client, pages_of
from tests.scoping import CASE_ROLES
from tests.write_proof_data import build_case

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

pytestmark = pytest.mark.django_db

# Names no language translates: the product and the scale it uses.
UNTRANSLATED_NAMES = {"Peerpath", "BARC"}
# Identifiers shown as they are: the IANA time zones a program chooses from.
TIME_ZONES = sorted(zoneinfo.available_timezones(), key=len, reverse=True)
# The label of a kind the tests register (tests/notifications/test_notifications.py).
TEST_ONLY = ["A test reminder"]
# Staff pages left in English on purpose, each with its reason (never a mentee's page).
STAFF_LEFTOVERS = {
    # The printed referral letter stays English on purpose: it goes to an
    # outside provider, not to a reader of the site, and it quotes the notice
    # of 42 CFR §2.32 verbatim, a regulated text that is not ours to translate.
    "referrals:letter": "stays English on purpose: to an outside provider, quoting §2.32 verbatim",
}


def audit_codes() -> list[str]:
    """The roles and object kinds the audit trail recorded, shown as kept
    (the events of the pages just read included)."""
    from audit.models import AccessEvent

    rows = AccessEvent.objects.values_list("role", "object_type").distinct()
    return sorted({value for row in rows for value in row if value}, key=len, reverse=True)


def unmarked_words(text: str, data: list[str]) -> list[str]:
    left = without(unwrapped(text), data)
    return [word for word in words(left) if word not in UNTRANSLATED_NAMES]


def test_the_pseudo_language_wraps_what_is_marked(monkeypatch):
    from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

    with pseudo_language(monkeypatch):
        assert gettext("Sign in") == "⟪Sign in⟫"
        assert str(gettext_lazy("Sign out")) == "⟪Sign out⟫"
        assert ngettext("%(n)s day", "%(n)s days", 2) == "⟪%(n)s days⟫"
        assert pgettext("navigation", "Main") == "⟪Main⟫"
    assert unwrapped("⟪Hello ⟪Jordan⟫⟫, Unmarked") == " , Unmarked"
    assert unmarked_words("⟪Welcome⟫ Jordan Ellis, 3 of 5 at Peerpath", ["Jordan Ellis"]) == [
        "of",
        "at",
    ]


@pytest.mark.parametrize("role", CASE_ROLES)
def test_every_page_shows_only_marked_strings_and_data(role, monkeypatch, tmp_path):
    with override_settings(PEERPATH_PRIVATE_MEDIA_ROOT=tmp_path):
        case = build_case()
    client = anonymous_client() if role == "anonymous" else case.clients[role]
    # A plan's change history is kept in the words it was written in (staff's).
    # The time zones first: a stored word ("Center") is also part of one
    # ("America/North_Dakota/Center").
    data = TIME_ZONES + stored_text(code_written=True) + TEST_ONLY
    problems = {}
    with pseudo_language(monkeypatch):
        for label, url, status in pages_of(role, case):
            response = client.get(url)
            assert response.status_code == status, f"{label} {url}: {response.status_code}"
            assert response["Content-Language"] == PSEUDO, label
            left = unmarked_words(visible_text(response.content.decode()), data + audit_codes())
            if left and label not in STAFF_LEFTOVERS:
                problems[label] = " ".join(dict.fromkeys(left))
    report = "\n".join(f"{label}: {left}" for label, left in problems.items())
    # The whole list, for a person to read (an assertion's diff is cut short).
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"i18n-unmarked-{role}.txt").write_text(report + "\n", encoding="utf-8")
    assert report == ""


@pytest.mark.parametrize("role", CASE_ROLES)
def test_every_page_renders_with_the_spanish_catalogue(role, monkeypatch, tmp_path):
    """Staff read English, but every page is also drawn with the Spanish
    catalogue (as a Spanish-speaking reader would get it): no translation
    breaks a page (a date format, a placeholder, a plural)."""
    from accounts import languages

    with override_settings(PEERPATH_PRIVATE_MEDIA_ROOT=tmp_path):
        case = build_case()
    client = anonymous_client() if role == "anonymous" else case.clients[role]
    monkeypatch.setattr(languages, "supported", lambda code: "es")
    for label, url, status in pages_of(role, case):
        response = client.get(url)
        assert response.status_code == status, f"{label} {url}: {response.status_code}"
        assert response["Content-Language"] == "es", label
