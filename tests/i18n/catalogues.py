"""Reading gettext catalogues in plain Python (no gettext tools, no polib):
the committed .po files, as msgfmt would compile them, and the words of a
language's catalogues, for the check that a page speaks it."""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
CONTEXT_SEPARATOR = "\x04"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> str:
        return f"{self.msgctxt}{CONTEXT_SEPARATOR}{self.msgid}" if self.msgctxt else self.msgid

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header ("" msgid) included."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def finish():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line:
                continue
        elif line.startswith("#"):
            if target is not None:  # a comment starts the next entry
                finish()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            value, keyword = ast.literal_eval(line), None
        else:
            value = ast.literal_eval(rest) if rest else ""
        if keyword == "msgctxt":
            if target is not None:
                finish()
            entry.msgctxt, target = value, "msgctxt"
        elif keyword == "msgid":
            if target not in (None, "msgctxt"):
                finish()
            entry.msgid, target = value, "msgid"
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = value, "msgid_plural"
        elif keyword == "msgstr":
            entry.msgstr[0], target = value, 0
        elif keyword and keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            entry.msgstr[index], target = value, index
        elif keyword is None:  # a continuation line
            if target == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + value
            elif target == "msgid":
                entry.msgid += value
            elif target == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            elif isinstance(target, int):
                entry.msgstr[target] += value
        else:
            raise ValueError(f"{path}: cannot read {raw!r}")
    finish()
    return entries


def compiled_catalogue(entries: list[Entry]) -> dict:
    """What msgfmt puts in the .mo, as Python's gettext reads it back: the
    translated entries that are neither fuzzy nor obsolete."""
    catalogue: dict = {}
    for entry in entries:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.translated:
            continue
        if entry.msgid_plural is None:
            catalogue[entry.key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                catalogue[(entry.key, index)] = text
    return catalogue


def read_mo(path: Path) -> dict:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def our_catalogues() -> list[Path]:
    """The .po files of Peerpath's own languages (LOCALE_PATHS)."""
    return sorted(
        po
        for folder in settings.LOCALE_PATHS
        for po in Path(folder).glob("*/LC_MESSAGES/django.po")
    )


WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def catalogue_words(language: str) -> set[str]:
    """The words of every translation Peerpath shows in `language`: its own
    catalogue and those of Django and allauth (form errors, sign-in pages).
    (and Django's contrib apps': the password rules). A msgstr left as its
    msgid adds nothing."""
    import allauth
    import django

    messages = Path(language) / "LC_MESSAGES" / "django.po"
    django_root = Path(django.__file__).parent
    paths = [Path(folder) / messages for folder in settings.LOCALE_PATHS]
    paths += [
        django_root / "conf" / "locale" / messages,
        *django_root.glob(f"contrib/*/locale/{messages}"),
    ]
    paths.append(Path(allauth.__file__).parent / "locale" / messages)
    found: set[str] = set()
    for path in paths:
        for entry in parse_po(path):
            if not entry.msgid or "fuzzy" in entry.flags:
                continue
            for text in entry.msgstr.values():
                if text and text != entry.msgid:
                    found |= {word.lower() for word in words(text)}
    return found
