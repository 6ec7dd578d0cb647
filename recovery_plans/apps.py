from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RecoveryPlansConfig(AppConfig):
    name = "recovery_plans"
    verbose_name = "Recovery plans"

    def ready(self) -> None:
        from .audit_routes import register_routes as register_audit_routes

        register_audit_routes()
        from accounts.models import Role
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link
        from notifications.kinds import Kind
        from notifications.kinds import register as add_kind

        from . import dashboard  # noqa: F401  (panels register)

        def plan_page(pk: int) -> str:
            return reverse("recovery_plans:detail", args=[pk])

        from mentorship.models import named_mentees

        from .models import RecoveryPlan

        def of_plans(user, ids):
            return named_mentees(RecoveryPlan.objects.all(), "mentee", user, ids)

        # Labels go into emails: never a word of the plan itself. The in-app
        # list names the mentee whose plan it is.
        for code, label in [
            ("plan_review_soon", _("A recovery plan review is due in 7 days")),
            ("plan_review_past", _("A recovery plan review date has passed")),
            ("plan_to_acknowledge", _("Your recovery plan is ready to read")),
            # To the mentee's own inbox: not even the word "recovery".
            ("plan_changed", _("Your plan changed: please read it again")),
        ]:
            add_kind(Kind(code, label, plan_page, of_plans))
        add_nav_link(
            NavLink(
                _("Plans"),
                "recovery_plans:list",
                frozenset({Role.ADMIN, Role.COORDINATOR, Role.MENTOR}),
                order=25,
            )
        )
        add_nav_link(
            NavLink(_("My plan"), "recovery_plans:list", frozenset({Role.MENTEE}), order=15)
        )
