"""Staff record a paper consent through the API with the signed form as
multipart/form-data: the page's service and upload rules (PDF, PNG or JPEG,
contents matching the name, within the size limit), nothing saved when
refused, scoped and audited; the form is downloaded back from
/api/v1/consents/{id}/form/ (404 outside the caller's scope)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessEvent
from referrals.models import Consent
from tests.accounts.factories import program_day
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.certification.factories import image_bytes, pdf_bytes
from tests.referrals.factories import make_consent

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


@pytest.fixture
def jordan(mentee_profile):
    mentee_profile.legal_name = "Jordan Ellis"
    mentee_profile.save(update_fields=["legal_name"])
    return mentee_profile


def paper_consent(mentee, upload=None, **overrides):
    body = {
        "mentee": mentee.pk,
        "categories": ["attendance", "plan"],
        "recipient_name": "Sierra Recovery Center",
        "purpose": "linkage",
        "expires_on": (program_day() + timedelta(days=30)).isoformat(),
        "signed_name": "Jordan Ellis",
        "signed_on": program_day().isoformat(),
        **overrides,
    }
    if upload is not None:
        body["signed_form"] = upload
    return body


def post(user, body):
    return api_client_for(user).post(reverse("api:consent-list"), body, format="multipart")


def stored_files(private_media) -> list:
    return [p for p in private_media.rglob("*") if p.is_file()] if private_media.exists() else []


def test_staff_upload_the_signed_form_and_read_it_back(jordan, mentor, coordinator):
    response = post(mentor, paper_consent(jordan, SimpleUploadedFile("scan.pdf", PDF)))
    assert response.status_code == 201, response.json()
    consent = Consent.objects.get()
    assert (consent.signed_via, consent.categories) == ("staff", ["attendance", "plan"])
    assert "signed_form" not in response.json()  # a file, read at its own address
    created = AccessEvent.objects.filter(action="create", object_type="consent").get()
    assert created.mentee_ids == [jordan.pk]
    # Read back through the API and through the page: the same bytes.
    url = reverse("api:consent-form", args=[consent.pk])
    download = api_client_for(coordinator).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == f'attachment; filename="consent-{consent.pk}.pdf"'
    event = AccessEvent.objects.order_by("-pk").first()
    assert (event.action, event.object_type, event.mentee_ids) == (
        "download", "consent", [jordan.pk],
    )  # fmt: skip


def test_an_image_of_the_form_is_accepted(jordan, mentor):
    upload = SimpleUploadedFile("photo.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    assert post(mentor, paper_consent(jordan, upload)).status_code == 201


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("form.txt", b"signed", "Upload a PDF, PNG or JPEG file."),
        ("form.pdf", image_bytes("PNG"), "rename it to match"),
        ("form.png", b"not an image at all", "The file's contents do not match its type."),
    ],
    ids=["kind", "contents-not-the-name", "not-readable"],
)
def test_a_form_of_the_wrong_kind_is_refused_and_nothing_saved(
    jordan, mentor, private_media, name, content, words
):
    response = post(mentor, paper_consent(jordan, SimpleUploadedFile(name, content)))
    assert response.status_code == 400
    assert "signed_form" in api_errors(response)
    assert not Consent.objects.exists()
    assert stored_files(private_media) == []
    assert words in " ".join(api_errors(response)["signed_form"]), response.json()


@pytest.mark.parametrize(("limit", "accepted"), [(len(PDF) - 1, False), (len(PDF), True),
                                                 (len(PDF) + 1, True)])  # fmt: skip
def test_the_size_limit_on_the_value_and_each_side(
    jordan, mentor, settings, private_media, limit, accepted
):
    settings.PEERPATH_UPLOAD_MAX_BYTES = limit
    response = post(mentor, paper_consent(jordan, SimpleUploadedFile("scan.pdf", PDF)))
    assert (response.status_code == 201) is accepted, response.json()
    assert Consent.objects.exists() is accepted
    assert bool(stored_files(private_media)) is accepted


def test_the_terms_are_checked_before_anything_is_stored(jordan, mentor, private_media):
    body = paper_consent(jordan, SimpleUploadedFile("scan.pdf", PDF), purpose="other")
    response = post(mentor, body)
    assert response.status_code == 400
    assert api_errors(response) == {"purpose_detail": ["Say what the other purpose is."]}
    assert stored_files(private_media) == []


def test_the_mentee_signs_in_the_portal_and_uploads_nothing(jordan, mentee, private_media):
    body = paper_consent(jordan, SimpleUploadedFile("scan.pdf", PDF), agreed="true")
    response = post(mentee, body)
    assert response.status_code == 400
    assert api_errors(response) == {
        "signed_form": ["You sign in the portal: there is no form to upload."]
    }
    assert not Consent.objects.exists() and stored_files(private_media) == []


def test_a_mentee_out_of_reach_is_refused_and_nothing_stored(
    jordan, other_mentor, outsider, private_media
):
    for user in (other_mentor, outsider):
        response = post(user, paper_consent(jordan, SimpleUploadedFile("scan.pdf", PDF)))
        assert response.status_code == 400
        assert "mentee" in api_errors(response)
    assert not Consent.objects.exists() and stored_files(private_media) == []


def test_the_form_is_404_outside_scope_and_when_there_is_none(
    jordan, mentor, other_mentor, outsider, mentee
):
    with_form = post(mentor, paper_consent(jordan, SimpleUploadedFile("scan.pdf", PDF)))
    url = reverse("api:consent-form", args=[with_form.json()["id"]])
    for user in (other_mentor, outsider):
        assert api_client_for(user).get(url).status_code == 404
    assert api_client_for(mentee).get(url).status_code == 200  # their own
    signed_in_portal = make_consent(jordan)
    none = reverse("api:consent-form", args=[signed_in_portal.pk])
    assert api_client_for(mentor).get(none).status_code == 404
