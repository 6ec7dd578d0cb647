"""Which URLs touch mentee data, and how to tell whose data it was.

Apps above register their URL names, per method, in their AppConfig.ready()
(see mentorship/audit_routes.py); the audit middleware then records every
permitted response (2xx; for a write also the redirect that follows it) and
every refusal (403/404) of a registered URL and method, pages and API alike.
To cover a new URL, register it:

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


_routes: dict[tuple[str, str], Route] = {}


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
    for method in methods:
        _routes[(url_name, method.upper())] = Route(action, object_type, kwarg, mentees, listed)


def route_for(url_name: str, method: str) -> Route | None:
    return _routes.get((url_name, method))


def registered() -> dict[tuple[str, str], Route]:
    return dict(_routes)


def api_result_rows(response: HttpResponse) -> list[dict]:
    """The rows of a DRF response: a page, a plain list, or one object."""
    data = getattr(response, "data", None)
    if isinstance(data, dict):
        rows = data.get("results", [data])
    else:
        rows = data or []
    return [row for row in rows if isinstance(row, dict)]


def api_result_ids(response: HttpResponse) -> list[int]:
    """The ids of a DRF response's rows: a page, a plain list, or one object."""
    return [row["id"] for row in api_result_rows(response) if "id" in row]


def api_result_mentees(request, response) -> list[int]:
    """The mentees a DRF response's rows name in their "mentee" column: the
    `listed` of a list whose rows carry it."""
    return sorted({row["mentee"] for row in api_result_rows(response) if "mentee" in row})
