"""Role dashboards are assembled from panels that each app registers.

accounts sits at the bottom of the import graph, so it cannot ask mentorship
or check-ins for their numbers; instead those apps register a Panel here from
their AppConfig.ready(), and the dashboard view renders every panel that fits
the viewer's role, in order. Each panel's context function must run a fixed
number of queries whatever the caseload size.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    roles: frozenset[str]
    template: str
    context: Callable[..., dict]
    order: int = 100


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _panels[panel.name] = panel


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    data: dict


def panels_for(user) -> list[RenderedPanel]:
    chosen = sorted(
        (p for p in _panels.values() if user.role in p.roles), key=lambda p: (p.order, p.name)
    )
    return [RenderedPanel(p.name, p.template, p.context(user)) for p in chosen]
