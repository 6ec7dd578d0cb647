"""The demo: a 30-entry directory per program, consents in every state,
referrals in every status, a letter; running it twice adds nothing."""

import pytest
from django.core.management import call_command

from accounts.models import Program
from core.dates import program_today
from referrals.choices import ReferralStatus
from referrals.models import Consent, Disclosure, Referral, Resource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _certification_types():
    from tests.certification.factories import seeded_types

    seeded_types()


def test_the_demo_has_every_state_and_is_idempotent():
    call_command("seed_demo")
    for program in Program.objects.all():
        today = program_today(program)
        assert Resource.objects.filter(program=program).count() == 30
        assert Resource.objects.filter(program=program).unverified_on(today).exists()
        states = {c.state_on(today) for c in Consent.objects.filter(mentee__program=program)}
        assert states == {"active", "expired", "revoked"}
        statuses = set(
            Referral.objects.filter(mentee__program=program).values_list("status", flat=True)
        )
        assert statuses == set(ReferralStatus.values)
        assert Disclosure.objects.filter(mentee__program=program, kind="letter").exists()
    counts = (Resource.objects.count(), Consent.objects.count(), Referral.objects.count())
    call_command("seed_demo")
    assert (Resource.objects.count(), Consent.objects.count(), Referral.objects.count()) == counts
