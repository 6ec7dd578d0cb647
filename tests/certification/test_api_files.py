"""API: certification documents (`certification-documents`: list, upload,
download) and CE evidence (`continuing-education/{id}/evidence`): the
certification page's service, rules, words and scope."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification import services
from certification.models import CertificationDocument
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.certification.factories import log_ce, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


def upload(client, cert, file=None, **fields):
    body = {"certification": cert.pk, "file": file or pdf_upload("renewal.pdf"), **fields}
    return client.post(reverse("api:certification-document-list"), body)


def test_the_holder_uploads_a_document_and_downloads_it(mentor):
    cert = mentor.certifications.get()
    client = api_client_for(mentor)
    response = upload(client, cert, description="Renewal letter")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["certification"], body["file_name"], body["description"]) == (
        cert.pk,
        "renewal.pdf",
        "Renewal letter",
    )
    assert body["uploaded_by"] == mentor.pk
    download = client.get(reverse("api:certification-document-download", args=[body["id"]]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    assert 'filename="renewal.pdf"' in download["Content-Disposition"]


def test_a_download_may_ask_for_the_files_type(mentor):
    cert = mentor.certifications.get()
    document = services.document_upload(certification=cert, by=mentor, upload=pdf_upload("c.pdf"))
    client = api_client_for(mentor)
    url = reverse("api:certification-document-download", args=[document.pk])
    assert client.get(url, HTTP_ACCEPT="application/pdf").status_code == 200
    missing = reverse("api:certification-document-download", args=[document.pk + 1000])
    response = client.get(missing, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404 and "detail" in api_errors(response)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("tool.exe", b"MZ\x90\x00", "Upload a PDF, PNG or JPEG file."),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "do not match"),
    ],
    ids=["wrong type", "wrong contents"],
)
def test_a_file_the_page_refuses_is_refused_in_its_words(mentor, name, content, words):
    cert = mentor.certifications.get()
    response = upload(api_client_for(mentor), cert, file=SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert words in " ".join(api_errors(response)["file"])
    assert not CertificationDocument.objects.exists()


def test_a_certification_out_of_reach_does_not_exist(mentor, other_mentor):
    cert = mentor.certifications.get()
    response = upload(api_client_for(other_mentor), cert)
    assert response.status_code == 400 and "certification" in api_errors(response)
    document = services.document_upload(certification=cert, by=mentor, upload=pdf_upload())
    client = api_client_for(other_mentor)
    for name in ("api:certification-document-detail", "api:certification-document-download"):
        assert client.get(reverse(name, args=[document.pk])).status_code == 404
    assert client.get(reverse("api:certification-document-list")).json()["count"] == 0


def test_the_same_idempotency_key_keeps_one_document(mentor):
    cert = mentor.certifications.get()
    client, key = api_client_for(mentor), str(uuid.uuid4())
    first, second = (
        client.post(
            reverse("api:certification-document-list"),
            {"certification": cert.pk, "file": pdf_upload()},
            HTTP_IDEMPOTENCY_KEY=key,
        )
        for _ in range(2)
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert CertificationDocument.objects.count() == 1


def test_the_list_filters_by_certification(coordinator, mentor, other_mentor):
    for holder in (mentor, other_mentor):
        cert = holder.certifications.get()
        services.document_upload(certification=cert, by=holder, upload=pdf_upload())
    client = api_client_for(coordinator)
    url = reverse("api:certification-document-list")
    assert client.get(url).json()["count"] == 2
    (row,) = client.get(url, {"certification": mentor.certifications.get().pk}).json()["results"]
    assert row["certification"] == mentor.certifications.get().pk
    assert client.get(url, {"certification": "one"}).status_code == 400


@pytest.mark.parametrize("size", [5, 50])
def test_document_list_query_count_is_constant(
    size, coordinator, mentor, django_assert_num_queries
):
    cert = mentor.certifications.get()
    CertificationDocument.objects.bulk_create(
        CertificationDocument(certification=cert, file=f"documents/{n}.pdf", uploaded_by=mentor)
        for n in range(size)
    )
    client = api_client_for(coordinator)
    # 1 token, 2 count and page (one statement: config.api_pagination)
    with django_assert_num_queries(0 + 3):  # + the rate limit's count (core.api.throttling)
        assert client.get(reverse("api:certification-document-list")).json()["count"] == size


# --- CE evidence -----------------------------------------------------------------------


def test_the_holder_and_their_coordinator_download_the_evidence(mentor, coordinator):
    entry = log_ce(mentor, evidence=pdf_upload("course.pdf"))
    for user in (mentor, coordinator):
        client = api_client_for(user)
        detail = client.get(reverse("api:continuing-education-detail", args=[entry.pk])).json()
        assert detail["has_evidence"] is True
        response = client.get(reverse("api:continuing-education-evidence", args=[entry.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf_bytes()


def test_hours_without_evidence_have_none_to_download(mentor):
    entry = log_ce(mentor)
    client = api_client_for(mentor)
    assert (
        client.get(reverse("api:continuing-education-detail", args=[entry.pk])).json()[
            "has_evidence"
        ]
        is False
    )
    assert (
        client.get(reverse("api:continuing-education-evidence", args=[entry.pk])).status_code == 404
    )


def test_evidence_is_uploaded_with_the_hours_through_the_api(mentor):
    from tests.accounts.factories import program_day

    response = api_client_for(mentor).post(
        reverse("api:continuing-education-list"),
        {
            "course_title": "Ethics",
            "provider": "CCAPP",
            "completed_on": program_day().isoformat(),
            "hours": "3.0",
            "category": "law_and_ethics",
            "evidence": pdf_upload("ethics.pdf"),
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["has_evidence"] is True
