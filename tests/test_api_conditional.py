"""Conditional requests (issue #14, item 5): every detail answers with an
ETag; a PATCH or PUT whose If-Match no longer matches answers 412 and
changes nothing, so two coordinators cannot overwrite each other silently."""

import pytest
from django.urls import reverse

from config.api_router import router
from core.api.conditional import ConditionalMixin
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors

# The write-proof's case (every role, every object) and its valid bodies.
from tests.test_write_proof import API_WRITES, SUCCESS, api_writes, case  # noqa: F401
from tests.write_proof_data import changes, snapshot

pytestmark = pytest.mark.django_db


def test_every_viewset_with_a_detail_is_conditional():
    for prefix, viewset, _ in router.registry:
        if hasattr(viewset, "retrieve"):
            assert issubclass(viewset, ConditionalMixin), prefix


def test_a_stale_if_match_answers_412_and_changes_nothing(coordinator, mentee_profile):
    url = reverse("api:mentee-detail", args=[mentee_profile.pk])
    first, second = api_client_for(coordinator), api_client_for(coordinator)
    read = first.get(url)
    etag = read["ETag"]
    assert etag and second.get(url)["ETag"] == etag

    # The first coordinator saves on the version both read...
    saved = first.patch(url, {"county": "Yolo"}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200, saved.json()
    assert first.get(url)["ETag"] != etag

    # ...the second, on the same version, is refused and nothing changes.
    stale = second.patch(url, {"county": "Placer"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["errors"][0]["code"] == "precondition_failed"
    assert "changed after you read it" in api_errors(stale)["detail"][0]
    mentee_profile.refresh_from_db()
    assert mentee_profile.county == "Yolo"

    # On the new version it goes through; "*" and no header are unconditional.
    fresh = second.get(url)["ETag"]
    assert (
        second.patch(url, {"county": "Placer"}, format="json", HTTP_IF_MATCH=fresh).status_code
        == 200
    )
    assert (
        second.patch(url, {"county": "Yolo"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    )
    assert second.patch(url, {"county": "Sutter"}, format="json").status_code == 200


def test_if_match_is_checked_after_scoping(outsider, mentee_profile):
    url = reverse("api:mentee-detail", args=[mentee_profile.pk])
    response = api_client_for(outsider).patch(
        url, {"county": "X"}, format="json", HTTP_IF_MATCH='"x"'
    )
    assert response.status_code == 404


def test_the_schema_documents_if_match_and_412():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/mentees/{id}/"]["patch"]
    assert "If-Match" in {p["name"] for p in operation["parameters"]}
    assert "412" in operation["responses"]


# --- Every write on a detail: the same ETag, the same 412 -----------------------


CONDITIONAL_WRITES = [r for r in API_WRITES if r[1] in ("patch", "put")]


def _a_writer(expected: dict) -> str:
    return next(role for role, status in expected.items() if status in SUCCESS)


def test_every_conditional_write_is_here():
    assert {(r[0], r[1]) for r in CONDITIONAL_WRITES} == {
        (name, method) for name, method in api_writes() if method in ("patch", "put")
    }


@pytest.mark.parametrize(
    ("name", "method", "arg", "expected"),
    CONDITIONAL_WRITES,
    ids=[f"{r[0]}-{r[1]}" for r in CONDITIONAL_WRITES],
)
def test_every_detail_write_answers_412_on_a_stale_etag_and_saves_on_the_current_one(
    case,  # noqa: F811
    name,
    method,
    arg,
    expected,
):
    role = _a_writer(expected)
    client = case.clients[role]
    url = reverse(name, args=case.args[arg])
    read = client.get(url)
    assert read.status_code == 200 and read["ETag"].startswith('"'), url

    before = snapshot()
    stale = '"0123456789abcdef0123456789abcdef"'
    body = case.payloads[(name, method)]
    refused = getattr(client, method)(
        url, body, content_type="application/json", HTTP_IF_MATCH=stale
    )
    assert refused.status_code == 412, (url, refused.content)
    assert refused.json()["errors"][0]["code"] == "precondition_failed"
    assert changes(before, snapshot()) == {}, url

    saved = getattr(client, method)(
        url, body, content_type="application/json", HTTP_IF_MATCH=read["ETag"]
    )
    assert saved.status_code == 200, (url, saved.content)
