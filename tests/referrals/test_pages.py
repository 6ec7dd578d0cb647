"""The pages: the mentee signs and revokes in the portal, the mentor refers
and prints a letter, coordinators keep the directory; and the journey of the
issue end to end (revocation stops the next letter)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessEvent
from referrals.models import Consent, Disclosure, Referral, Resource
from tests.accounts.factories import program_day
from tests.certification.factories import pdf_upload
from tests.checkins.factories import make_checkin
from tests.referrals.factories import make_consent, make_resource

pytestmark = pytest.mark.django_db

NOTICE = "These rules prohibit you from using or disclosing this record"


@pytest.fixture
def jordan(mentee_profile):
    mentee_profile.legal_name = "Jordan Ellis"
    mentee_profile.save(update_fields=["legal_name"])
    return mentee_profile


@pytest.fixture
def sierra(program):
    return make_resource(program, "Sierra Recovery Center", categories=["treatment"])


def sign_form(sierra, **overrides):
    return {
        "categories": ["attendance", "plan"],
        "recipient_kind": "named",
        "recipient_resource": sierra.pk,
        "recipient_name": "",
        "purpose": "linkage",
        "expires_on": (program_day() + timedelta(days=90)).isoformat(),
        "expiry_event": "",
        "signed_name": "Jordan Ellis",
        "agreed": "on",
        **overrides,
    }


def test_the_whole_journey(jordan, sierra, mentee_client, mentor_client, mentee):
    # The mentee signs in the portal.
    response = mentee_client.post(
        reverse("referrals:consent_sign"), sign_form(sierra), REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.signed_via, consent.signed_ip, consent.recipient_resource) == (
        "portal", "198.51.100.7", sierra,
    )  # fmt: skip
    # The mentor makes a warm-handoff referral relying on it, and sends it.
    response = mentor_client.post(
        reverse("referrals:referral_new", args=[jordan.pk]),
        {
            "category": "treatment", "resource": sierra.pk, "reason": "Asked for IOP",
            "mode": "warm_handoff", "shared_categories": ["attendance"], "purpose": "linkage",
        },
    )  # fmt: skip
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent == consent
    mentor_client.post(
        reverse("referrals:referral_status", args=[referral.pk]), {"to_status": "sent"}
    )
    assert Disclosure.objects.get(kind="referral").referral == referral
    # The mentor prints a letter: only the consented categories, and the notice.
    make_checkin(jordan, jordan.assignments.get().mentor, substance_use_days=3)
    response = mentor_client.post(
        reverse("referrals:letter_new", args=[jordan.pk]),
        {"resource": sierra.pk, "purpose": "linkage", "categories": ["attendance"]},
    )
    letter = Disclosure.objects.get(kind="letter")
    assert response.url == reverse("referrals:letter", args=[letter.pk])
    page = mentor_client.get(response.url).content.decode()
    assert NOTICE in page and "Attendance" in page
    assert "Substance use" not in page and "Recovery plan goals" not in page
    # The mentee sees it in plain words, and revokes.
    mine = mentee_client.get(reverse("referrals:my_consents")).content.decode()
    assert "the program shared with Sierra Recovery Center" in mine
    mentee_client.post(reverse("referrals:consent_revoke", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.revoked_by == mentee
    # The next request: the old letter no longer prints and a new one is refused.
    assert mentor_client.get(reverse("referrals:letter", args=[letter.pk])).status_code == 403
    response = mentor_client.post(
        reverse("referrals:letter_new", args=[jordan.pk]),
        {"resource": sierra.pk, "purpose": "linkage", "categories": ["attendance"]},
    )
    assert response.status_code == 200
    assert "No active consent" in response.content.decode()
    assert Disclosure.objects.filter(kind="letter").count() == 1


def test_signing_without_the_box_shows_the_reason(jordan, sierra, mentee_client):
    response = mentee_client.post(reverse("referrals:consent_sign"), sign_form(sierra, agreed=""))
    assert response.status_code == 200
    assert "Tick the box to say you agree." in response.content.decode()
    assert not Consent.objects.exists()


def test_a_warm_handoff_without_consent_is_refused_on_the_form(jordan, sierra, mentor_client):
    response = mentor_client.post(
        reverse("referrals:referral_new", args=[jordan.pk]),
        {
            "category": "treatment", "resource": sierra.pk, "reason": "Asked",
            "mode": "warm_handoff", "shared_categories": ["attendance"], "purpose": "linkage",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "information given to the mentee" in response.content.decode()
    assert not Referral.objects.exists()


def test_staff_record_a_paper_consent(jordan, coordinator_client):
    response = coordinator_client.post(
        reverse("referrals:consent_record", args=[jordan.pk]),
        {
            "categories": ["all"], "recipient_kind": "named", "recipient_name": "Drug Court",
            "purpose": "court", "expires_on": (program_day() + timedelta(days=30)).isoformat(),
            "signed_name": "Jordan Ellis", "signed_on": program_day().isoformat(),
            "signed_form": pdf_upload("scan.pdf"),
        },
    )  # fmt: skip
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.signed_via == "staff"
    assert "scan" not in consent.signed_form.name  # a random name, not the uploader's
    download = coordinator_client.get(reverse("referrals:consent_form", args=[consent.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AccessEvent.objects.filter(action="download", object_type="consent").exists()


def test_a_paper_consent_needs_its_signed_form_and_a_real_one(jordan, coordinator_client):
    fields = {
        "categories": ["all"], "recipient_kind": "named", "recipient_name": "Drug Court",
        "purpose": "court", "expires_on": (program_day() + timedelta(days=30)).isoformat(),
        "signed_name": "Jordan Ellis", "signed_on": program_day().isoformat(),
    }  # fmt: skip
    url = reverse("referrals:consent_record", args=[jordan.pk])
    assert coordinator_client.post(url, fields).status_code == 200
    fake = SimpleUploadedFile("scan.pdf", b"not a pdf", content_type="application/pdf")
    assert coordinator_client.post(url, fields | {"signed_form": fake}).status_code == 200
    assert not Consent.objects.exists()


def test_the_accounting_page_and_csv(jordan, mentor, coordinator_client):
    from referrals import services
    from referrals.consents import Recipient

    make_consent(jordan)
    services.letter_issue(
        mentee=jordan, by=mentor, recipient=Recipient(name="Sierra Recovery Center"),
        purpose="linkage", categories=["plan"],
    )  # fmt: skip
    page = coordinator_client.get(reverse("referrals:accounting", args=[jordan.pk]))
    assert "Sierra Recovery Center" in page.content.decode()
    response = coordinator_client.get(reverse("referrals:accounting_csv", args=[jordan.pk]))
    body = b"".join(response.streaming_content).decode()
    assert "Sierra Recovery Center" in body and "my recovery plan goals" in body
    assert AccessEvent.objects.filter(action="export", object_type="disclosure").exists()


def test_coordinators_search_and_add_to_the_directory(program, coordinator_client, mentor_client):
    make_resource(program, "Delta House", categories=["housing"], languages=["es"])
    make_resource(program, "Food Bank", categories=["food"])
    page = mentor_client.get(reverse("referrals:resource_list"), {"category": "housing"})
    assert "Delta House" in page.content.decode() and "Food Bank" not in page.content.decode()
    assert "not verified in 12 months" in page.content.decode()
    response = coordinator_client.post(
        reverse("referrals:resource_new"),
        {"organisation": "River Clinic", "categories": ["mat"], "accepting_new_clients": "on",
         "last_verified_on": program_day().isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    assert Resource.objects.get(organisation="River Clinic").last_verified_on == program_day()
    response = coordinator_client.post(
        reverse("referrals:resource_new"), {"organisation": "delta house", "categories": ["food"]}
    )
    assert "already has this organisation" in response.content.decode()


CSV_OK = (
    "organisation,categories,languages,accepts_medi_cal,last_verified_on\n"
    "Delta House,housing,en;es,yes,2026-01-05\n"
    "River Clinic,mat;primary_care,en,no,\n"
)
CSV_BAD = CSV_OK + "Nowhere,spa,en,maybe,\n"


def upload(text):
    return SimpleUploadedFile("directory.csv", text.encode(), content_type="text/csv")


def test_the_import_previews_then_saves_all_or_nothing(program, coordinator_client):
    url = reverse("referrals:resource_import")
    bad = coordinator_client.post(url, {"file": upload(CSV_BAD)}).content.decode()
    assert (
        "row 4: unknown categories spa." in bad and "row 4: accepts_medi_cal is yes or no." in bad
    )
    # Even confirmed, a bad file saves nothing.
    coordinator_client.post(url, {"confirm": "1", "csv_text": CSV_BAD})
    assert not Resource.objects.exists()
    preview = coordinator_client.post(url, {"file": upload(CSV_OK)}).content.decode()
    assert "Preview: 2 rows" in preview
    assert not Resource.objects.exists()
    response = coordinator_client.post(url, {"confirm": "1", "csv_text": CSV_OK})
    assert response.status_code == 302
    assert sorted(Resource.objects.values_list("organisation", flat=True)) == [
        "Delta House", "River Clinic",
    ]  # fmt: skip
    again = coordinator_client.post(url, {"file": upload(CSV_OK)}).content.decode()
    assert "already has this organisation" in again


def test_referrals_show_in_the_timeline_as_instrumental_support(
    mentee_profile, mentor, mentor_client, mentee_client
):
    Referral.objects.create(
        mentee=mentee_profile, category="food", organisation="Food Bank", reason="Asked",
        mode="information_only", referred_by=mentor, proposed_on=program_day(),
    )  # fmt: skip
    url = reverse("checkins:timeline", args=[mentee_profile.pk])
    page = mentor_client.get(url).content.decode()
    assert "Referral to Food Bank" in page and "instrumental support" in page
    assert reverse("referrals:mentee", args=[mentee_profile.pk]) in page
    own = mentee_client.get(url).content.decode()
    assert "Referral to Food Bank" in own
    assert reverse("referrals:mentee", args=[mentee_profile.pk]) not in own
