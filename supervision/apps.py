from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _supervision_home(_subject_id: int) -> str:
    return reverse("supervision:home")


def _approval_page(approval_id: int) -> str:
    return reverse("supervision:approval_detail", args=[approval_id])


def _follow_up_page(subject_id: int) -> str:
    return reverse("supervision:follow_up_detail", args=[subject_id])


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = "Supervision"

    def ready(self) -> None:
        from accounts.models import Role
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link
        from notifications.kinds import Kind
        from notifications.kinds import register as add_kind

        from . import dashboard, receivers  # noqa: F401  (panels and receivers register)
        from .audit_routes import register_routes

        register_routes()
        from core.report_figures import Section
        from core.report_figures import register as add_report_section

        from .selectors import supervision_figure

        # The outcome report's supervision figure: hours per month.
        add_report_section(Section("supervision", _("Supervision"), supervision_figure, order=20))
        add_nav_link(
            NavLink(
                _("Supervision"),
                "supervision:home",
                frozenset({Role.ADMIN, Role.COORDINATOR, Role.MENTOR}),
                order=70,
            )
        )
        # Labels go into emails: what kind of reminder, never whom.
        for code, label in [
            (
                "supervision_below_minimum",
                _("A supervisee is below the monthly supervision minimum"),
            ),
            ("crisis_debrief_overdue", _("A crisis debrief is overdue")),
            ("supervisor_training_overdue", _("Supervisor training is overdue")),
        ]:
            add_kind(Kind(code, label, _supervision_home))
        from mentorship.models import named_mentees

        from .models import FollowUpRequest

        def of_follow_ups(user, ids):
            return named_mentees(FollowUpRequest.objects.all(), "mentee", user, ids)

        # A link to the request, never its words: the request may name a court date.
        for code, label in [
            ("follow_up_requested", _("A follow-up was asked of you")),
            ("follow_up_answered", _("Your follow-up request was answered")),
        ]:
            add_kind(Kind(code, label, _follow_up_page, of_follow_ups))
        add_kind(
            Kind("approval_requested", _("A change is waiting for your approval"), _approval_page)
        )
        add_kind(
            Kind("approval_decided", _("Your request for approval was answered"), _approval_page)
        )

        # Plan activation, discharge and graduation ask this gate first.
        from core import approvals

        from .services import ApprovalGate

        approvals.register(ApprovalGate())
