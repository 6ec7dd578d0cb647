"""The kinds of reminder and alert. Domain apps register theirs from
AppConfig.ready(); notifications itself knows users, not domains.

A kind has a label that is safe to put in an email (never a name, a note or
anything about substance use) and a function from the subject's id to the
page the recipient should open.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # goes into email subjects and bodies: no PHI, ever
    target_url: Callable[[int], str]


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _kinds[kind.code] = kind


def get(code: str) -> Kind | None:
    return _kinds.get(code)


def label(code: str) -> str:
    kind = _kinds.get(code)
    return kind.label if kind else "You have a reminder"
