"""Collateral contacts: a check-in about the mentee with someone else. It
counts as engagement but not as contact with the mentee, carries no
substance-use data, and anything told needs a covering consent (the
disclosure is recorded with it, or nothing is)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from checkins.models import CheckIn
from checkins.permissions import can_correct_checkin
from referrals import services
from referrals.models import Disclosure
from tests.checkins.factories import make_checkin
from tests.referrals.factories import make_consent

pytestmark = pytest.mark.django_db


def record(mentee, by, **overrides):
    fields = {
        "mentee": mentee,
        "by": by,
        "collateral_name": "Dana Lee",
        "collateral_role": "probation",
        "collateral_organisation": "County Probation",
        "occurred_at": timezone.now() - timedelta(hours=1),
        "delivery_method": "telephone",
        "duration_minutes": 15,
    }
    return services.collateral_contact_record(**fields | overrides)


def test_a_collateral_contact_is_engagement_not_contact(mentee_profile, mentor):
    checkin = record(mentee_profile, mentor)
    assert (checkin.kind, checkin.collateral_role) == ("collateral", "probation")
    assert list(CheckIn.objects.counted()) == [checkin]
    assert not CheckIn.objects.contacts().exists()
    assert not Disclosure.objects.exists()
    assert not can_correct_checkin(mentor, checkin)


def test_substance_use_is_not_recorded_on_a_collateral_contact(mentee_profile, mentor):
    checkin = record(mentee_profile, mentor, notes="Talked about court dates")
    assert (checkin.substance_use_days, checkin.craving_level, checkin.mood) == (None, None, None)
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_checkin(
            mentee_profile, mentor, kind="collateral", collateral_name="Ana",
            collateral_role="family", substance_use_days=2, craving_level=None, mood=None,
        )  # fmt: skip


def test_days_of_use_are_not_counted_from_a_collateral_contact(mentee_profile, mentor):
    from checkins.services import _last_counted

    make_checkin(mentee_profile, mentor, days_ago=5)
    record(mentee_profile, mentor)
    since, previous = _last_counted(mentee_profile, before=timezone.now())
    assert previous.kind == "contact"


def test_a_collateral_contact_says_with_whom(mentee_profile, mentor):
    with pytest.raises(ValidationError):
        record(mentee_profile, mentor, collateral_name=" ")
    assert not CheckIn.objects.exists()


def test_telling_without_a_consent_saves_nothing(mentee_profile, mentor):
    with pytest.raises(ValidationError):
        record(mentee_profile, mentor, shared_categories=["attendance"], purpose="court")
    assert not CheckIn.objects.exists()
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize("named", ["Dana Lee", "County Probation"])
def test_telling_under_a_consent_naming_the_person_or_organisation_is_disclosed(
    mentee_profile, mentor, named
):
    consent = make_consent(
        mentee_profile, recipient_name=named, purpose="court", categories=["attendance"]
    )
    checkin = record(mentee_profile, mentor, shared_categories=["attendance"], purpose="court")
    disclosure = Disclosure.objects.get()
    assert (disclosure.kind, disclosure.checkin, disclosure.consent) == (
        "collateral", checkin, consent,
    )  # fmt: skip
    assert disclosure.recipient_name == named


def test_telling_more_than_the_consent_covers_saves_nothing(mentee_profile, mentor):
    make_consent(mentee_profile, recipient_name="Dana Lee", purpose="court", categories=["plan"])
    with pytest.raises(ValidationError):
        record(mentee_profile, mentor, shared_categories=["substance_use"], purpose="court")
    assert not CheckIn.objects.exists()


def test_the_page_logs_a_collateral_contact(mentee_profile, mentor_client):
    url = reverse("referrals:collateral_new", args=[mentee_profile.pk])
    response = mentor_client.post(
        url,
        {
            "collateral_name": "Ana Ruiz", "collateral_role": "family",
            "occurred_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "delivery_method": "telephone",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert CheckIn.objects.get().collateral_name == "Ana Ruiz"
    refused = mentor_client.post(
        url,
        {
            "collateral_name": "Ana Ruiz", "collateral_role": "family",
            "occurred_at": (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "delivery_method": "telephone", "shared_categories": ["attendance"],
            "purpose": "linkage",
        },
    )  # fmt: skip
    assert "No active consent" in refused.content.decode()
    assert CheckIn.objects.count() == 1
