"""Which consent, if any, lets the program disclose (42 CFR 2.31 and 2.33).

One rule, used by every disclosure (a warm-handoff referral, a letter, a
collateral contact) and by the pages that offer one: the newest consent of
the mentee that is signed, not revoked and not expired on the program's day,
for this purpose, naming this recipient (or, for treatment, payment and
health care operations, a health care provider fitting its general
designation), and covering every category asked for.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from core.dates import program_today
from mentorship.models import MenteeProfile

from .choices import RecipientKind
from .models import Consent, Resource


@dataclass(frozen=True)
class Recipient:
    """Who the information goes to: a directory entry, or a name in words."""

    name: str
    resource: Resource | None = None

    @classmethod
    def of(cls, resource: Resource) -> "Recipient":
        return cls(name=resource.organisation, resource=resource)


def same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def names_recipient(consent: Consent, recipient: Recipient) -> bool:
    if consent.recipient_kind == RecipientKind.GENERAL:
        # "My treating providers": a health care provider of the directory.
        return recipient.resource is not None and recipient.resource.is_health_care()
    if consent.recipient_resource_id is not None and recipient.resource is not None:
        if consent.recipient_resource_id == recipient.resource.pk:
            return True
    return bool(consent.recipient_name) and same_name(consent.recipient_name, recipient.name)


def consent_covering(
    *,
    mentee: MenteeProfile,
    recipient: Recipient,
    purpose: str,
    categories: Iterable[str],
    on: date | None = None,
) -> Consent | None:
    """The consent that covers this disclosure on `on` (the program's today
    by default), or None: one query."""
    wanted = frozenset(categories)
    if not wanted:
        return None
    day = on or program_today(mentee.program)
    candidates = (
        Consent.objects.filter(
            mentee=mentee, purpose=purpose, revoked_at__isnull=True, signed_at__lte=timezone.now()
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .order_by("-signed_at", "-pk")
    )
    for consent in candidates:
        if wanted <= consent.covered_categories() and names_recipient(consent, recipient):
            return consent
    return None
