from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Certification"

    def ready(self) -> None:
        from accounts.models import Role
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link
        from notifications.kinds import Kind
        from notifications.kinds import register as add_kind

        from . import dashboard  # noqa: F401  (panels register)

        def certification_page(pk: int) -> str:
            return reverse("certification:detail", args=[pk])

        for code, label in [
            ("cert_window_open", _("A certification renewal window is open")),
            ("cert_expiring_60", _("A certification expires in 60 days")),
            ("cert_expiring_30", _("A certification expires in 30 days")),
            ("cert_expiring_7", _("A certification expires in 7 days")),
            ("cert_lapsed", _("A certification has lapsed")),
            ("cert_ce_short", _("Continuing education hours are short for a renewal")),
            ("cert_background_check", _("A background check is needed for a certification")),
        ]:
            add_kind(Kind(code, label, certification_page))
        add_kind(
            Kind(
                "checkin_not_billable",
                _("Check-ins were logged that are not billable"),
                lambda pk: reverse("certification:report"),
            )
        )
        add_nav_link(
            NavLink(
                _("My certification"),
                "certification:mine",
                frozenset({Role.MENTOR, Role.COORDINATOR}),
                order=40,
            )
        )
        add_nav_link(
            NavLink(
                _("Certification report"),
                "certification:report",
                frozenset({Role.ADMIN, Role.COORDINATOR}),
                order=45,
            )
        )
        add_nav_link(
            NavLink(
                _("CE approvals"),
                "certification:ce_queue",
                frozenset({Role.ADMIN, Role.COORDINATOR}),
                order=46,
            )
        )
        add_nav_link(
            NavLink(
                _("Certification types"), "certification:types", frozenset({Role.ADMIN}), order=47
            )
        )
