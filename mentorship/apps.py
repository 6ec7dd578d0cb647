from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _access_history_of_grant(grant_id: int) -> str:
    """The mentee's access history: where the coordinators see who opened it."""
    from .models import BreakGlassGrant

    mentee_id = (
        BreakGlassGrant.objects.filter(pk=grant_id).values_list("mentee_id", flat=True).first()
    )
    if mentee_id is None:
        return reverse("dashboard")
    return reverse("mentorship:mentee_access_history", args=[mentee_id])


def _mentee_of_assignment(assignment_id: int) -> str:
    from .models import Assignment

    mentee_id = (
        Assignment.objects.filter(pk=assignment_id).values_list("mentee_id", flat=True).first()
    )
    if mentee_id is None:
        return reverse("dashboard")
    return reverse("mentorship:mentee_detail", args=[mentee_id])


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Mentorship"

    def ready(self) -> None:
        from .audit_routes import register_routes as register_audit_routes

        register_audit_routes()
        from .people import register as register_people_rules

        register_people_rules()
        from .languages import register as register_languages

        # A mentee reads her record's preferred language (accounts.languages).
        register_languages()
        from accounts.models import Role
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link
        from notifications.kinds import Kind
        from notifications.kinds import register as add_kind

        from . import dashboard, receivers  # noqa: F401  (panels and receivers register)

        add_nav_link(
            NavLink(
                _("Mentees"),
                "mentorship:mentee_list",
                frozenset({Role.ADMIN, Role.COORDINATOR, Role.MENTOR}),
                order=20,
            )
        )
        add_nav_link(
            NavLink(
                _("Emergency access"),
                "mentorship:break_glass",
                frozenset({Role.ADMIN, Role.COORDINATOR}),
                order=90,
            )
        )
        from .models import Assignment, BreakGlassGrant, named_mentees

        # Labels go into emails: what happened, never whose record; the
        # in-app list names the mentee for those who still reach them.
        add_kind(
            Kind(
                "break_glass",
                _("An admin opened a mentee record in an emergency"),
                _access_history_of_grant,
                lambda user, ids: named_mentees(BreakGlassGrant.objects.all(), "mentee", user, ids),
            )
        )
        add_kind(
            Kind(
                "mentee_assigned",
                _("A mentee was assigned to you"),
                _mentee_of_assignment,
                lambda user, ids: named_mentees(Assignment.objects.all(), "mentee", user, ids),
            )
        )
        add_nav_link(
            NavLink(
                _("Mentors"),
                "mentorship:mentor_list",
                frozenset({Role.ADMIN, Role.COORDINATOR}),
                order=30,
            )
        )
