from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Append-only, hash-chained records of access to mentee data. Beside core
    on the ground floor: apps above register their URLs (audit.registry)."""

    name = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from core.navigation import NavLink, register

        register(NavLink(_("Audit trail"), "audit:search", frozenset({"admin"}), order=90))
