from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Program outcome reports"

    def ready(self) -> None:
        from accounts.models import Role
        from audit.models import Action
        from audit.registry import register as audit_route
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link

        add_nav_link(
            NavLink(
                _("Outcome report"),
                "reports:outcomes",
                frozenset({Role.ADMIN, Role.COORDINATOR}),
                order=46,
            )
        )
        # The report holds aggregates only (small cells hidden): no mentee is
        # named, but who exported the tables, and when, is recorded.
        for name in ("reports:outcomes_csv", "api:report-outcomes"):
            audit_route(name, action=Action.EXPORT, object_type="outcome_report")
