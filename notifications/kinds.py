"""The kinds of reminder and alert. Domain apps register theirs from
AppConfig.ready(); notifications itself knows users, not domains.

A kind has a label that is safe to put in an email (never a name, a note or
anything about substance use) and a function from the subject's id to the
page the recipient should open. A kind about one mentee also says which
(`mentees`): the in-app list names them, for the reader who may still see
them; emails never do.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# (reader, subject ids) -> {subject id: (mentee id, preferred name)}, in one
# query, only for the mentees the reader reaches.
MenteesOf = Callable[[object, Iterable[int]], dict[int, tuple[int, str]]]


@dataclass(frozen=True)
class Kind:
    code: str
    # Goes into email subjects and bodies: no PHI, ever. gettext_lazy: each
    # reader sees it in their language.
    label: str
    target_url: Callable[[int], str]
    mentees: MenteesOf | None = None


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _kinds[kind.code] = kind


def get(code: str) -> Kind | None:
    return _kinds.get(code)


def codes() -> list[str]:
    return list(_kinds)


def label(code: str) -> str:
    kind = _kinds.get(code)
    return str(kind.label if kind else _("You have a reminder"))
