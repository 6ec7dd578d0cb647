"""Which URLs touch mentee data, and how to tell whose data it was.

Apps above register their URL names in their AppConfig.ready() (see
mentorship/audit_routes.py); the audit middleware then records every
permitted response (2xx) and every refusal (403/404) of a registered URL,
pages and API alike. To cover a new URL, register it:

    register("checkins:detail", action=Action.READ, object_type="checkin",
             kwarg="pk", mentees=checkin_mentees)

`mentees(object_id)` looks the object up *unscoped* (a refused attempt still
names whose record it was); a list page instead calls `audit.shown(request,
ids)`, and an API list passes `listed(request, response)`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

MenteesOf = Callable[[str], Iterable[int]]
Listed = Callable[[HttpRequest, HttpResponse], Iterable[int]]


@dataclass(frozen=True)
class Route:
    action: str
    object_type: str
    kwarg: str | None = None
    mentees: MenteesOf | None = None
    listed: Listed | None = None
    methods: frozenset[str] = frozenset({"GET"})


_routes: dict[str, Route] = {}


def register(
    url_name: str,
    *,
    action: str,
    object_type: str,
    kwarg: str | None = None,
    mentees: MenteesOf | None = None,
    listed: Listed | None = None,
    methods: Iterable[str] = ("GET",),
) -> None:
    _routes[url_name] = Route(
        action, object_type, kwarg, mentees, listed, frozenset(m.upper() for m in methods)
    )


def route_for(url_name: str) -> Route | None:
    return _routes.get(url_name)


def registered() -> dict[str, Route]:
    return dict(_routes)


def api_result_ids(response: HttpResponse) -> list[int]:
    """The ids of a DRF list response's rows (paginated or not)."""
    data = getattr(response, "data", None)
    rows = data.get("results", []) if isinstance(data, dict) else data or []
    return [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
