"""Reading the trail: about one mentee, about the mentee themself (plain
language), and the admins' search."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AccessEvent, Action, Outcome

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


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


# What the mentee reads (in her language): roles, never names.
ROLE_PHRASES: dict[str, "_StrPromise"] = {
    "admin": _("An administrator"),
    "coordinator": _("A coordinator"),
    "mentor": _("A peer mentor"),
    "mentee": _("A mentee"),
}
OBJECT_PHRASES: dict[str, "_StrPromise"] = {
    "mentee": _("your record"),
    "checkin": _("a check-in"),
    "plan": _("your recovery plan"),
    "assessment": _("a recovery capital assessment"),
    "consent": _("your consent"),
    "file": _("a file"),
}
# One whole sentence per action, so that each language orders its own words.
SENTENCES: dict[str, "_StrPromise"] = {
    Action.READ: _("%(who)s viewed %(what)s."),
    Action.EXPORT: _("%(who)s exported %(what)s."),
    Action.PRINT: _("%(who)s printed %(what)s."),
    Action.CREATE: _("%(who)s created %(what)s."),
    Action.CHANGE: _("%(who)s changed %(what)s."),
    Action.DELETE: _("%(who)s deleted %(what)s."),
    Action.DOWNLOAD: _("%(who)s downloaded %(what)s."),
    Action.DENIED: _("%(who)s was refused %(what)s."),
    Action.BREAK_GLASS: _("%(who)s opened %(what)s in an emergency."),
}
LISTS: dict[str, "_StrPromise"] = {
    "mentee": _("%(who)s saw you in a list of mentees."),
    "checkin": _("%(who)s saw you in a list of check-ins."),
    "plan": _("%(who)s saw you in a list of recovery plans."),
}


def plain_sentence(event: AccessEvent) -> str:
    """ "A coordinator viewed your recovery plan." Roles, never names: the
    mentee learns who kind of person looked, not which colleague."""
    who = ROLE_PHRASES.get(event.role, _("Someone on staff"))
    if event.action == Action.LIST:
        sentence = LISTS.get(event.object_type, _("%(who)s saw you in a list of records."))
        return str(sentence) % {"who": who}
    what = OBJECT_PHRASES.get(event.object_type, _("your information"))
    sentence = SENTENCES.get(event.action, _("%(who)s opened %(what)s."))
    return str(sentence) % {"who": who, "what": what}
