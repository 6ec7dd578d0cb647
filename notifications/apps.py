from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from accounts.models import ALL_ROLES
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link

        add_nav_link(NavLink(_("Notifications"), "notifications:list", ALL_ROLES, order=85))
