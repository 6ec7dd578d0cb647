"""Query budgets of the referrals pages at two sizes (5 and 50 rows): the
count must not move with the number of rows."""

import pytest
from django.urls import reverse

from referrals import services
from referrals.consents import Recipient
from referrals.models import Referral
from tests.audit import AUDIT_EVENT_QUERIES
from tests.referrals.factories import make_consent, make_resource

pytestmark = pytest.mark.django_db

SIZES = [5, 50]


def fill(mentee, mentor, size):
    sierra = make_resource(mentee.program, "Sierra Recovery Center")
    consent = make_consent(mentee, categories=["all"])
    for n in range(size):
        make_consent(mentee, recipient_name=f"Clinic {n}")
        Referral.objects.create(
            mentee=mentee, category="food", organisation=f"Pantry {n}", reason="Asked",
            mode="information_only", referred_by=mentor, proposed_on=consent.signed_at.date(),
        )  # fmt: skip
        services.letter_issue(
            mentee=mentee, by=mentor, recipient=Recipient.of(sierra), purpose="linkage",
            categories=["attendance"],
        )  # fmt: skip


@pytest.mark.parametrize("size", SIZES)
def test_the_mentee_page(size, mentor_client, mentee_profile, mentor, django_assert_num_queries):
    fill(mentee_profile, mentor, size)
    # 1 session, 2 user, 3 the mentee, 4 consents, 5 referrals with their
    # resources and authors, 6 may the mentor write (the assignment); then
    # the audit event.
    with django_assert_num_queries(6 + AUDIT_EVENT_QUERIES):
        url = reverse("referrals:mentee", args=[mentee_profile.pk])
        assert mentor_client.get(url).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_accounting(size, mentor_client, mentee_profile, mentor, django_assert_num_queries):
    fill(mentee_profile, mentor, size)
    # 1 session, 2 user, 3 the mentee, 4 the count, 5 one page of disclosures
    # with their consents, resources and authors; then the audit event.
    with django_assert_num_queries(5 + AUDIT_EVENT_QUERIES):
        url = reverse("referrals:accounting", args=[mentee_profile.pk])
        assert mentor_client.get(url).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_my_consents(size, mentee_client, mentee_profile, mentor, django_assert_num_queries):
    fill(mentee_profile, mentor, size)
    # 1 session, 2 user, 3 her language (accounts.languages), 4 the mentee's
    # record, 5 its program (the day), 6 consents, 7 disclosures; then the audit event.
    with django_assert_num_queries(7 + AUDIT_EVENT_QUERIES):
        assert mentee_client.get(reverse("referrals:my_consents")).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_directory(size, coordinator_client, program, django_assert_num_queries):
    for n in range(size):
        make_resource(program, f"Resource {n}", categories=["food", "housing"])
    # 1 session, 2 user, 3 MFA, 4 the program, 5 the count, 6 one page of entries
    with django_assert_num_queries(4):
        assert coordinator_client.get(reverse("referrals:resource_list")).status_code == 200


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["referrals:letter", "referrals:letter_pdf"])
def test_the_letter(size, name, mentor_client, mentee_profile, mentor, django_assert_num_queries):
    from tests.checkins.factories import make_checkin

    fill(mentee_profile, mentor, 1)
    for _ in range(size):
        make_checkin(mentee_profile, mentor)
    letter = services.letter_issue(
        mentee=mentee_profile, by=mentor, recipient=Recipient(name="Sierra Recovery Center"),
        purpose="linkage", categories=["all"],
    )  # fmt: skip
    # 1 session, 2 user, 3 whose record (the audit's lookup), 4 the
    # disclosure, 5 the covering consent, 6 check-ins, 7 goals,
    # 8 assessments; then the audit event. The page and its PDF alike.
    with django_assert_num_queries(8 + AUDIT_EVENT_QUERIES):
        assert mentor_client.get(reverse(name, args=[letter.pk])).status_code == 200


FORM_PAGES = [
    ("referrals:referral_new", "mentor"),
    ("referrals:letter_new", "mentor"),
    ("referrals:consent_record", "mentor"),
    ("referrals:collateral_new", "mentor"),
    ("referrals:consent_sign", "mentee"),
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("name", "role"), FORM_PAGES)
def test_the_forms_cost_the_same_with_any_directory(
    size, name, role, mentor_client, mentee_client, mentee_profile, program,
    django_assert_num_queries,
):  # fmt: skip
    for n in range(size):
        make_resource(program, f"Resource {n}")
    client = mentor_client if role == "mentor" else mentee_client
    args = [mentee_profile.pk] if role == "mentor" else None
    # Staff: 1 session, 2 user, 3 the mentee, 4 may the mentor write (the
    # assignment), 5 the directory's entries for the select (none on the
    # collateral form). The mentee: 1 session, 2 user, 3 her language
    # (accounts.languages), 4 their record, 5 its program, 6 the directory.
    # Then the audit event.
    expected = {"mentor": 5, "mentee": 6}[role] - (name == "referrals:collateral_new")
    with django_assert_num_queries(expected + AUDIT_EVENT_QUERIES):
        assert client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_accounting_csv(size, mentor_client, mentee_profile, mentor, django_assert_num_queries):
    fill(mentee_profile, mentor, size)
    # 1 session, 2 user, 3 the mentee, 4 the disclosures with their consents,
    # resources and authors (streamed); then the audit event.
    with django_assert_num_queries(4 + AUDIT_EVENT_QUERIES):
        response = mentor_client.get(reverse("referrals:accounting_csv", args=[mentee_profile.pk]))
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == size + 1


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["referrals:consent_form", "api:consent-form"])
def test_the_signed_form(size, name, mentee_profile, mentor, client_for, django_assert_num_queries):
    from tests.accounts.test_api import api_client_for
    from tests.certification.factories import pdf_upload

    fill(mentee_profile, mentor, size)
    consent = make_consent(mentee_profile, signed_via="staff", signed_form=pdf_upload("form.pdf"))
    api = name.startswith("api:")
    client = api_client_for(mentor) if api else client_for(mentor)
    # 1 session, 2 user (the API: the token and its user in one query, then
    # the rate limit's count, core.api.throttling), 3 whose record (the
    # audit's lookup), 4 the consent in the viewer's scope; then the audit event.
    with django_assert_num_queries(4 + AUDIT_EVENT_QUERIES):
        response = client.get(reverse(name, args=[consent.pk]))
        assert response.status_code == 200
        b"".join(response.streaming_content)
