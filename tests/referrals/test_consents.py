"""Part 2 consent (42 CFR 2.31): signing, recording, revoking, never editing,
and the one rule every disclosure asks (consent_covering)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from referrals import services
from referrals.consents import Recipient, consent_covering
from referrals.models import Consent, RecordIsFinal
from tests.referrals.factories import make_consent, make_resource

pytestmark = pytest.mark.django_db

# 05:00 UTC on Nov 27 is still Nov 26 in Sacramento: the program's today.
NOW = datetime(2026, 11, 27, 5, tzinfo=UTC)
TODAY = date(2026, 11, 26)
SIERRA = Recipient(name="Sierra Recovery Center")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def jordan(mentee_profile):
    mentee_profile.legal_name = "Jordan Ellis"
    mentee_profile.save(update_fields=["legal_name"])
    return mentee_profile


def covering(mentee, recipient=SIERRA, purpose="linkage", categories=("attendance",), on=None):
    return consent_covering(
        mentee=mentee, recipient=recipient, purpose=purpose, categories=categories, on=on
    )


def sign(mentee, user, **overrides):
    fields = {
        "mentee": mentee,
        "signer": user,
        "signed_name": "Jordan Ellis",
        "agreed": True,
        "ip": "203.0.113.9",
        "categories": ["attendance", "plan"],
        "recipient_name": "Sierra Recovery Center",
        "purpose": "linkage",
        "expires_on": TODAY + timedelta(days=180),
    }
    return services.consent_sign(**fields | overrides)


# --- Signing in the portal ------------------------------------------------------


def test_the_mentee_signs_with_name_checkbox_time_and_address(jordan, mentee):
    consent = sign(jordan, mentee, signed_name="  jordan   ELLIS ")
    assert consent.signed_via == "portal"
    assert consent.signed_name == "jordan ELLIS"
    assert consent.signed_at == NOW
    assert consent.signed_ip == "203.0.113.9"
    assert consent.recorded_by == mentee
    assert covering(jordan) == consent


def test_signing_needs_the_box_ticked(jordan, mentee):
    with pytest.raises(ValidationError) as refused:
        sign(jordan, mentee, agreed=False)
    assert "agreed" in refused.value.message_dict
    assert not Consent.objects.exists()


def test_signing_needs_the_full_name_on_record(jordan, mentee):
    with pytest.raises(ValidationError) as refused:
        sign(jordan, mentee, signed_name="Jordan")
    assert "signed_name" in refused.value.message_dict


def test_only_the_mentee_signs_in_the_portal(jordan, mentor, other_mentee):
    for user in (mentor, other_mentee):
        with pytest.raises(PermissionDenied):
            sign(jordan, user)
    assert not Consent.objects.exists()


def test_expiry_today_is_accepted_yesterday_is_refused(jordan, mentee):
    assert sign(jordan, mentee, expires_on=TODAY).expires_on == TODAY
    with pytest.raises(ValidationError) as refused:
        sign(jordan, mentee, expires_on=TODAY - timedelta(days=1))
    assert "expires_on" in refused.value.message_dict


def test_a_consent_states_a_date_or_an_event(jordan, mentee):
    with pytest.raises(ValidationError):
        sign(jordan, mentee, expires_on=None)
    consent = sign(jordan, mentee, expires_on=None, expiry_event="When I leave the program")
    assert consent.expiry_event == "When I leave the program"


def test_a_general_designation_is_only_for_treatment(jordan, mentee):
    with pytest.raises(ValidationError) as refused:
        sign(jordan, mentee, recipient_kind="general", recipient_name="", purpose="linkage")
    assert "recipient_kind" in refused.value.message_dict
    consent = sign(jordan, mentee, recipient_kind="general", recipient_name="", purpose="treatment")
    assert consent.recipient_display() == "my treating providers (general designation)"


def test_a_named_consent_names_someone(jordan, mentee):
    with pytest.raises(ValidationError) as refused:
        sign(jordan, mentee, recipient_name="  ")
    assert "recipient_name" in refused.value.message_dict


def test_another_programs_resource_cannot_be_named(jordan, mentee, other_program):
    elsewhere = make_resource(other_program, "Fresno House")
    with pytest.raises(ValidationError) as refused:
        sign(jordan, mentee, recipient_resource=elsewhere, recipient_name="")
    assert "recipient_resource" in refused.value.message_dict


def test_naming_a_resource_takes_its_name(jordan, mentee, program):
    sierra = make_resource(program)
    consent = sign(jordan, mentee, recipient_resource=sierra, recipient_name="")
    assert consent.recipient_name == "Sierra Recovery Center"
    assert covering(jordan, Recipient.of(sierra)) == consent


# --- Recorded by staff ------------------------------------------------------------


def test_staff_record_a_paper_consent_dated_today_or_before(jordan, mentor, other_mentor):
    fields = {
        "mentee": jordan,
        "recorded_by": mentor,
        "signed_name": "Jordan Ellis",
        "categories": ["all"],
        "recipient_name": "Probation Dept",
        "purpose": "court",
        "expires_on": TODAY + timedelta(days=30),
    }
    with pytest.raises(ValidationError) as refused:
        services.consent_record(**fields, signed_on=TODAY + timedelta(days=1))
    assert "signed_on" in refused.value.message_dict
    today = services.consent_record(**fields, signed_on=TODAY)
    assert (today.signed_via, today.signed_at) == ("staff", NOW)
    earlier = services.consent_record(**fields, signed_on=TODAY - timedelta(days=2))
    assert earlier.signed_at == datetime(2026, 11, 24, 8, tzinfo=UTC)  # midnight in Sacramento
    with pytest.raises(PermissionDenied):
        services.consent_record(**(fields | {"recorded_by": other_mentor}), signed_on=TODAY)


# --- Never edited, revoked at once -------------------------------------------------


def test_a_consent_is_never_edited_or_deleted(jordan):
    consent = make_consent(jordan)
    consent.purpose = "court"
    with pytest.raises(RecordIsFinal):
        consent.save()
    with pytest.raises(RecordIsFinal):
        Consent.objects.filter(pk=consent.pk).update(purpose="court")
    with pytest.raises(RecordIsFinal):
        consent.delete()
    with pytest.raises(RecordIsFinal):
        Consent.objects.all().delete()
    assert Consent.objects.get().purpose == "linkage"


def test_revocation_takes_effect_at_once(jordan, mentee):
    consent = make_consent(jordan)
    assert covering(jordan) == consent
    revoked = services.consent_revoke(consent=consent, by=mentee, note="Changed my mind")
    assert (revoked.revoked_at, revoked.revoked_by) == (NOW, mentee)
    assert revoked.state_on(TODAY) == "revoked"
    assert covering(jordan) is None


def test_revoking_twice_answers_like_the_first_time(jordan, mentee, mentor):
    consent = make_consent(jordan)
    first = services.consent_revoke(consent=consent, by=mentee)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        second = services.consent_revoke(consent=consent, by=mentor, note="again")
    assert (second.revoked_at, second.revoked_by, second.revocation_note) == (
        first.revoked_at,
        mentee,
        "",
    )


def test_staff_revoke_and_nobody_else(jordan, mentor, coordinator, other_mentor, other_mentee):
    consent = make_consent(jordan)
    for user in (other_mentor, other_mentee):
        with pytest.raises(PermissionDenied):
            services.consent_revoke(consent=consent, by=user)
    assert services.consent_revoke(consent=consent, by=coordinator).revoked_by == coordinator


# --- consent_covering: every rule -------------------------------------------------


def test_no_consent_covers_nothing(jordan):
    assert covering(jordan) is None


def test_the_expiry_date_is_the_last_day_covered(jordan):
    consent = make_consent(jordan, expires_on=TODAY)
    assert covering(jordan, on=TODAY - timedelta(days=1)) == consent
    assert covering(jordan, on=TODAY) == consent
    assert covering(jordan, on=TODAY + timedelta(days=1)) is None
    assert consent.state_on(TODAY + timedelta(days=1)) == "expired"


def test_expiry_is_judged_on_the_programs_day_not_utc(jordan):
    # In UTC it is already Nov 27; in Sacramento the consent's last day.
    consent = make_consent(jordan, expires_on=TODAY)
    assert covering(jordan) == consent


def test_an_event_expiry_covers_until_revoked(jordan, mentee):
    consent = make_consent(jordan, expires_on=None, expiry_event="When I finish treatment")
    assert covering(jordan, on=TODAY + timedelta(days=3650)) == consent
    services.consent_revoke(consent=consent, by=mentee, note="Finished treatment")
    assert covering(jordan) is None


def test_another_recipient_is_not_covered(jordan):
    make_consent(jordan)
    assert covering(jordan, Recipient(name="Delta Housing")) is None
    assert covering(jordan, Recipient(name="sierra  recovery center")) is not None


def test_another_purpose_is_not_covered(jordan):
    make_consent(jordan, purpose="linkage")
    assert covering(jordan, purpose="court") is None
    assert covering(jordan, purpose="treatment") is None


def test_categories_outside_the_consent_are_not_covered(jordan):
    make_consent(jordan, categories=["attendance"])
    assert covering(jordan, categories=["attendance", "substance_use"]) is None
    assert covering(jordan, categories=[]) is None
    assert covering(jordan, categories=["attendance"]) is not None


def test_all_covers_every_category(jordan):
    make_consent(jordan, categories=["all"])
    every = ["contact", "attendance", "plan", "checkin_summaries", "substance_use", "assessments"]
    assert covering(jordan, categories=every) is not None


def test_the_general_designation_fits_health_care_providers_for_treatment(jordan, program):
    clinic = make_resource(program, "River Clinic", categories=["primary_care"])
    pantry = make_resource(program, "Food Bank", categories=["food"])
    make_consent(jordan, recipient_kind="general", recipient_name="", purpose="treatment")
    assert covering(jordan, Recipient.of(clinic), purpose="treatment") is not None
    assert covering(jordan, Recipient.of(pantry), purpose="treatment") is None
    assert covering(jordan, Recipient(name="River Clinic"), purpose="treatment") is None
    assert covering(jordan, Recipient.of(clinic), purpose="linkage") is None


def test_another_mentees_consent_covers_nothing(jordan, program, coordinator):
    from tests.mentorship.factories import MenteeProfileFactory

    other = MenteeProfileFactory(program=program, created_by=coordinator)
    make_consent(other, by=coordinator)
    assert covering(jordan) is None


def test_the_newest_covering_consent_is_the_one_relied_on(jordan):
    make_consent(jordan, signed_at=NOW - timedelta(days=10))
    newer = make_consent(jordan, signed_at=NOW - timedelta(days=1))
    assert covering(jordan) == newer
