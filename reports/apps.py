from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Program outcome reports"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.connect(_sqlite_functions, dispatch_uid="reports_sqlite_functions")
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
        for name in ("reports:outcomes_csv", "reports:outcomes_pdf", "api:report-outcomes"):
            audit_route(name, action=Action.EXPORT, object_type="outcome_report")
        # De-identified: no mentee can be named in the trail either.
        audit_route(
            "reports:mentee_months_csv", action=Action.EXPORT, object_type="deidentified_months"
        )
        # The follow-up list names mentees (audit.shown); an attempt names its mentee.
        audit_route("reports:follow_ups", action=Action.LIST, object_type="mentee")
        audit_route(
            "reports:follow_up_attempt",
            action=Action.CHANGE,
            object_type="follow_up",
            kwarg="mentee_id",
            mentees=lambda object_id: [int(object_id)],
            methods=["POST"],
        )
        from audit.registry import api_result_ids

        from .models import FollowUp

        def follow_up_mentees(object_id: str) -> list[int]:
            return list(
                FollowUp.objects.filter(pk=int(object_id)).values_list("mentee_id", flat=True)
            )

        def listed(request, response) -> list[int]:
            ids = api_result_ids(response)
            return list(
                FollowUp.objects.filter(pk__in=ids).values_list("mentee_id", flat=True).distinct()
            )

        audit_route(
            "api:follow-up-window-detail",
            action=Action.READ,
            object_type="follow_up",
            kwarg="pk",
            mentees=follow_up_mentees,
        )
        audit_route(
            "api:follow-up-window-list", action=Action.LIST, object_type="follow_up", listed=listed
        )
        add_nav_link(
            NavLink(
                _("Follow-ups"),
                "reports:follow_ups",
                frozenset({Role.COORDINATOR, Role.MENTOR}),
                order=47,
            )
        )
        from mentorship.models import MenteeProfile, named_mentees
        from notifications.kinds import Kind
        from notifications.kinds import register as add_kind

        # The label goes into emails: what kind of reminder, never whom.
        add_kind(
            Kind(
                "follow_up_window",
                _("A follow-up window has opened"),
                lambda mentee_id: reverse("reports:follow_ups"),
                lambda user, ids: named_mentees(MenteeProfile.objects.all(), "", user, ids),
            )
        )


def _sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite has no time zones: the end of a program's day is worked out by
    a function of ours (reports.services.DayEndsAt)."""
    if connection.vendor != "sqlite":
        return
    from .services import SQLITE_DAY_ENDS, sqlite_day_ends

    connection.connection.create_function(SQLITE_DAY_ENDS, 2, sqlite_day_ends, deterministic=True)
