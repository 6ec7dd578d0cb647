"""No query parameter or path id answers 500, on any API list or page.

PostgreSQL refuses what SQLite takes (a NUL byte in a string, an integer past
64 bits), so these run there too: with DATABASE_URL set they exercise the real
database. Every list and every parameter comes from the OpenAPI schema, so a new
endpoint or filter is covered without touching this file.
"""

import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from certification.filters import ReportFilterForm
from config.api_router import router
from mentorship.forms import MenteeFilterForm
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors

pytestmark = pytest.mark.django_db

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
HUGE = "6639009450995181523304448"
BAD_VALUES = {
    "nul": "a\x00b",
    "crlf": "a\r\nb",
    "huge": HUGE,
    "wrong_type": "abc",
    "superscript_digit": "\u00b2",  # "²".isdigit() is True, int("²") fails
}
# Parameters that are not filters: pagination answers 404 for a page that is
# not there, and `format` picks the renderer.
NOT_FILTERS = {"page", "page_size", "format"}


def _query_parameters(operation) -> list[dict]:
    return [p for p in operation.get("parameters", []) if p["in"] == "query"]


LISTS = sorted(path for path, item in SCHEMA["paths"].items() if "{" not in path and "get" in item)
LIST_PARAMETERS = [
    (path, parameter["name"], parameter["schema"])
    for path in LISTS
    for parameter in _query_parameters(SCHEMA["paths"][path]["get"])
]
ID_OPERATIONS = sorted(
    (path, method)
    for path, item in SCHEMA["paths"].items()
    if "{id}" in path
    for method in item
    if method in ("get", "post", "patch", "put", "delete")
)


def _must_refuse(name: str, schema: dict, kind: str) -> bool:
    """Which bad values a filter must answer with 400: none of them is an id,
    a day, one of a list of values or text of a declared pattern (a month);
    free text refuses only the NUL byte."""
    if name in NOT_FILTERS:
        return False
    return (
        kind == "nul"
        or schema.get("type") == "integer"
        or schema.get("format") == "date"
        or "enum" in schema
        or "pattern" in schema
    )


def test_the_schema_lists_the_filtered_api_lists():
    assert {name for _, name, _ in LIST_PARAMETERS} >= {"mentee", "mentor", "county", "status"}


@pytest.mark.parametrize("kind", BAD_VALUES)
@pytest.mark.parametrize(("path", "name", "schema"), LIST_PARAMETERS)
def test_no_bad_query_parameter_gives_a_500(admin_user, path, name, schema, kind):
    response = api_client_for(admin_user).get(path, {name: BAD_VALUES[kind]})
    assert response.status_code < 500
    if _must_refuse(name, schema, kind):
        assert response.status_code == 400
        assert name in api_errors(response)
    elif name not in NOT_FILTERS:
        assert response.status_code == 200


@pytest.mark.parametrize("page", ["abc", "99999999999999999999", "0", "-1", "a\x00"])
@pytest.mark.parametrize("path", [p for p, name, _ in LIST_PARAMETERS if name == "page"])
def test_a_page_that_is_not_there_is_a_404(admin_user, path, page):
    assert api_client_for(admin_user).get(path, {"page": page}).status_code == 404


@pytest.mark.parametrize("value", [HUGE, "abc", "%00", "-1", "1.5"])
@pytest.mark.parametrize(("path", "method"), ID_OPERATIONS)
def test_no_bad_path_id_gives_a_500(admin_user, path, method, value):
    client = api_client_for(admin_user)
    response = getattr(client, method)(path.replace("{id}", value), {}, format="json")
    assert response.status_code == 404


def test_every_filterset_is_documented_in_the_schema():
    documented = 0
    for prefix, viewset, _ in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is None:
            continue
        names = {p["name"] for p in _query_parameters(SCHEMA["paths"][f"/api/v1/{prefix}/"]["get"])}
        assert set(filterset.base_filters) <= names, prefix
        documented += 1
    assert documented >= 6


def test_the_report_documents_every_field_of_its_form():
    names = {
        p["name"]
        for p in _query_parameters(SCHEMA["paths"]["/api/v1/reports/certifications/"]["get"])
    }
    assert names == set(ReportFilterForm.base_fields) | {"format", "page"}


# The pages that read query parameters, each with the parameters it reads.
PAGES = [
    ("mentorship:mentee_list", [*MenteeFilterForm.base_fields, "page"]),
    ("accounts:invitation_list", ["page"]),
    ("notifications:list", ["page"]),
    ("certification:report", [*ReportFilterForm.base_fields, "page"]),
]


@pytest.mark.parametrize("kind", BAD_VALUES)
@pytest.mark.parametrize(("url_name", "names"), PAGES)
def test_no_bad_query_parameter_gives_a_500_on_a_page(
    client_for, coordinator, url_name, names, kind
):
    client = client_for(coordinator)
    for name in names:
        response = client.get(reverse(url_name), {name: BAD_VALUES[kind]})
        assert response.status_code == 200, name


def _page_urls_with_int_ids() -> list[str]:
    """Every page of ours whose path carries an <int:…> id, the ids made huge."""
    from django.urls import URLPattern, URLResolver, get_resolver

    urls = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<int:" in route:
                urls.append("/" + re.sub(r"<int:\w+>", HUGE, route).lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns)
    return sorted(u for u in urls if not u.startswith(("/admin/", "/accounts/")))


@pytest.mark.parametrize("url", _page_urls_with_int_ids())
def test_a_huge_id_in_a_page_path_is_a_404(admin_client, url):
    # pages that only take POST answer a GET 405 before looking the id up
    assert admin_client.get(url).status_code in (404, 405)
    assert admin_client.post(url).status_code in (404, 405)
