import pytest
from django.core.management import call_command
from django.urls import reverse


def test_openapi_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning into a failure.
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    for resource in [
        "/api/v1/users/me/",
        "/api/v1/programs/",
        "/api/v1/invitations/",
        "/api/v1/people/",
        "/api/v1/people/{id}/change-role/",
    ]:
        assert resource in schema


@pytest.mark.django_db
def test_api_docs_load_their_assets_from_this_site(mentor_client):
    content = mentor_client.get(reverse("api-docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in content
    assert "cdn." not in content and "unpkg" not in content
