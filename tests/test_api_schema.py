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


def _schema() -> dict:
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def test_the_openapi_document_validates():
    from openapi_spec_validator import validate

    validate(_schema())


def test_every_operation_documents_the_statuses_it_can_answer_with_one_error_body():
    schema = _schema()
    components = schema["components"]["schemas"]

    def error_shape(ref_or_schema: dict) -> set[str]:
        if "$ref" in ref_or_schema:
            ref_or_schema = components[ref_or_schema["$ref"].rsplit("/", 1)[1]]
        return set(ref_or_schema.get("properties", {}))

    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            where = (method, path)
            assert {"401", "403", "405", "500"} <= codes, where
            if "{" in path:
                assert "404" in codes, where
            if method in ("post", "patch", "put", "delete"):
                assert "400" in codes, where
            if method in ("patch", "put"):
                assert "412" in codes, where
            for code, response in operation["responses"].items():
                if code[0] in "45":
                    body = response["content"]["application/json"]["schema"]
                    assert error_shape(body) == {"type", "errors"}, (where, code)


def test_blank_and_null_answers_are_declared():
    components = _schema()["components"]["schemas"]
    # Read-only choices left blank, nullable columns and a blank URL.
    assert {"$ref": "#/components/schemas/BlankEnum"} in components["Assignment"]["properties"][
        "end_reason"
    ]["oneOf"]
    assert components["MenteeProfile"]["properties"]["current_mentor"]["nullable"] is True
    website = components["Resource"]["properties"]["website"]
    assert {"type": "string", "maxLength": 0} in website["anyOf"]
    # A mentee reads less of a check-in: only what every caller gets is required.
    assert set(components["CheckInList"]["required"]) == {
        "id",
        "kind",
        "occurred_at",
        "delivery_method",
        "next_checkin_on",
    }


def test_the_docs_show_examples_for_the_main_operations():
    paths = _schema()["paths"]
    assert paths["/api/v1/checkins/"]["post"]["requestBody"]["content"]["application/json"][
        "examples"
    ]
    for path, method, code in [
        ("/api/v1/checkins/", "post", "201"),
        ("/api/v1/checkins/{id}/", "get", "200"),
        ("/api/v1/mentees/", "get", "200"),
        ("/api/v1/mentees/{id}/", "get", "200"),
        ("/api/v1/mentees/{id}/", "patch", "412"),
    ]:
        assert paths[path][method]["responses"][code]["content"]["application/json"]["examples"]
