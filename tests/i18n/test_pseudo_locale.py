"""Issue 12 item 22: no string of Peerpath's is left unmarked for
translation. Every page every role opens is rendered in a pseudo-language
(tests/i18n/pseudo.py: each marked string comes out as ⟪…⟫); what a page
shows outside the marks must be the people's own data, numbers or names
that no language translates. Anything else is a string nobody marked."""

import pytest
from django.test import override_settings

from tests.i18n.catalogues import words
from tests.i18n.pseudo import PSEUDO, pseudo_language, unwrapped
from tests.i18n.visible import stored_text, visible_text, without
from tests.i18n.walk import anonymous_client, pages_of
from tests.write_proof_data import build_case

pytestmark = pytest.mark.django_db

# Names no language translates: the product and the scale it uses.
UNTRANSLATED_NAMES = {"Peerpath", "BARC"}


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


# Mentees and the pages before signing in first; staff pages are marked next.
MARKED_ROLES = ["anonymous", "mentee", "other_mentee"]


@pytest.mark.parametrize("role", MARKED_ROLES)
def test_every_page_shows_only_marked_strings_and_data(role, monkeypatch, tmp_path):
    with override_settings(PEERPATH_PRIVATE_MEDIA_ROOT=tmp_path):
        case = build_case()
    client = anonymous_client() if role == "anonymous" else case.clients[role]
    data = stored_text()
    problems = {}
    with pseudo_language(monkeypatch):
        for label, url, status in pages_of(role, case):
            response = client.get(url)
            assert response.status_code == status, f"{label} {url}: {response.status_code}"
            assert response["Content-Language"] == PSEUDO, label
            left = unmarked_words(visible_text(response.content.decode()), data)
            if left:
                problems[label] = " ".join(dict.fromkeys(left))
    assert "\n".join(f"{label}: {left}" for label, left in problems.items()) == ""
