from datetime import timedelta
from importlib import import_module

from django.utils import timezone

from certification.models import Certification, CertificationType, ContinuingEducation
from core.dates import user_today

MEDI_CAL = "Medi-Cal Peer Support Specialist"


def seeded_types() -> None:
    """The types the data migration seeds; transactional tests flush them, so
    put them back the same way."""
    from django.apps import apps

    seed = import_module("certification.migrations.0002_seed_certification_types").seed
    seed(apps, None)


def medi_cal() -> CertificationType:
    if not CertificationType.objects.filter(name=MEDI_CAL).exists():
        seeded_types()
    return CertificationType.objects.get(name=MEDI_CAL)


def certify(
    holder, *, expires_in_days: int = 400, in_progress: bool = False, **fields
) -> Certification:
    """A Medi-Cal certification expiring in `expires_in_days` (negative: lapsed),
    counted from today in the holder's program."""
    today = user_today(holder)
    expires_on = today + timedelta(days=expires_in_days)
    values = {
        "number": f"PSS-{holder.pk:05d}",
        "training_completed_on": None if in_progress else expires_on - timedelta(days=800),
        "exam_passed_on": None if in_progress else expires_on - timedelta(days=760),
        "issued_on": None if in_progress else expires_on - timedelta(days=730),
        "cycle_started_on": None if in_progress else expires_on - timedelta(days=730),
        "expires_on": None if in_progress else expires_on,
        "ethics_signed_on": None if in_progress else expires_on - timedelta(days=730),
    }
    return Certification.objects.create(
        holder=holder, certification_type=medi_cal(), **(values | fields)
    )


def log_ce(
    holder, *, hours="2", category="other", days_ago: int = 30, approved_by=None, **fields
) -> ContinuingEducation:
    from decimal import Decimal

    return ContinuingEducation.objects.create(
        holder=holder,
        course_title=fields.pop("course_title", "Motivational interviewing"),
        provider="CalMHSA",
        completed_on=user_today(holder) - timedelta(days=days_ago),
        hours=Decimal(hours),
        category=category,
        approved_by=approved_by,
        approved_at=timezone.now() if approved_by else None,
        **fields,
    )


def pdf_bytes(pages: int = 1, **encrypt) -> bytes:
    """A real PDF made by pypdf: `pages` blank pages, encrypted when given
    `user_password` (and optionally `owner_password`)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    if encrypt:
        writer.encrypt(**encrypt)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (8, 8), noise: bool = False) -> bytes:
    """A real PNG or JPEG made by Pillow; `noise` gives a JPEG long scan data."""
    import io
    import random

    from PIL import Image

    image = Image.new("RGB", size, "white")
    if noise:
        rng = random.Random(16)
        image.putdata([(rng.randrange(256),) * 3 for _ in range(size[0] * size[1])])
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def pdf_upload(name: str = "certificate.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")
