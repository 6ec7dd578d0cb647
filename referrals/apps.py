from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _mentee_of_referral(referral_id: int) -> str:
    from .models import Referral

    mentee_id = Referral.objects.filter(pk=referral_id).values_list("mentee_id", flat=True).first()
    return reverse("referrals:mentee", args=[mentee_id]) if mentee_id else reverse("dashboard")


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals and consent"

    def ready(self) -> None:
        from accounts.models import Role
        from core.navigation import NavLink
        from core.navigation import register as add_nav_link
        from mentorship.models import named_mentees
        from notifications.kinds import Kind
        from notifications.kinds import register as add_kind

        from .audit_routes import register_routes
        from .models import Referral

        register_routes()
        from core.report_figures import Section
        from core.report_figures import register as add_report_section

        from .selectors import linkage_figure

        # The outcome report's linkage figure: referrals made and connected.
        add_report_section(Section("linkage", "Referrals", linkage_figure, order=10))
        from checkins.timeline_events import register_timeline_events

        from .selectors import referral_timeline_events

        # Referrals are instrumental support: they show in the mentee's timeline.
        register_timeline_events(referral_timeline_events)
        add_nav_link(
            NavLink(
                _("Resources"),
                "referrals:resource_list",
                frozenset({Role.ADMIN, Role.COORDINATOR, Role.MENTOR}),
                order=60,
            )
        )
        add_nav_link(
            NavLink(_("My consents"), "referrals:my_consents", frozenset({Role.MENTEE}), order=40)
        )

        def of_referrals(user, ids):
            return named_mentees(Referral.objects.all(), "mentee", user, ids)

        # The label goes into emails: what kind of reminder, never whom or where.
        add_kind(
            Kind(
                "referral_follow_up",
                _("A referral's follow-up date has come"),
                _mentee_of_referral,
                of_referrals,
            )
        )
