"""The API's Idempotency-Key header for writes whose service is wrapped in
core.once.submitted_once: the key is the form's one-time token, so sending
the same request again answers with what the first one did, and changes
nothing more."""

import uuid

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from core.once import Once, already_saved

HEADER = "Idempotency-Key"

IDEMPOTENCY_HEADER = OpenApiParameter(
    HEADER,
    OpenApiTypes.UUID,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A UUID per change: sending the same request again with the same key answers "
        "as the first one did and changes nothing more. A key is one change's: sent "
        "with another person or another action, it is refused."
    ),
)


def once_from(request) -> Once | None:
    """The caller's key as a one-time token, or None without the header."""
    key = request.headers.get(HEADER) or None
    if key is None:
        return None
    try:
        return Once(uuid.UUID(key), request.user.pk)
    except ValueError as exc:
        raise ValidationError({HEADER: gettext("Send a UUID.")}) from exc


def check_same_object(result, obj) -> None:
    """A key sent again must name the object it was first sent with."""
    if already_saved(result) and result.pk != obj.pk:
        raise ValidationError(
            {HEADER: gettext("This key was sent with another request: use a new one.")}
        )
