from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from accounts.models import ALL_ROLES
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link

        add_nav_link(NavLink("Notifications", "notifications:list", ALL_ROLES, order=85))
