from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and programs"

    def ready(self) -> None:
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link

        from . import signals  # noqa: F401  (connects the login receiver)
        from .models import ALL_ROLES, Role

        add_nav_link(NavLink("Dashboard", "dashboard", ALL_ROLES, order=0))
        add_nav_link(
            NavLink("Programs", "accounts:program_list", frozenset({Role.ADMIN}), order=10)
        )
        add_nav_link(
            NavLink(
                "Invitations",
                "accounts:invitation_list",
                frozenset({Role.ADMIN, Role.COORDINATOR}),
                order=80,
            )
        )
        add_nav_link(NavLink("My account", "account_email", ALL_ROLES, order=90))
