"""The main navigation, by role. Apps above accounts add their links from
AppConfig.ready() so accounts never imports them."""

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


ALL_ROLES = frozenset({"admin", "coordinator", "mentor", "mentee"})
register(NavLink("Dashboard", "dashboard", ALL_ROLES, order=0))
register(NavLink("Programs", "accounts:program_list", frozenset({"admin"}), order=10))
register(
    NavLink(
        "Invitations", "accounts:invitation_list", frozenset({"admin", "coordinator"}), order=80
    )
)
register(NavLink("My account", "account_email", ALL_ROLES, order=90))
