"""Referral follow-ups: one INSERT … SELECT per time zone, idempotent through
the notification key (the follow-up date), so a rerun or a second worker
reminds nobody twice."""

from datetime import datetime

from django.db.models import CharField, F
from django.db.models.functions import Cast

from accounts.models import Program
from core.dates import local_today
from notifications.services import notifications_insert_from

from .choices import OPEN_REFERRAL_STATUSES
from .models import Referral


def remind_referral_follow_ups(*, now: datetime | None = None) -> int:
    """The current mentor of each open referral whose follow-up date has come
    (a missed day is caught up the next), once per follow-up date."""
    created = 0
    for time_zone in Program.objects.values_list("time_zone", flat=True).distinct():
        today = local_today(time_zone, now)
        due = Referral.objects.filter(
            status__in=OPEN_REFERRAL_STATUSES,
            follow_up_on__lte=today,
            mentee__program__time_zone=time_zone,
            mentee__assignments__ended_at__isnull=True,
        )
        created += notifications_insert_from(
            kind="referral_follow_up",
            subject_model=Referral,
            queryset=due,
            recipient=F("mentee__assignments__mentor_id"),
            subject=F("pk"),
            due_key=Cast(F("follow_up_on"), output_field=CharField()),
        )
    return created
