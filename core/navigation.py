"""The main navigation, by role. Every app adds its links from
AppConfig.ready(), so the navigation imports no app."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavLink:
    label: str  # gettext_lazy: each reader sees it in their language
    url_name: str
    roles: frozenset[str]
    order: int = 100


_links: dict[str, NavLink] = {}


def register(link: NavLink) -> None:
    # By page and roles, not label: a label is translated when shown.
    _links[f"{link.url_name}|{sorted(link.roles)}"] = link


def links_for(user) -> list[tuple[str, str]]:
    chosen = sorted(
        (link for link in _links.values() if user.role in link.roles), key=lambda link: link.order
    )
    return [(link.label, reverse(link.url_name)) for link in chosen]
