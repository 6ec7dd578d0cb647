"""Reading the trail: about one mentee, about the mentee themself (plain
language), and the admins' search."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from .models import AccessEvent, Action, Outcome


def events_about(mentee_id: int) -> QuerySet[AccessEvent]:
    return (
        AccessEvent.objects.filter(mentees__mentee_id=mentee_id)
        .select_related("user")
        .order_by("-id")
    )


def events_seen_by_others(mentee_id: int, *, own_user_id: int) -> QuerySet[AccessEvent]:
    """What the mentee sees: others' permitted looks at their record."""
    return events_about(mentee_id).exclude(user_id=own_user_id).filter(outcome=Outcome.ALLOWED)


@dataclass(frozen=True)
class SearchCriteria:
    who: str = ""  # an email address
    mentee_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def search(criteria: SearchCriteria) -> QuerySet[AccessEvent]:
    events = AccessEvent.objects.select_related("user").order_by("-id")
    if criteria.who:
        user_ids = get_user_model().objects.filter(email__iexact=criteria.who).values("pk")
        events = events.filter(user_id__in=user_ids)
    if criteria.mentee_id is not None:
        events = events.filter(mentees__mentee_id=criteria.mentee_id)
    if criteria.action:
        events = events.filter(action=criteria.action)
    if criteria.date_from:
        events = events.filter(at__gte=_start_of(criteria.date_from))
    if criteria.date_to:
        events = events.filter(at__lt=_start_of(criteria.date_to + timedelta(days=1)))
    return events


def _start_of(day: date) -> datetime:
    # The day as the person searching reads it: the zone the pages show times in.
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


ROLE_PHRASES = {
    "admin": "An administrator",
    "coordinator": "A coordinator",
    "mentor": "A peer mentor",
    "mentee": "A mentee",
}
OBJECT_PHRASES = {
    "mentee": "your record",
    "checkin": "a check-in",
    "plan": "your recovery plan",
    "assessment": "a recovery capital assessment",
    "consent": "your consent",
    "file": "a file",
}


def plain_sentence(event: AccessEvent) -> str:
    """ "A coordinator viewed your recovery plan." Roles, never names: the
    mentee learns who kind of person looked, not which colleague."""
    who = ROLE_PHRASES.get(event.role, "Someone on staff")
    what = OBJECT_PHRASES.get(event.object_type, "your information")
    if event.action == Action.LIST:
        return f"{who} saw you in a list of {_plural(event.object_type)}."
    verb = Action(event.action).label if event.action in Action.values else "opened"
    return f"{who} {verb} {what}."


def _plural(object_type: str) -> str:
    return {"mentee": "mentees", "checkin": "check-ins", "plan": "recovery plans"}.get(
        object_type, "records"
    )
