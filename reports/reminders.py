"""Follow-up windows: the daily sweep tells a mentee's current mentor when
one of their follow-up windows opens (a missed day is caught up while the
window is open). One INSERT … SELECT per time zone for all four points,
idempotent through the notification key (the point and the day its window
opened): a rerun or a second worker tells nobody twice. Ids only."""

from datetime import datetime, timedelta

from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Concat

from accounts.models import Program
from core.dates import local_today
from mentorship.models import MenteeProfile
from notifications.services import NotificationSource, notifications_insert_from

from .follow_ups import CLOSED_STATUSES, FROM_DISCHARGE, FROM_INTAKE, Point
from .models import FollowUp

KIND = "follow_up_window"


def _not_done(point: str) -> Q:
    return ~Q(
        pk__in=FollowUp.objects.filter(point=point, completed_on__isnull=False).values("mentee_id")
    )


def remind_follow_up_windows(*, now: datetime | None = None) -> int:
    created = 0
    for time_zone in Program.objects.values_list("time_zone", flat=True).distinct():
        today = local_today(time_zone, now)
        with_mentor = MenteeProfile.objects.filter(
            program__time_zone=time_zone, assignments__ended_at__isnull=True
        )
        sources = []
        for point, (first, last) in FROM_INTAKE.items():
            # The window is open today: intake + first <= today <= intake + last.
            open_now = with_mentor.exclude(status__in=CLOSED_STATUSES).filter(
                _not_done(point),
                intake_date__lte=today - timedelta(days=first),
                intake_date__gte=today - timedelta(days=last),
            )
            sources.append(
                NotificationSource(
                    open_now,
                    KIND,
                    F("assignments__mentor_id"),
                    F("pk"),
                    Concat(Value(f"{point}:"), Cast("intake_date", CharField())),
                )
            )
        # The closeout goes to the mentor whose assignment was the last one.
        closing = MenteeProfile.objects.filter(
            _not_done(Point.CLOSEOUT),
            program__time_zone=time_zone,
            status__in=CLOSED_STATUSES,
            status_changed_on__lte=today - timedelta(days=FROM_DISCHARGE[0]),
            status_changed_on__gte=today - timedelta(days=FROM_DISCHARGE[1]),
            assignments__ended_at__isnull=False,
            assignments__ended_at__date__gte=F("status_changed_on"),
        )
        sources.append(
            NotificationSource(
                closing,
                KIND,
                F("assignments__mentor_id"),
                F("pk"),
                Concat(Value(f"{Point.CLOSEOUT}:"), Cast("status_changed_on", CharField())),
            )
        )
        created += notifications_insert_from(subject_model=MenteeProfile, sources=sources)
    return created
