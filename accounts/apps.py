from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and programs"

    def ready(self) -> None:
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link

        from . import receivers, signals  # noqa: F401  (connect the receivers)
        from .models import ALL_ROLES, Role

        add_nav_link(NavLink(_("Dashboard"), "dashboard", ALL_ROLES, order=0))
        add_nav_link(
            NavLink(_("Programs"), "accounts:program_list", frozenset({Role.ADMIN}), order=10)
        )
        add_nav_link(
            NavLink(
                _("Invitations"),
                "accounts:invitation_list",
                frozenset({Role.ADMIN, Role.COORDINATOR}),
                order=80,
            )
        )
        add_nav_link(
            NavLink(
                _("People"),
                "accounts:people",
                frozenset({Role.ADMIN, Role.COORDINATOR}),
                order=75,
            )
        )
        add_nav_link(NavLink(_("My account"), "accounts:my_account", ALL_ROLES, order=90))
        # Mentees use the site, not the API: their navigation stays short.
        add_nav_link(
            NavLink(
                _("API access"),
                "accounts:api_tokens",
                frozenset({Role.ADMIN, Role.COORDINATOR, Role.MENTOR}),
                order=95,
            )
        )
