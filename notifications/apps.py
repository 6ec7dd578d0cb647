from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from accounts.navigation import ALL_ROLES, NavLink
        from accounts.navigation import register as add_nav_link

        add_nav_link(NavLink("Notifications", "notifications:list", ALL_ROLES, order=85))
