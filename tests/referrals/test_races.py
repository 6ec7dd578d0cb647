"""Consents and referrals racing, on PostgreSQL, in both orders (the house
pattern of tests/mentorship/test_people_races.py).

A revocation and every disclosure under a consent take the same lock
(services.lock_consent); a referral's move locks the referral first. The
first caller stops right after it holds the consent's lock; the second runs
until it waits on a lock (or ends); then the first goes on. Whoever is first
wins, the second answers like the first caller (the same revocation, the
same sent referral) or with a plain refusal: never a deadlock or a 500, never
a disclosure under a consent revoked before it.
"""

import threading

import pytest

from referrals import services
from referrals.consents import Recipient
from referrals.models import Consent, Disclosure, Referral
from tests.mentorship.test_people_races import FIRST, OK, SECOND, WAIT_SECONDS, Race, refused
from tests.referrals.factories import make_consent, make_resource
from tests.services import require_postgres

pytestmark = pytest.mark.django_db(transaction=True)


class PauseAfter(Race):
    """The first caller stops right after `pause_after` returns: it holds
    what that function locked."""

    def __init__(self, monkeypatch, pause_after):
        module, name = pause_after
        original = getattr(module, name)
        super().__init__(monkeypatch, pause_after)

        def pausing(*args, **kwargs):
            result = original(*args, **kwargs)
            if threading.current_thread().name == FIRST and not self.go_on.is_set():
                self.reached.set()
                self.go_on.wait(WAIT_SECONDS)
            return result

        monkeypatch.setattr(module, name, pausing)


@pytest.fixture
def jordan(mentee_profile):
    require_postgres()
    mentee_profile.legal_name = "Jordan Ellis"
    mentee_profile.save(update_fields=["legal_name"])
    return mentee_profile


@pytest.fixture
def consent(jordan):
    return make_consent(jordan)


@pytest.fixture
def referral(jordan, mentor, consent, program):
    return services.referral_create(
        mentee=jordan, by=mentor, category="treatment", reason="Asked for IOP",
        mode="warm_handoff", resource=make_resource(program), shared_categories=["attendance"],
        purpose="linkage",
    )  # fmt: skip


def race(monkeypatch, first, second) -> tuple[dict, dict]:
    """Run the two callers; (what each got, what each returned)."""
    returned: dict[str, object] = {}

    def keeping(who, call):
        return lambda: returned.__setitem__(who, call())

    outcome = PauseAfter(monkeypatch, (services, "lock_consent")).run(
        keeping(FIRST, first), keeping(SECOND, second)
    )
    return outcome, returned


def test_two_revocations_at_once_answer_like_the_first(monkeypatch, consent, mentee, mentor):
    outcome, returned = race(
        monkeypatch,
        lambda: services.consent_revoke(consent=consent, by=mentee, note="Changed my mind"),
        lambda: services.consent_revoke(consent=consent, by=mentor, note="Asked by phone"),
    )
    assert outcome == {FIRST: OK, SECOND: OK}, outcome
    first, second = returned[FIRST], returned[SECOND]
    assert (second.revoked_at, second.revoked_by, second.revocation_note) == (
        first.revoked_at, mentee, "Changed my mind",
    )  # fmt: skip
    assert Consent.objects.get().revoked_by == mentee


def test_a_referral_sent_while_its_consent_is_revoked_is_refused(
    monkeypatch, referral, consent, mentee, mentor
):
    outcome, _ = race(
        monkeypatch,
        lambda: services.consent_revoke(consent=consent, by=mentee),
        lambda: services.referral_move(referral=referral, by=mentor, to_status="sent"),
    )
    assert outcome[FIRST] == OK, outcome
    assert refused(outcome[SECOND]) and "No active consent" in outcome[SECOND][0], outcome
    assert Referral.objects.get().status == "proposed"
    assert not Disclosure.objects.exists()


def test_a_referral_sent_before_the_revocation_is_disclosed_once(
    monkeypatch, referral, consent, mentee, mentor
):
    outcome, _ = race(
        monkeypatch,
        lambda: services.referral_move(referral=referral, by=mentor, to_status="sent"),
        lambda: services.consent_revoke(consent=consent, by=mentee),
    )
    assert outcome == {FIRST: OK, SECOND: OK}, outcome
    disclosure = Disclosure.objects.get()
    assert (disclosure.kind, disclosure.consent_id) == ("referral", consent.pk)
    consent.refresh_from_db()
    assert consent.revoked_at > disclosure.disclosed_at
    assert Referral.objects.get().status == "sent"


def test_one_referral_sent_twice_at_once_answers_like_the_first(
    monkeypatch, referral, coordinator, mentor
):
    outcome, returned = race(
        monkeypatch,
        lambda: services.referral_move(referral=referral, by=mentor, to_status="sent"),
        lambda: services.referral_move(referral=referral, by=coordinator, to_status="sent"),
    )
    assert outcome == {FIRST: OK, SECOND: OK}, outcome
    assert returned[SECOND].status == "sent" and returned[SECOND].sent_on == returned[FIRST].sent_on
    assert Disclosure.objects.get().disclosed_by == mentor


@pytest.mark.parametrize("first", ["letter", "revocation"])
def test_a_letter_and_a_revocation_at_once(monkeypatch, jordan, consent, mentee, mentor, first):
    calls = {
        "letter": lambda: services.letter_issue(
            mentee=jordan,
            by=mentor,
            recipient=Recipient(name="Sierra Recovery Center"),
            purpose="linkage",
            categories=["attendance"],
        ),  # fmt: skip
        "revocation": lambda: services.consent_revoke(consent=consent, by=mentee),
    }
    other = "revocation" if first == "letter" else "letter"
    outcome, _ = race(monkeypatch, calls[first], calls[other])
    assert outcome[FIRST] == OK, outcome
    if first == "letter":
        assert outcome[SECOND] == OK, outcome
        assert Disclosure.objects.count() == 1
    else:
        assert refused(outcome[SECOND]), outcome
        assert not Disclosure.objects.exists()
    assert Consent.objects.get().revoked_by == mentee


def test_a_consent_signed_while_another_is_revoked(monkeypatch, jordan, consent, mentee):
    """Signing takes no lock of another consent: both go through, and the
    new consent covers what the revoked one no longer does."""
    from tests.accounts.factories import program_day

    outcome, returned = race(
        monkeypatch,
        lambda: services.consent_revoke(consent=consent, by=mentee),
        lambda: services.consent_sign(
            mentee=jordan,
            signer=mentee,
            signed_name="Jordan Ellis",
            agreed=True,
            categories=["attendance"],
            recipient_name="Sierra Recovery Center",
            purpose="linkage",
            expires_on=program_day(),
        ),  # fmt: skip
    )
    assert outcome == {FIRST: OK, SECOND: OK}, outcome
    assert Consent.objects.get(pk=consent.pk).revoked_at is not None
    signed = returned[SECOND]
    assert Consent.objects.get(pk=signed.pk).revoked_at is None
