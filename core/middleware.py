"""Response headers every page and API answer of ours carries."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase


class NoStoreMiddleware:
    """Nothing Django answers is kept by a browser or proxy cache.

    Drop-in centres share computers: a mentee's record, a CSV of a caseload or a
    certificate left in the browser cache is there for the next person. One rule
    for every response (pages, JSON, downloads, the sign-in page) leaves no view
    to forget it, and it overrules a view that allowed caching. Static files are
    answered by WhiteNoise, above this middleware, and keep their own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response
