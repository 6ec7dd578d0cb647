from django.utils import timezone

from referrals.choices import RecipientKind, SignedVia
from referrals.models import Consent, Resource


def make_resource(program, organisation="Sierra Recovery Center", **fields) -> Resource:
    """A directory entry straight into the table (the rules are tested on the service)."""
    defaults = {
        "categories": ["treatment"],
        "languages": ["en"],
        "phone": "916-555-0100",
        "last_verified_on": None,
    }
    return Resource.objects.create(program=program, organisation=organisation, **defaults | fields)


def make_consent(mentee, *, by=None, **fields) -> Consent:
    """An active consent for "Sierra Recovery Center", for linkage, covering
    attendance and the plan, expiring in a year (override any term)."""
    from core.dates import add_months, program_today

    defaults = {
        "categories": ["attendance", "plan"],
        "recipient_kind": RecipientKind.NAMED,
        "recipient_name": "Sierra Recovery Center",
        "purpose": "linkage",
        "expires_on": add_months(program_today(mentee.program), 12),
        "signed_via": SignedVia.PORTAL,
        "signed_name": mentee.legal_name or "Jordan Ellis",
        "signed_at": timezone.now(),
        "recorded_by": by or mentee.user or mentee.created_by,
    }
    return Consent.objects.create(mentee=mentee, **defaults | fields)
