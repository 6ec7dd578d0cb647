"""Content-Security-Policy and Cache-Control on every response of ours.

Every URL of the scoping tables checks both headers for every role
(tests/scoping.py: assert_reaches); these tests cover what the tables do not:
the sign-in page, nonces, static files, the production cookie names.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from core.middleware import NoStoreMiddleware
from tests.scoping import assert_protected_headers, csp_directives
from tests.test_deploy_check import production_env

ROOT = Path(__file__).resolve().parent.parent.parent
# What a strict CSP blocks in a template: event-handler and style attributes,
# htmx's hx-on (code in an attribute), javascript: links, and <script>/<style>
# elements that neither load a file nor carry the response's nonce.
INLINE_CODE = re.compile(
    "|".join(
        [
            r"\son[a-z]+\s*=",
            r"\sstyle\s*=",
            r"hx-on",
            r"javascript:",
            r"<style(?![^>]*\bnonce=)",
            r"<script(?![^>]*\b(src|nonce)=)",
        ]
    ),
    re.I,
)


def test_the_sign_in_page_carries_the_headers(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert_protected_headers(response, "login")


@pytest.mark.django_db
def test_a_page_without_inline_code_gets_no_nonce(client_for, mentor):
    response = client_for(mentor).get(reverse("dashboard"))
    directives = csp_directives(response)
    assert directives["script-src"] == {"'self'"}
    assert directives["style-src"] == {"'self'"}


@pytest.mark.django_db
def test_the_api_docs_run_their_inline_code_by_nonce_alone(client_for, mentor):
    response = client_for(mentor).get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    directives = csp_directives(response)
    (script_nonce,) = directives["script-src"] - {"'self'"}
    nonce = script_nonce.removeprefix("'nonce-").removesuffix("'")
    assert directives["style-src"] == {"'self'", script_nonce}
    assert len(nonce) >= 16
    inline = re.findall(r"<(script|style)(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline, "the page has its inline init script and style"
    assert all(f'nonce="{nonce}"' in attrs for _tag, attrs in inline), inline
    assert "SwaggerUIBundle" in html


@pytest.mark.django_db
def test_the_browsable_api_styles_its_code_by_nonce(client_for, mentor):
    response = client_for(mentor).get(reverse("api:api-root"), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    (style_nonce,) = csp_directives(response)["style-src"] - {"'self'"}
    nonce = style_nonce.removeprefix("'nonce-").removesuffix("'")
    styles = re.findall(r"<style([^>]*)>", response.content.decode())
    assert styles == [f' nonce="{nonce}"']


def test_a_view_that_allowed_caching_is_overruled():
    def view(request):
        response = HttpResponse("a mentee's name")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    response = NoStoreMiddleware(view)(RequestFactory().get("/"))
    assert response["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching():
    # WhiteNoise answers static files before the middleware that forbids caching.
    with override_settings(WHITENOISE_USE_FINDERS=True):
        response = Client().get(f"{settings.STATIC_URL}css/peerpath.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_templates_have_no_inline_script_style_or_handler():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in INLINE_CODE.finditer(path.read_text())
    ]
    assert offenders == []


def test_production_cookies_are_host_only_and_secure(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH, "
        "s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "/",
        "/",
        "None",
        "None",
    ]


def test_plain_http_settings_keep_the_ordinary_cookie_names():
    # Browsers drop a __Host- cookie that is not Secure: tests and `make run` are http.
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
