"""Django admin: the directory can be edited there; consents and disclosures
are only read."""

import pytest
from django.urls import reverse

from tests.referrals.factories import make_consent, make_resource

pytestmark = pytest.mark.django_db


def test_consents_are_read_not_changed_in_the_admin(admin_client, mentee_profile, program):
    consent = make_consent(mentee_profile)
    make_resource(program)
    for name in ("consent", "disclosure", "referral", "resource"):
        assert admin_client.get(reverse(f"admin:referrals_{name}_changelist")).status_code == 200
    url = reverse("admin:referrals_consent_change", args=[consent.pk])
    response = admin_client.post(url, {"purpose": "court"})
    assert response.status_code == 403
    consent.refresh_from_db()
    assert consent.purpose == "linkage"
    assert admin_client.get(reverse("admin:referrals_consent_add")).status_code == 403
