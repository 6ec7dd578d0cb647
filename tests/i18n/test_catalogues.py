"""The committed catalogues: each .mo is its .po compiled (a fresh machine
installs no gettext, so the .mo files are committed), every string marked in
the code is in the .po (`make messages` gives the same catalogue again), and
every translation keeps its placeholders and markup."""

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.i18n.catalogues import (
    ROOT,
    compiled_catalogue,
    our_catalogues,
    parse_po,
    read_mo,
)
from tests.services import require_gettext

HEADER = ""


def plural_forms(header: str) -> str:
    found = re.search(r"^Plural-Forms:.*$", header, re.MULTILINE)
    return found.group(0) if found else ""


def test_there_is_a_spanish_catalogue():
    assert [po.parent.parent.name for po in our_catalogues()] == ["es"]


@pytest.mark.parametrize("po", our_catalogues(), ids=lambda p: p.parent.parent.name)
def test_each_committed_mo_is_its_po_compiled(po: Path):
    """Compare what gettext reads from the .mo with what msgfmt would put in
    it from the .po: `make messages` after every change to a .po."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    expected, compiled = compiled_catalogue(parse_po(po)), read_mo(mo)
    assert plural_forms(compiled.pop(HEADER, "")) == plural_forms(expected.pop(HEADER, ""))
    stale = {
        key for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key)
    }
    assert stale == set(), f"{mo} differs from {po.name}: run `make messages`"


@pytest.mark.parametrize("po", our_catalogues(), ids=lambda p: p.parent.parent.name)
def test_no_entry_is_fuzzy_or_obsolete(po: Path):
    """A fuzzy entry is not compiled (its page would show English) and an
    obsolete one is dead weight: `make messages` keeps neither."""
    entries = parse_po(po)[1:]
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []
    assert [e.msgid for e in entries if e.obsolete] == []


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
TAG = re.compile(r"</?\w+")


def _shape(text: str) -> tuple[list[str], list[str]]:
    return sorted(set(PLACEHOLDER.findall(text))), sorted(TAG.findall(text))


@pytest.mark.parametrize("po", our_catalogues(), ids=lambda p: p.parent.parent.name)
def test_every_translation_keeps_its_placeholders_and_markup(po: Path):
    """A translation with a placeholder missing would fail at runtime (or
    drop a name); a missing tag would lose a link."""
    wrong = []
    for entry in parse_po(po)[1:]:
        for index, text in entry.msgstr.items():
            if not text:
                continue
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            placeholders, tags = _shape(text)
            want_placeholders, want_tags = _shape(source)
            # A singular may say "one day" without its number.
            if entry.msgid_plural is not None and index == 0:
                want_placeholders = [p for p in want_placeholders if p in placeholders]
            if (placeholders, tags) != (want_placeholders, want_tags):
                wrong.append(entry.msgid)
    assert wrong == []


def _copy_sources(target: Path) -> None:
    """The files makemessages reads, and the catalogues, into `target`."""
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if path.is_dir() or relative.parts[0].startswith(".") or relative.parts[0] == "var":
            continue
        if path.suffix in (".py", ".html", ".txt") or relative.parts[0] == "locale":
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)


def _entries(po: Path) -> set[tuple]:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in parse_po(po)[1:]}


def test_the_catalogue_holds_every_marked_string_and_no_other(tmp_path, monkeypatch):
    """`make messages` on the code as it is gives the committed .po's
    entries: no string marked in a template or in Python is missing from it
    (it would show in English), and none is left over. Needs GNU gettext,
    like `make messages` itself."""
    require_gettext()
    _copy_sources(tmp_path)
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", all=True, verbosity=0)
    for committed in our_catalogues():
        fresh = tmp_path / committed.relative_to(ROOT)
        missing = _entries(fresh) - _entries(committed)
        extra = _entries(committed) - _entries(fresh)
        assert (missing, extra) == (set(), set()), f"{committed}: run `make messages`"
