"""Role dashboards are assembled from panels that each app registers.

accounts sits at the bottom of the import graph, so it cannot ask mentorship
or check-ins for their numbers; instead those apps register a Panel here from
their AppConfig.ready(), and the dashboard view renders every panel that fits
the viewer's role, in order. Each panel's context function must run a fixed
number of queries whatever the caseload size, and should run none: it gives
its lists as querysets not yet read, or as a `core.together.Later` (rows
read, then shaped), or the whole context as a Later; the dashboard reads
every panel's rows, and the page's own (`also`), in one statement.

A panel that shows mentees says which (`mentees(data)`), so that the dashboard
records them in the audit trail like any other list of mentee records.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .together import resolve_together


@dataclass(frozen=True)
class Panel:
    name: str
    roles: frozenset[str]
    template: str
    context: Callable[..., dict]
    order: int = 100
    mentees: Callable[[dict], Iterable[int]] | None = None


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.name] = panel


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    data: dict
    mentee_ids: frozenset[int] = frozenset()


def panels_for(user, also: Iterable = ()) -> list[RenderedPanel]:
    """The viewer's panels with their data, every panel's rows read in one
    statement; the querysets in `also` (the page's own lists) are read in the
    same statement."""
    chosen = sorted(
        (p for p in _panels.values() if user.role in p.roles), key=lambda p: (p.order, p.name)
    )
    also = list(also)
    contexts = resolve_together([*(panel.context(user) for panel in chosen), *also])
    rendered = []
    for panel, data in zip(chosen, contexts, strict=False):
        shown = frozenset(panel.mentees(data)) if panel.mentees else frozenset()
        rendered.append(RenderedPanel(panel.name, panel.template, data, shown))
    return rendered


def mentees_shown(panels: Iterable[RenderedPanel]) -> set[int]:
    return {mentee_id for panel in panels for mentee_id in panel.mentee_ids}
