"""Uploaded certificates and CE evidence live outside the web root: a private
storage with no URL, served only through views that check who may see them."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage

# What an upload may be: checked by extension and by the file's first bytes.
ALLOWED_UPLOADS = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


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


_private_storage = PrivateStorage()


def private_storage() -> FileSystemStorage:
    return _private_storage


def validate_upload(upload) -> None:
    """A PDF, PNG or JPEG no larger than the configured limit."""
    limit = settings.PEERPATH_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"The file is larger than {limit // (1024 * 1024)} MB.")
    name = upload.name.lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in ALLOWED_UPLOADS:
        raise ValidationError("Upload a PDF, PNG or JPEG file.")
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_UPLOADS[extension]):
        raise ValidationError("The file's contents do not match its type.")
