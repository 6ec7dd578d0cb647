"""The API: resources, referrals, consents (create and revoke, never update)
and disclosures (read only), with the page's rules and constant query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse

from referrals.models import Consent, Disclosure
from tests.accounts.factories import program_day
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.audit import AUDIT_EVENT_QUERIES
from tests.referrals.factories import make_resource
from tests.referrals.test_query_budgets import SIZES, fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def jordan(mentee_profile):
    mentee_profile.legal_name = "Jordan Ellis"
    mentee_profile.save(update_fields=["legal_name"])
    return mentee_profile


def consent_body(mentee, **overrides):
    return {
        "mentee": mentee.pk,
        "categories": ["attendance"],
        "recipient_name": "Sierra Recovery Center",
        "purpose": "linkage",
        "expires_on": (program_day() + timedelta(days=30)).isoformat(),
        "signed_name": "Jordan Ellis",
        "agreed": True,
        **overrides,
    }


def test_the_mentee_signs_through_the_api_and_revokes(jordan, mentee, mentor):
    client = api_client_for(mentee)
    response = client.post(reverse("api:consent-list"), consent_body(jordan), format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["signed_via"], response.json()["state"]) == ("portal", "active")
    refused = client.post(
        reverse("api:consent-list"), consent_body(jordan, agreed=False), format="json"
    )
    assert refused.status_code == 400 and "agreed" in api_errors(refused)
    pk = response.json()["id"]
    revoked = client.post(reverse("api:consent-revoke", args=[pk]), {}, format="json")
    assert revoked.json()["state"] == "revoked"


def test_a_consent_is_never_updated_through_the_api(jordan, mentee):
    client = api_client_for(mentee)
    pk = client.post(reverse("api:consent-list"), consent_body(jordan), format="json").json()["id"]
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(
            reverse("api:consent-detail", args=[pk]), {"purpose": "court"}, format="json"
        )
        assert response.status_code == 405
    assert Consent.objects.get().purpose == "linkage"


def test_disclosures_are_read_only(jordan, mentor):
    fill(jordan, mentor, 1)
    pk = Disclosure.objects.first().pk
    client = api_client_for(mentor)
    for method in ("post", "put", "patch", "delete"):
        url = reverse("api:disclosure-detail", args=[pk]) if method != "post" else None
        response = getattr(client, method)(url or reverse("api:disclosure-list"), {})
        assert response.status_code == 405


def test_a_warm_handoff_without_consent_is_refused_through_the_api(jordan, mentor, program):
    sierra = make_resource(program)
    body = {
        "mentee": jordan.pk, "category": "treatment", "resource": sierra.pk, "reason": "Asked",
        "mode": "warm_handoff", "shared_categories": ["attendance"], "purpose": "linkage",
    }  # fmt: skip
    response = api_client_for(mentor).post(reverse("api:referral-list"), body, format="json")
    assert response.status_code == 400
    assert "information given to the mentee" in str(response.json())


def test_the_directory_filters(program, coordinator):
    make_resource(program, "Delta House", categories=["housing"], languages=["es"])
    make_resource(program, "Food Bank", categories=["food"])
    client = api_client_for(coordinator)

    def names(**query):
        rows = client.get(reverse("api:resource-list"), query).json()["results"]
        return [row["organisation"] for row in rows]

    assert names(category="housing") == ["Delta House"]
    assert names(language="es") == ["Delta House"]
    assert names(q="food") == ["Food Bank"]
    assert client.get(reverse("api:resource-list"), {"category": "spa"}).status_code == 400


def test_a_coordinator_corrects_an_entry_by_the_directorys_rules(program, coordinator, mentor):
    delta = make_resource(program, "Delta House", categories=["housing"])
    make_resource(program, "Food Bank", categories=["food"])
    url = reverse("api:resource-detail", args=[delta.pk])
    client = api_client_for(coordinator)

    saved = client.patch(url, {"hours": "Mon-Fri 9-5"}, format="json")
    assert saved.status_code == 200 and saved.json()["hours"] == "Mon-Fri 9-5"
    assert saved.json()["categories"] == ["housing"]  # what was not sent stays

    taken = client.patch(url, {"organisation": "food bank"}, format="json")
    assert taken.status_code == 400
    assert api_errors(taken) == {"organisation": ["The directory already has this organisation."]}
    assert client.patch(url, {"categories": []}, format="json").status_code == 400

    refused = api_client_for(mentor).patch(url, {"hours": "Never"}, format="json")
    assert refused.status_code == 403
    delta.refresh_from_db()
    assert (delta.organisation, delta.hours) == ("Delta House", "Mon-Fri 9-5")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("resource", ["consent", "referral", "disclosure"])
def test_api_lists_cost_the_same_at_any_size(
    size, resource, mentee_profile, mentor, django_assert_num_queries
):
    fill(mentee_profile, mentor, size)
    client = api_client_for(mentor)
    # 1 the token and its user, 2 the count, 3 one page with the mentees'
    # programs, 4 whose rows were listed (the audit); then the audit event.
    with django_assert_num_queries(
        0 + 4 + AUDIT_EVENT_QUERIES
    ):  # + the rate limit's count (core.api.throttling)
        assert client.get(reverse(f"api:{resource}-list")).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_directory_api_costs_the_same_at_any_size(
    size, coordinator, program, django_assert_num_queries
):
    for n in range(size):
        make_resource(program, f"Resource {n}")
    client = api_client_for(coordinator)
    # 1 the token and its user, 2 the count, 3 one page of entries
    with django_assert_num_queries(0 + 3):  # + the rate limit's count (core.api.throttling)
        assert client.get(reverse("api:resource-list")).status_code == 200
