"""Plan review reminders: one INSERT … SELECT per time zone and kind, idempotent
through the notification key (the review date)."""

from datetime import datetime, timedelta

from django.db.models import CharField, F
from django.db.models.functions import Cast

from accounts.models import Program
from core.dates import local_today
from notifications.services import notifications_insert_from

from .models import RecoveryPlan

REVIEW_NOTICE_DAYS = 7


def remind_plan_reviews(*, now: datetime | None = None) -> int:
    """The mentor: a plan's review is 7 days away, or its date has passed."""
    created = 0
    for time_zone in Program.objects.values_list("time_zone", flat=True).distinct():
        today = local_today(time_zone, now)
        active = RecoveryPlan.objects.filter(
            status=RecoveryPlan.Status.ACTIVE,
            mentee__program__time_zone=time_zone,
            mentee__assignments__ended_at__isnull=True,
        )
        for kind, plans in [
            (
                "plan_review_soon",
                active.filter(review_on=today + timedelta(days=REVIEW_NOTICE_DAYS)),
            ),
            ("plan_review_past", active.filter(review_on__lt=today)),
        ]:
            created += notifications_insert_from(
                kind=kind,
                subject_model=RecoveryPlan,
                queryset=plans,
                recipient=F("mentee__assignments__mentor_id"),
                subject=F("pk"),
                due_key=Cast(F("review_on"), output_field=CharField()),
            )
    return created
