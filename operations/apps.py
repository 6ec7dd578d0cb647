from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What the people who run Peerpath need: health checks, metrics, a record
    of every scheduled job's runs and the admins' operations page. At the top
    of the layers: it reads the notifications outbox and nothing reads it."""

    name = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from core.navigation import NavLink, register

        from . import runs

        runs.connect()
        register(NavLink(_("Operations"), "operations:page", frozenset({"admin"}), order=95))
