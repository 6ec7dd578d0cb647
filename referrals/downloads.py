"""The signed consent form as a private download, for the page and the API."""

from django.http import FileResponse, Http404

from .models import Consent


def signed_form_download(consent: Consent) -> FileResponse:
    """The file staff uploaded, as an attachment named after the consent;
    404 when there is none (or it is gone from storage)."""
    if not consent.signed_form:
        raise Http404
    try:
        handle = consent.signed_form.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = consent.signed_form.name.rsplit(".", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=f"consent-{consent.pk}.{extension}")
