"""Plan review reminders: one INSERT … SELECT for both kinds and every time
zone, idempotent through the notification key (the review date)."""

from datetime import datetime, timedelta

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast

from accounts.selectors import program_days
from core.dates import dated_on, on_each_calendar
from notifications.services import notifications_insert_from

from .models import RecoveryPlan

REVIEW_NOTICE_DAYS = 7


def remind_plan_reviews(*, now: datetime | None = None) -> int:
    """The mentor: a plan's review is 7 days away, or its date has passed."""
    days = dated_on("mentee__program__time_zone", program_days(now))
    soon = on_each_calendar(
        days, lambda today: Q(review_on=today + timedelta(days=REVIEW_NOTICE_DAYS))
    )
    past = on_each_calendar(days, lambda today: Q(review_on__lt=today))
    plans = RecoveryPlan.objects.filter(
        soon | past,
        status=RecoveryPlan.Status.ACTIVE,
        mentee__assignments__ended_at__isnull=True,
    )
    return notifications_insert_from(
        kind=Case(When(soon, then=Value("plan_review_soon")), default=Value("plan_review_past")),
        subject_model=RecoveryPlan,
        queryset=plans,
        recipient=F("mentee__assignments__mentor_id"),
        subject=F("pk"),
        due_key=Cast(F("review_on"), output_field=CharField()),
    )
