"""Conditional requests: a detail answer carries an ETag, and a PATCH or PUT
sent with an If-Match that no longer matches answers 412, changing nothing.

The ETag is a hash of the record as the caller reads it (the detail's body),
so it changes with anything they can see. The check runs after
authentication and permissions, with the row locked for the rest of the
request: of two writers sending the same ETag, the second waits for the first
and is then refused, never silently overwriting it.
"""

import hashlib

import orjson
from django.db import transaction
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException

CHECKED = ("PUT", "PATCH")


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "This record changed after you read it: read it again and send your change on the new version."
    )
    default_code = "precondition_failed"


def etag_of(data) -> str:
    body = orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _tags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


class ConditionalMixin:
    """For a viewset with a detail: ETag on retrieve, If-Match on PATCH/PUT."""

    def dispatch(self, request, *args, **kwargs):
        if request.method in CHECKED and request.headers.get("If-Match"):
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        header = request.headers.get("If-Match")
        if request.method in CHECKED and header and self.detail:  # type: ignore[attr-defined]
            tags = _tags(header)
            if "*" not in tags and self._current_etag(request, *args, **kwargs) not in tags:
                raise PreconditionFailed()

    def _current_etag(self, request, *args, **kwargs) -> str:
        obj = self.get_object()  # type: ignore[attr-defined]
        # Locked until the change is saved: a second writer waits, then sees it.
        list(type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk"))
        action = self.action  # type: ignore[attr-defined]
        self.action = "retrieve"
        try:
            return etag_of(self.retrieve(request, *args, **kwargs).data)  # type: ignore[attr-defined]
        finally:
            self.action = action

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if (
            getattr(self, "action", None) == "retrieve"
            and response.status_code == status.HTTP_200_OK
            and isinstance(response.data, dict)
        ):
            response["ETag"] = etag_of(response.data)
        return response
