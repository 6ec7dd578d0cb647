from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Mentorship"

    def ready(self) -> None:
        from .audit_routes import register_routes as register_audit_routes

        register_audit_routes()
        from accounts.models import Role
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link

        from . import dashboard, receivers  # noqa: F401  (panels and receivers register)

        add_nav_link(
            NavLink(
                "Mentees",
                "mentorship:mentee_list",
                frozenset({Role.ADMIN, Role.COORDINATOR, Role.MENTOR}),
                order=20,
            )
        )
        add_nav_link(
            NavLink(
                "Mentors",
                "mentorship:mentor_list",
                frozenset({Role.ADMIN, Role.COORDINATOR}),
                order=30,
            )
        )
