"""Void, never delete: a record entered by mistake (a check-in, continuing
education) is voided with a reason by its owner within a window, or at any
time by whoever decides on it. It stays in the history, struck through, and
counts for nothing more. Voiding twice answers like the first.

The record's model has `voided_at`, `voided_by`, `void_reason` (its length
the field's) and `created_at`. Its service locks the row, says who may
decide and which words it uses, then calls `void`; what else voiding changes
(a bill, a schedule) is the service's, when `void` says it voided now.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


@dataclass(frozen=True)
class VoidWords:
    """A record's words for the refusals: someone who may not void it, no
    reason given, and its owner past the window."""

    not_allowed: "_StrOrPromise"
    no_reason: "_StrOrPromise"
    too_late: "_StrOrPromise"


def void(
    row: Any,  # a model with the void fields (above)
    *,
    by,
    reason: str,
    decides: bool,
    owns: bool,
    window: timedelta,
    words: VoidWords,
    also_saved: tuple[str, ...] = (),
) -> bool:
    """Void `row`, locked by the caller: by someone who `decides` at any time,
    by its owner (`owns`) within `window` of its making, with a reason.
    Returns whether it was voided now (False: it already was, and stays as
    it was). `also_saved`: fields the caller changed on the row besides."""
    if not (decides or owns):
        raise PermissionDenied(words.not_allowed)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": words.no_reason})
    limit = row._meta.get_field("void_reason").max_length
    if limit and len(reason) > limit:
        raise ValidationError(
            {"reason": gettext("Keep the reason under %(limit)s characters.") % {"limit": limit}}
        )
    if row.voided_at is not None:
        return False
    if not decides and timezone.now() > row.created_at + window:
        raise ValidationError(words.too_late)
    row.voided_at, row.voided_by, row.void_reason = timezone.now(), by, reason
    row.save(update_fields=["voided_at", "voided_by", "void_reason", *also_saved])
    return True
