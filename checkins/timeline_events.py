"""What other apps add to a mentee's timeline.

checkins sits below referrals (and the apps beside it) in the layer order, so
it cannot read their tables; instead an app registers a provider here from
its AppConfig.ready(): provider(mentee) -> [TimelineEvent], in a fixed number
of queries whatever the record's size. The timeline shows them among the
check-ins (today: referrals, as instrumental support)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mentorship.models import MenteeProfile


@dataclass(frozen=True)
class TimelineEvent:
    day: date
    label: str
    url: str
    detail: str = ""
    support_type: str = ""  # a checkins.models.SupportType value, when it is support given

    @property
    def support_label(self) -> str:
        """The support type in the reader's words ("instrumental")."""
        from .models import SupportType

        return str(SupportType(self.support_type).label) if self.support_type else ""


Provider = Callable[["MenteeProfile"], Sequence[TimelineEvent]]

_providers: list[Provider] = []


def register_timeline_events(provider: Provider) -> None:
    if provider not in _providers:  # ready() may run more than once
        _providers.append(provider)


def timeline_events(mentee: "MenteeProfile") -> list[TimelineEvent]:
    return [event for provider in _providers for event in provider(mentee)]
