"""Uploads are checked by what they contain, not only by their name and first
bytes: pypdf must read a PDF's pages, Pillow must read an image of the kind
its name says, and no input answers with a 500."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification import services
from certification.models import CertificationDocument, ContinuingEducation
from certification.storage import validate_upload
from tests.accounts.factories import program_day
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors
from tests.certification.factories import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>\n"


def log(mentor, upload) -> ContinuingEducation:
    return services.ce_log(
        holder=mentor,
        by=mentor,
        course_title="Ethics",
        provider="CalMHSA",
        completed_on=program_day(),
        hours="2",
        category="other",
        evidence=upload,
    )


def refusal(mentor, name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        log(mentor, SimpleUploadedFile(name, content))
    assert not ContinuingEducation.objects.exists()
    return " ".join(caught.value.messages)


def with_png_size(png: bytes, width: int, height: int) -> bytes:
    """A real PNG whose header claims another size (CRC fixed): how a
    decompression bomb announces itself."""
    header = b"IHDR" + struct.pack(">II", width, height) + png[24:29]
    return png[:12] + header + struct.pack(">I", zlib.crc32(header)) + png[33:]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("certificate.pdf", pdf_bytes()),
        ("two-pages.PDF", pdf_bytes(pages=2)),
        ("scan.png", image_bytes("PNG")),
        ("photo.jpg", image_bytes("JPEG")),
        ("photo.jpeg", image_bytes("JPEG", size=(64, 64), noise=True)),
        # Owner-password PDFs open without a password: certificates often come so.
        ("locked-editing.pdf", pdf_bytes(user_password="", owner_password="issuer")),
    ],
    ids=["pdf", "pdf upper-case extension", "png", "jpg", "jpeg", "pdf with owner password only"],
)
def test_real_files_are_accepted_and_saved_whole(mentor, name, content):
    entry = log(mentor, SimpleUploadedFile(name, content))
    with entry.evidence.open("rb") as saved:
        assert saved.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.pdf", b"%PDF-1.4\n" + HTML, "could not be read as a PDF"),
        ("page.pdf", b"%PDF-1.7\n" + HTML + b"%%EOF\n", "could not be read as a PDF"),
        ("cut.pdf", pdf_bytes()[:200], "could not be read as a PDF"),
        ("blank.pdf", pdf_bytes(pages=0), "The PDF has no pages."),
        ("secret.pdf", pdf_bytes(user_password="s3cret"), "protected by a password"),
        ("page.png", PNG_SIGNATURE + HTML, "could not be read as a PNG image"),
        ("tool.png", PNG_SIGNATURE + ELF, "could not be read as a PNG image"),
        ("cut.png", image_bytes("PNG")[:-20], "could not be read as a PNG image"),
        ("page.jpg", b"\xff\xd8\xff\xe0" + HTML, "could not be read as a JPEG image"),
        ("cut.jpg", image_bytes("JPEG", size=(64, 64), noise=True)[:900], "could not be read as a JPEG image"),
        ("photo.png", image_bytes("JPEG"), "is a JPEG image but its name ends in .png"),
        ("scan.jpg", image_bytes("PNG"), "is a PNG image but its name ends in .jpg"),
        ("certificate.png", pdf_bytes(), "is a PDF but its name ends in .png"),
        ("empty.pdf", b"", "The file is empty."),
        ("tool.pdf", ELF, "do not match its type"),
        ("script.html", HTML, "PDF, PNG or JPEG"),
    ],
    ids=[
        "pdf header then html", "pdf header then html and eof", "truncated pdf", "pdf without pages",
        "pdf needing a password", "png header then html", "png header then elf", "truncated png",
        "jpeg header then html", "truncated jpeg", "jpeg named png", "png named jpg", "pdf named png",
        "empty", "elf named pdf", "html",
    ],
)  # fmt: skip
def test_files_that_are_not_what_they_say_are_refused_plainly(mentor, name, content, message):
    assert message in refusal(mentor, name, content)


def test_images_over_the_pixel_limit_are_refused(mentor, settings):
    settings.PEERPATH_UPLOAD_MAX_PIXELS = 100
    log(mentor, SimpleUploadedFile("under.png", image_bytes("PNG", size=(9, 11))))
    log(mentor, SimpleUploadedFile("at.jpg", image_bytes("JPEG", size=(10, 10))))
    ContinuingEducation.objects.all().delete()
    message = refusal(mentor, "over.png", image_bytes("PNG", size=(101, 1)))
    assert message == "The image has too many pixels (at most 100); upload a smaller scan or photo."


@pytest.mark.parametrize(
    ("width", "height"),
    [(10_000, 10_000), (100_000, 100_000)],
    ids=["past Pillow's warning", "past Pillow's error"],
)
def test_decompression_bombs_are_refused_with_the_default_limits(mentor, width, height):
    bomb = with_png_size(image_bytes("PNG"), width, height)
    assert "too many pixels" in refusal(mentor, "bomb.png", bomb)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_bombs_are_refused_where_pillow_only_warns(mentor):
    """In production Pillow's warning is not an error: our own limit refuses."""
    bomb = with_png_size(image_bytes("PNG"), 10_000, 10_000)
    assert "too many pixels" in refusal(mentor, "bomb.png", bomb)


def test_size_limit_boundary(mentor, settings):
    content = image_bytes("PNG")
    settings.PEERPATH_UPLOAD_MAX_BYTES = len(content) + 1
    log(mentor, SimpleUploadedFile("under.png", content))
    settings.PEERPATH_UPLOAD_MAX_BYTES = len(content)
    log(mentor, SimpleUploadedFile("at.png", content))
    ContinuingEducation.objects.all().delete()
    settings.PEERPATH_UPLOAD_MAX_BYTES = len(content) - 1
    assert f"larger than {len(content) - 1} bytes" in refusal(mentor, "over.png", content)


def test_the_size_is_checked_before_the_contents_are_read(settings):
    settings.PEERPATH_UPLOAD_MAX_BYTES = 10

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before the size was checked")

    with pytest.raises(ValidationError, match="larger than 10 bytes"):
        validate_upload(Unreadable("big.pdf", b"%PDF-1.4" + b"0" * 10))


@pytest.mark.parametrize(
    ("name", "content"),
    [("c.pdf", pdf_bytes()), ("s.png", image_bytes("PNG")), ("p.jpg", image_bytes("JPEG")),
     ("bad.pdf", b"%PDF-1.4\n" + HTML), ("bad.png", PNG_SIGNATURE + ELF)],
    ids=["pdf", "png", "jpeg", "bad pdf", "bad png"],
)  # fmt: skip
def test_the_file_is_rewound_after_checking(name, content):
    upload = SimpleUploadedFile(name, content)
    upload.read(3)
    try:
        validate_upload(upload)
    except ValidationError:
        pass
    assert upload.tell() == 0 and upload.read() == content


def test_the_page_refuses_a_disguised_document_with_a_message(mentor_client, mentor):
    cert = mentor.certifications.get()
    response = mentor_client.post(
        reverse("certification:document_upload", args=[cert.pk]),
        {"file": SimpleUploadedFile("card.png", PNG_SIGNATURE + HTML), "description": "Card"},
        follow=True,
    )
    assert response.status_code == 200
    assert "The file could not be read as a PNG image." in response.content.decode()
    assert not CertificationDocument.objects.exists()


def test_the_ce_form_shows_the_refusal_on_the_evidence_field(mentor_client):
    response = mentor_client.post(
        reverse("certification:mine"),
        {
            "course_title": "C",
            "provider": "P",
            "completed_on": program_day().isoformat(),
            "hours": "2",
            "category": "other",
            "evidence": SimpleUploadedFile("e.pdf", b"%PDF-1.4\n" + HTML),
        },
    )
    assert response.status_code == 200
    assert "could not be read as a PDF" in str(response.context["form"].errors["evidence"])
    assert not ContinuingEducation.objects.exists()


def test_the_api_answers_400_with_the_message(mentor):
    response = api_client_for(mentor).post(
        reverse("api:continuing-education-list"),
        {
            "course_title": "C",
            "provider": "P",
            "completed_on": program_day().isoformat(),
            "hours": "2",
            "category": "other",
            "evidence": SimpleUploadedFile("e.png", PNG_SIGNATURE + ELF),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "could not be read as a PNG image" in str(api_errors(response)["evidence"])
    assert not ContinuingEducation.objects.exists()


@pytest.mark.parametrize("kind", ["PDF", "JPEG"])
def test_uploads_spooled_to_disk_are_checked_and_saved_whole(mentor_client, mentor, settings, kind):
    """Large uploads arrive as temporary files on disk, not in memory."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    content = pdf_bytes() if kind == "PDF" else image_bytes("JPEG", size=(64, 64), noise=True)
    name = "card.pdf" if kind == "PDF" else "card.jpg"
    cert = mentor.certifications.get()
    url = reverse("certification:document_upload", args=[cert.pk])
    mentor_client.post(url, {"file": SimpleUploadedFile(name, content), "description": "Card"})
    with CertificationDocument.objects.get().file.open("rb") as saved:
        assert saved.read() == content
    mentor_client.post(url, {"file": SimpleUploadedFile(name, content[:300]), "description": "Cut"})
    assert CertificationDocument.objects.count() == 1
