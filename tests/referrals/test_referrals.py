"""Referrals and disclosures: a warm handoff shares only under a consent that
covers it, when it is made and again when it is sent; a letter is refused
without one and tells only the categories consented to."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from referrals import services
from referrals.consents import Recipient
from referrals.models import Disclosure, RecordIsFinal, Referral
from referrals.selectors import accounting_of_disclosures, letter_content, letter_still_covered
from tests.checkins.factories import make_checkin
from tests.referrals.factories import make_consent, make_resource

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 27, 5, tzinfo=UTC)  # Nov 26 in Sacramento
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sierra(program):
    return make_resource(program, "Sierra Recovery Center", categories=["treatment"])


def refer(mentee, by, resource, **overrides):
    fields = {
        "mentee": mentee,
        "by": by,
        "category": "treatment",
        "resource": resource,
        "reason": "Asked for outpatient treatment",
        "mode": "warm_handoff",
        "shared_categories": ["attendance"],
        "purpose": "linkage",
        "follow_up_on": TODAY + timedelta(days=7),
    }
    return services.referral_create(**fields | overrides)


# --- Making a referral ------------------------------------------------------------


def test_a_warm_handoff_without_consent_is_refused(mentee_profile, mentor, sierra):
    with pytest.raises(ValidationError) as refused:
        refer(mentee_profile, mentor, sierra)
    assert "information given to the mentee" in str(refused.value)
    assert not Referral.objects.exists()


def test_information_only_needs_no_consent_and_shares_nothing(mentee_profile, mentor, sierra):
    referral = refer(
        mentee_profile, mentor, sierra, mode="information_only", shared_categories=["all"]
    )
    assert (referral.consent, referral.shared_categories, referral.purpose) == (None, [], "")
    services.referral_move(referral=referral, by=mentor, to_status="sent")
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize(
    ("consent_terms", "why"),
    [
        ({"expires_on": TODAY - timedelta(days=1)}, "expired yesterday"),
        ({"recipient_name": "Delta Housing"}, "another recipient"),
        ({"purpose": "court"}, "another purpose"),
        ({"categories": ["plan"]}, "other information"),
    ],
)
def test_a_consent_that_does_not_cover_the_handoff_is_refused(
    mentee_profile, mentor, sierra, consent_terms, why
):
    make_consent(mentee_profile, **consent_terms)
    with pytest.raises(ValidationError):
        refer(mentee_profile, mentor, sierra)
    assert not Referral.objects.exists(), why


def test_a_revoked_consent_does_not_cover_the_handoff(mentee_profile, mentor, mentee, sierra):
    consent = make_consent(mentee_profile)
    services.consent_revoke(consent=consent, by=mentee)
    with pytest.raises(ValidationError):
        refer(mentee_profile, mentor, sierra)


def test_a_covered_handoff_is_disclosed_when_sent(mentee_profile, mentor, sierra):
    consent = make_consent(mentee_profile)
    referral = refer(mentee_profile, mentor, sierra)
    assert (referral.consent, referral.status, referral.proposed_on) == (consent, "proposed", TODAY)
    assert not Disclosure.objects.exists()
    sent = services.referral_move(referral=referral, by=mentor, to_status="sent")
    assert (sent.status, sent.sent_on) == ("sent", TODAY)
    disclosure = Disclosure.objects.get()
    assert (disclosure.consent, disclosure.kind, disclosure.referral) == (consent, "referral", sent)
    assert (disclosure.recipient_name, disclosure.resource) == ("Sierra Recovery Center", sierra)
    assert (disclosure.categories, disclosure.purpose) == (["attendance"], "linkage")
    assert (disclosure.disclosed_by, disclosure.disclosed_at) == (mentor, NOW)


def test_a_revocation_before_sending_stops_the_handoff(mentee_profile, mentor, mentee, sierra):
    consent = make_consent(mentee_profile)
    referral = refer(mentee_profile, mentor, sierra)
    services.consent_revoke(consent=consent, by=mentee)
    with pytest.raises(ValidationError):
        services.referral_move(referral=referral, by=mentor, to_status="sent")
    referral.refresh_from_db()
    assert referral.status == "proposed"
    assert not Disclosure.objects.exists()


def test_a_free_text_organisation_is_matched_by_name(mentee_profile, mentor):
    make_consent(mentee_profile, recipient_name="County Probation")
    referral = refer(
        mentee_profile, mentor, None, organisation="county probation", category="legal_aid"
    )
    services.referral_move(referral=referral, by=mentor, to_status="sent")
    assert Disclosure.objects.get().recipient_name == "county probation"


def test_a_referral_names_a_service_a_reason_and_a_future_follow_up(mentee_profile, mentor):
    with pytest.raises(ValidationError) as refused:
        refer(
            mentee_profile, mentor, None, mode="information_only", reason=" ",
            follow_up_on=TODAY - timedelta(days=1),
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"organisation", "reason", "follow_up_on"}
    referral = refer(
        mentee_profile, mentor, None, organisation="Food Bank", mode="information_only",
        follow_up_on=TODAY,
    )  # fmt: skip
    assert referral.follow_up_on == TODAY


def test_only_the_mentor_or_coordinators_refer(mentee_profile, other_mentor, mentee, sierra):
    for user in (other_mentor, mentee):
        with pytest.raises(PermissionDenied):
            refer(mentee_profile, user, sierra, mode="information_only")


def test_another_programs_resource_cannot_be_used(mentee_profile, mentor, other_program):
    elsewhere = make_resource(other_program, "Fresno House")
    with pytest.raises(ValidationError) as refused:
        refer(mentee_profile, mentor, elsewhere, mode="information_only")
    assert "resource" in refused.value.message_dict


# --- Statuses -------------------------------------------------------------------------


def test_statuses_move_on_with_their_dates(mentee_profile, mentor, sierra):
    referral = refer(mentee_profile, mentor, sierra, mode="information_only")
    with pytest.raises(ValidationError):
        services.referral_move(referral=referral, by=mentor, to_status="connected")
    services.referral_move(referral=referral, by=mentor, to_status="sent")
    accepted = services.referral_move(referral=referral, by=mentor, to_status="accepted")
    assert accepted.answered_on == TODAY
    again = services.referral_move(referral=referral, by=mentor, to_status="accepted")
    assert again.status == "accepted"
    with pytest.raises(ValidationError) as refused:
        services.referral_move(referral=referral, by=mentor, to_status="not_connected")
    assert "reason" in refused.value.message_dict
    done = services.referral_move(
        referral=referral, by=mentor, to_status="not_connected", reason="Waitlist closed"
    )
    assert (done.outcome_on, done.not_connected_reason) == (TODAY, "Waitlist closed")
    with pytest.raises(ValidationError):
        services.referral_move(referral=referral, by=mentor, to_status="connected")


def test_a_status_date_is_not_in_the_future_nor_before_the_proposal(mentee_profile, mentor):
    referral = refer(mentee_profile, mentor, None, organisation="X", mode="information_only")
    for day in (TODAY + timedelta(days=1), TODAY - timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.referral_move(referral=referral, by=mentor, to_status="sent", on=day)
    assert (
        services.referral_move(referral=referral, by=mentor, to_status="sent", on=TODAY).sent_on
        == TODAY
    )


# --- Letters ----------------------------------------------------------------------------


def letter(mentee, by, **overrides):
    fields = {
        "mentee": mentee,
        "by": by,
        "recipient": Recipient(name="Sierra Recovery Center"),
        "purpose": "linkage",
        "categories": ["attendance"],
    }
    return services.letter_issue(**fields | overrides)


def test_a_letter_without_a_matching_consent_is_refused(mentee_profile, mentor):
    with pytest.raises(ValidationError):
        letter(mentee_profile, mentor)
    make_consent(mentee_profile, categories=["attendance"])
    with pytest.raises(ValidationError):
        letter(mentee_profile, mentor, categories=["attendance", "substance_use"])
    with pytest.raises(ValidationError):
        letter(mentee_profile, mentor, purpose="court")
    assert not Disclosure.objects.exists()


def test_a_letter_tells_only_the_consented_categories(mentee_profile, mentor):
    make_checkin(mentee_profile, mentor, days_ago=3, substance_use_days=2, craving_level=5)
    make_consent(mentee_profile, categories=["attendance"])
    disclosure = letter(mentee_profile, mentor)
    assert (disclosure.kind, disclosure.categories) == ("letter", ["attendance"])
    content = letter_content(disclosure=disclosure)
    assert content.attendance["contacts"] == 1
    assert content.contact == {}
    assert content.substance_use == []
    assert content.checkins == []
    assert content.goals == []
    assert content.assessments == []


def test_a_letter_with_substance_use_consented_tells_it(mentee_profile, mentor):
    make_checkin(mentee_profile, mentor, days_ago=3, substance_use_days=2, craving_level=5)
    make_consent(mentee_profile, categories=["all"])
    content = letter_content(disclosure=letter(mentee_profile, mentor, categories=["all"]))
    assert [row["days"] for row in content.substance_use] == [2]
    assert content.contact == {"phone": mentee_profile.phone, "email": mentee_profile.email}


def test_after_revocation_the_letter_no_longer_prints_and_the_next_is_refused(
    mentee_profile, mentor, mentee
):
    consent = make_consent(mentee_profile)
    disclosure = letter(mentee_profile, mentor)
    assert letter_still_covered(disclosure)
    services.consent_revoke(consent=consent, by=mentee)
    assert not letter_still_covered(disclosure)
    with pytest.raises(ValidationError):
        letter(mentee_profile, mentor)


def test_only_the_mentor_or_coordinators_write_letters(mentee_profile, other_mentor, mentee):
    make_consent(mentee_profile)
    for user in (other_mentor, mentee):
        with pytest.raises(PermissionDenied):
            letter(mentee_profile, user)


# --- The accounting -----------------------------------------------------------------------


def test_a_disclosure_is_never_changed(mentee_profile, mentor):
    make_consent(mentee_profile)
    disclosure = letter(mentee_profile, mentor)
    with pytest.raises(RecordIsFinal):
        disclosure.save()
    with pytest.raises(RecordIsFinal):
        Disclosure.objects.update(recipient_name="Someone else")
    with pytest.raises(RecordIsFinal):
        Disclosure.objects.all().delete()


def test_the_accounting_covers_three_years_to_the_day(mentee_profile, mentor):
    make_consent(mentee_profile)
    inside = letter(mentee_profile, mentor)
    for days_ago in (3 * 365 + 1, 3 * 365 + 2):  # 2023-11-26 (kept) and 2023-11-25 (gone)
        with time_machine.travel(NOW - timedelta(days=days_ago), tick=False):
            make_consent(mentee_profile)
            letter(mentee_profile, mentor)
    rows = list(accounting_of_disclosures(mentee=mentee_profile))
    assert rows[0] == inside
    assert len(rows) == 2


def test_a_disclosure_under_an_expired_consent_is_refused(mentee_profile, mentor, sierra):
    """The expiry day is the last one covered: a letter that day, the next
    day neither a letter nor a warm handoff, and the earlier letter stops
    printing (its page and PDF ask letter_still_covered)."""
    make_consent(mentee_profile, categories=["attendance"], expires_on=TODAY)
    issued = letter(mentee_profile, mentor, categories=["attendance"])
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        with pytest.raises(ValidationError, match="No active consent"):
            letter(mentee_profile, mentor, categories=["attendance"])
        with pytest.raises(ValidationError, match="No active consent"):
            refer(mentee_profile, mentor, sierra, shared_categories=["attendance"])
        assert not letter_still_covered(issued)
    assert Disclosure.objects.get() == issued
