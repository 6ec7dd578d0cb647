"""The main navigation, by role. Every app adds its links from
AppConfig.ready(), so the navigation imports no app."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 100


_links: dict[str, NavLink] = {}


def register(link: NavLink) -> None:
    _links[f"{link.url_name}|{link.label}"] = link


def links_for(user) -> list[tuple[str, str]]:
    chosen = sorted(
        (link for link in _links.values() if user.role in link.roles), key=lambda link: link.order
    )
    return [(link.label, reverse(link.url_name)) for link in chosen]
