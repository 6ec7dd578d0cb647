from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _mentee_of_schedule(schedule_id: int) -> str:
    from .models import CheckInSchedule

    mentee_id = (
        CheckInSchedule.objects.filter(pk=schedule_id)
        .values_list("assignment__mentee_id", flat=True)
        .first()
    )
    return reverse("checkins:timeline", args=[mentee_id]) if mentee_id else reverse("dashboard")


class CheckinsConfig(AppConfig):
    name = "checkins"
    verbose_name = "Check-ins"

    def ready(self) -> None:
        from .audit_routes import register_routes as register_audit_routes

        register_audit_routes()
        from accounts.models import Role
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link
        from notifications.kinds import Kind
        from notifications.kinds import register as add_kind
        from recovery_plans.goal_activity import register_goal_activity

        from . import dashboard, receivers  # noqa: F401  (panels and receivers register)
        from .selectors import checkins_by_goal

        # The plan page lists, under each goal, the check-ins that discussed it.
        register_goal_activity(checkins_by_goal)
        # The mentee list shows last contact, next due and who needs attention.
        from mentorship.mentee_list import register_mentee_list_columns

        from .mentee_list import COLUMNS

        register_mentee_list_columns(COLUMNS)

        from mentorship.models import MenteeProfile, named_mentees

        from .models import CheckIn, CheckInSchedule

        def of_schedules(user, ids):
            return named_mentees(CheckInSchedule.objects.all(), "assignment__mentee", user, ids)

        def of_checkins(user, ids):
            return named_mentees(CheckIn.objects.all(), "mentee", user, ids)

        def of_mentees(user, ids):
            return named_mentees(MenteeProfile.objects.all(), "", user, ids)

        # Labels go into emails: what kind of reminder, never whom or what
        # about; the in-app list names the mentee (`mentees`).
        for kind in [
            Kind("checkin_due", _("A check-in is due tomorrow"), _mentee_of_schedule, of_schedules),
            Kind("checkin_overdue", _("A check-in is overdue"), _mentee_of_schedule, of_schedules),
            Kind(
                "contact_gap_14",
                _("A mentee has had no contact for 14 days"),
                lambda pk: reverse("checkins:timeline", args=[pk]),
                of_mentees,
            ),
            Kind(
                "contact_gap_30",
                _("A mentee has had no contact for 30 days"),
                lambda pk: reverse("checkins:timeline", args=[pk]),
                of_mentees,
            ),
            Kind(
                "crisis_flag",
                _("A crisis was flagged in your program"),
                lambda pk: reverse("checkins:detail", args=[pk]),
                of_checkins,
            ),
            Kind(
                "self_checkin",
                _("A mentee sent a self check-in"),
                lambda pk: reverse("checkins:detail", args=[pk]),
                of_checkins,
            ),
            Kind(
                "recovery_capital_due",
                _("A recovery capital assessment is due"),
                lambda pk: reverse("checkins:assessment_new", args=[pk]),
                of_mentees,
            ),
        ]:
            add_kind(kind)
        add_nav_link(NavLink(_("Check in"), "checkins:self", frozenset({Role.MENTEE}), order=20))
        add_nav_link(
            NavLink(
                _("Groups"), "checkins:groups", frozenset({Role.COORDINATOR, Role.MENTOR}), order=28
            )
        )
