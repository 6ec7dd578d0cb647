"""Uploaded certificates and CE evidence live outside the web root: a private
storage with no URL, served only through views that check who may see them."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader


class PrivateStorage(FileSystemStorage):
    """Files under PEERPATH_PRIVATE_MEDIA_ROOT (read when used, so tests and
    deployments can move it), with no public URL."""

    @property
    def base_location(self):
        return settings.PEERPATH_PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")


def private_storage() -> Storage:
    """The storage STORAGES["private"] names: PrivateStorage, or a bucket
    (certification.storage_s3) when PEERPATH_PRIVATE_STORAGE_BUCKET is set."""
    return storages["private"]


# What an upload may be, by the end of its name, and how each kind begins.
KIND_BY_EXTENSION = {".pdf": "PDF", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
SIGNATURES = {"PDF": b"%PDF", "PNG": b"\x89PNG\r\n\x1a\n", "JPEG": b"\xff\xd8\xff"}
KIND_NAMES = {"PDF": _("a PDF"), "PNG": _("a PNG image"), "JPEG": _("a JPEG image")}


def validate_upload(upload) -> None:
    """A PDF, PNG or JPEG no larger than the configured limit, whose contents
    are what its name says: pypdf reads a PDF's pages, Pillow reads an image."""
    _check_size(upload)
    extension = _extension(upload.name)
    if extension not in KIND_BY_EXTENSION:
        raise ValidationError(gettext("Upload a PDF, PNG or JPEG file."))
    try:
        kind = _kind_from_contents(upload)
        if kind != KIND_BY_EXTENSION[extension]:
            raise ValidationError(
                gettext(
                    "The file is %(kind)s but its name ends in %(extension)s; rename it to match and upload it again."
                )
                % {"kind": KIND_NAMES[kind], "extension": extension}
            )
        upload.seek(0)
        if kind == "PDF":
            _check_pdf(upload)
        else:
            _check_image(upload, kind)
    finally:
        # The file is saved after validation: it must be read from the start.
        upload.seek(0)


def _check_size(upload) -> None:
    """First, because it reads nothing."""
    limit = settings.PEERPATH_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            gettext("The file is larger than %(size)s.") % {"size": _readable_size(limit)}
        )
    if upload.size == 0:
        raise ValidationError(gettext("The file is empty."))


def _readable_size(size: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


def _extension(name: str) -> str:
    name = name.lower()
    return name[name.rfind(".") :] if "." in name else ""


def _kind_from_contents(upload) -> str:
    upload.seek(0)
    head = upload.read(8)
    for kind, signature in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    raise ValidationError(gettext("The file's contents do not match its type."))


def _check_pdf(upload) -> None:
    """Refused unless pypdf reads its first page. A PDF that needs a password
    to open is refused: nobody reviewing the evidence could read it. One locked
    only against editing (an owner password) opens with none and is accepted."""
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                gettext("The PDF is protected by a password; upload a copy that opens without one.")
            )
        if len(reader.pages) == 0:
            raise ValidationError(gettext("The PDF has no pages."))
        reader.pages[0].mediabox  # noqa: B018 (reading the page is the check)
    except ValidationError:
        raise
    except Exception as exc:
        # pypdf raises many kinds of error on broken input; each is a refusal, never a 500.
        raise ValidationError(gettext("The file could not be read as a PDF.")) from exc


def _check_image(upload, kind: str) -> None:
    """Refused unless Pillow reads it as `kind` within the pixel limit. PNG:
    verify() checks every chunk through the end. JPEG: Pillow's verify() checks
    nothing, so the image is decoded, at an eighth of its size to spare memory."""
    try:
        with Image.open(upload, formats=[kind]) as image:
            _check_pixels(*image.size)
            image.verify()
        if kind == "JPEG":
            upload.seek(0)
            with Image.open(upload, formats=[kind]) as image:
                image.draft(None, (1, 1))
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own bomb check, met while opening; a warning is raised only
        # where warnings are errors (the tests), else _check_pixels refuses.
        raise _too_many_pixels() from exc
    except Exception as exc:
        # Pillow raises many kinds of error on broken input; each is a refusal, never a 500.
        raise ValidationError(
            gettext("The file could not be read as %(kind)s.") % {"kind": KIND_NAMES[kind]}
        ) from exc


def _check_pixels(width: int, height: int) -> None:
    if width * height > settings.PEERPATH_UPLOAD_MAX_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        gettext(
            "The image has too many pixels (at most %(pixels)s); upload a smaller scan or photo."
        )
        % {"pixels": f"{settings.PEERPATH_UPLOAD_MAX_PIXELS:,}"}
    )
