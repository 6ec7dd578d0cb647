from django.apps import AppConfig
from django.urls import reverse


def _mentee_of_referral(referral_id: int) -> str:
    from .models import Referral

    mentee_id = Referral.objects.filter(pk=referral_id).values_list("mentee_id", flat=True).first()
    return reverse("mentorship:mentee_detail", args=[mentee_id]) if mentee_id else reverse("dashboard")


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals and consent"

    def ready(self) -> None:
        from mentorship.models import named_mentees
        from notifications.kinds import Kind
        from notifications.kinds import register as add_kind

        from .models import Referral

        def of_referrals(user, ids):
            return named_mentees(Referral.objects.all(), "mentee", user, ids)

        # The label goes into emails: what kind of reminder, never whom or where.
        add_kind(
            Kind(
                "referral_follow_up",
                "A referral's follow-up date has come",
                _mentee_of_referral,
                of_referrals,
            )
        )
