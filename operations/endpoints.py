"""/healthz, /readyz and /metrics, answered by the first middleware.

Probes and scrapers reach a container directly, over plain HTTP and by its
address: answered here, before the host check, the HTTPS redirect and the
session, they need neither a host name from DJANGO_ALLOWED_HOSTS nor TLS.
The health answers say ok or not ok per component and nothing else, to
anyone. Metrics need PEERPATH_METRICS_TOKEN (as "Authorization: Bearer …")
or an address in PEERPATH_METRICS_ALLOWED_IPS; with neither set they are off
(404)."""

import hmac
import ipaddress
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from core.client_ip import client_ip

from . import health

HEALTHZ, READYZ, METRICS = "/healthz", "/readyz", "/metrics"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def healthz(request) -> HttpResponse:
    """The process answers: no database, nothing else."""
    return _no_store(JsonResponse({"status": "ok"}))


def readyz(request) -> HttpResponse:
    results = health.readiness()
    ok = all(results.values())
    body = {
        "status": "ok" if ok else "not ok",
        "components": {name: "ok" if good else "not ok" for name, good in results.items()},
    }
    return _no_store(
        HttpResponse(json.dumps(body), status=200 if ok else 503, content_type="application/json")
    )


def metrics_allowed(request) -> bool | None:
    """True or False for this request; None when metrics are off."""
    token: str = settings.PEERPATH_METRICS_TOKEN
    allowed: list[str] = settings.PEERPATH_METRICS_ALLOWED_IPS
    if not token and not allowed:
        return None
    if token:
        sent = request.META.get("HTTP_AUTHORIZATION", "")
        if sent.startswith("Bearer ") and hmac.compare_digest(
            sent.removeprefix("Bearer ").strip().encode(), token.encode()
        ):
            return True
    address = client_ip(request)
    if address and allowed:
        ip = ipaddress.ip_address(address)
        return any(ip in ipaddress.ip_network(net, strict=False) for net in allowed)
    return False


def metrics(request) -> HttpResponse:
    from .metrics import exposition

    allowed = metrics_allowed(request)
    if allowed is None:
        return _no_store(HttpResponse("Not found", status=404, content_type="text/plain"))
    if not allowed:
        response = HttpResponse("Forbidden", status=403, content_type="text/plain")
        response["WWW-Authenticate"] = "Bearer"
        return _no_store(response)
    body, content_type = exposition()
    return _no_store(HttpResponse(body, content_type=content_type))


ENDPOINTS = {HEALTHZ: healthz, READYZ: readyz, METRICS: metrics}


class OperationsEndpointsMiddleware:
    """First in MIDDLEWARE: answers the three paths (GET or HEAD) itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        endpoint = ENDPOINTS.get(request.path_info.rstrip("/") or "/")
        if endpoint is None or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        return endpoint(request)
