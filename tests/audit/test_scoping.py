"""The admins' audit search and its export: admins only, every other role
refused. (A mentee's access history and "who has seen my record" live with
the mentee record: tests/mentorship/test_scoping.py.)"""

import pytest
from django.urls import reverse

from tests.scoping import CASE_ROLES, LOGIN, assert_reaches, row

pytestmark = pytest.mark.django_db


PAGES = [
    #    name             method  arg    anon   admin coord mentor other  mentee other  outsider
    row("audit:search",  "get",  None,  LOGIN, 200,  403,  403,   403,   403,   403,   403),
    row("audit:export",  "get",  None,  LOGIN, 200,  403,  403,   403,   403,   403,   403),
]  # fmt: skip


@pytest.mark.parametrize("role", CASE_ROLES)
@pytest.mark.parametrize(("name", "method", "arg", "expected"), PAGES, ids=[r[0] for r in PAGES])
def test_each_role_reaches_only_what_it_may(case_clients, role, name, method, arg, expected):
    url = reverse(name)
    response = getattr(case_clients[role], method)(url)
    assert_reaches(response, expected[role], f"{role} {method} {url}")
