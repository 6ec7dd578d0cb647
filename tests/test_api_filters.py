"""Every API list reads its query parameters through a django-filter FilterSet
(in its app's api/filters.py), documented in the schema; a value the filter
does not take answers 400 naming the parameter, never a 500 or a silent
empty list."""

import django_filters
import pytest
from drf_spectacular.generators import SchemaGenerator

from config.api_router import router
from core.api.filters import BIGINT_MAX, DateFilter, IdFilter, TextFilter
from tests.accounts.test_api import api_client_for
from tests.api_errors import api_errors

pytestmark = pytest.mark.django_db

# Lists that are not a query, with why they take no parameter.
NOT_A_QUERY = {
    "notification-preferences": "the kinds the caller's role receives (a registry in code) "
    "beside their stored choices: a few dozen rows, never filtered",
}
LIST_VIEWSETS = [
    (prefix, viewset)
    for prefix, viewset, _ in router.registry
    if hasattr(viewset, "list") and prefix not in NOT_A_QUERY
]


def _bad_values(flt) -> list[str]:
    if isinstance(flt, IdFilter):
        return ["abc", "0", str(BIGINT_MAX + 1), "6639009450995181523304448", "1.5"]
    if isinstance(flt, django_filters.ChoiceFilter):
        return ["not-one-of-them", "a\x00b"]
    if isinstance(flt, TextFilter):
        return ["a\x00b"]
    if isinstance(flt, DateFilter):
        return ["1", "2026-02-30", "27/11/2026", "10000-01-01", "a\x00b"]
    raise AssertionError(f"{type(flt).__name__}: a filter the test does not know")


def test_every_list_has_a_filterset_in_its_apps_filters_module():
    assert len(LIST_VIEWSETS) >= 17
    for prefix, viewset in LIST_VIEWSETS:
        filterset = getattr(viewset, "filterset_class", None)
        assert filterset is not None, prefix
        assert filterset.base_filters, prefix
        app = viewset.__module__.split(".")[0]
        assert filterset.__module__ == f"{app}.api.filters", prefix


def test_every_filterset_is_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for prefix, viewset in LIST_VIEWSETS:
        operation = schema["paths"][f"/api/v1/{prefix}/"]["get"]
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert set(viewset.filterset_class.base_filters) <= names, prefix


def test_a_bad_value_of_every_filter_answers_400_naming_it(admin_user):
    client = api_client_for(admin_user)
    for prefix, viewset in LIST_VIEWSETS:
        for name, flt in viewset.filterset_class.base_filters.items():
            for value in _bad_values(flt):
                response = client.get(f"/api/v1/{prefix}/", {name: value})
                assert response.status_code == 400, (prefix, name, value)
                assert name in api_errors(response), (prefix, name, value)


def test_a_good_value_of_every_filter_answers_200(admin_user):
    client = api_client_for(admin_user)
    for prefix, viewset in LIST_VIEWSETS:
        for name, flt in viewset.filterset_class.base_filters.items():
            if isinstance(flt, django_filters.ChoiceFilter):
                values = [value for value, _ in flt.extra["choices"]]
            elif isinstance(flt, DateFilter):
                values = ["2026-11-27"]
            else:
                values = ["1"]
            for value in values:
                response = client.get(f"/api/v1/{prefix}/", {name: value})
                assert response.status_code == 200, (prefix, name, value)
