"""What the scoping tables of every app share: the roles, a row builder and
the check of one response (who reaches it, and the headers it carries)."""

import pytest
from django.urls import reverse

# The people of one program around `mentee_profile` (see tests/conftest.py).
CASE_ROLES = [
    "anonymous",
    "admin",
    "coordinator",
    "mentor",
    "other_mentor",
    "mentee",
    "other_mentee",
    "outsider",
]
LOGIN = "login"  # a redirect to the sign-in page

# The Content-Security-Policy every response carries (config/settings/base.py).
# A nonce may be added to script-src and style-src by a page that needs one.
REQUIRED_CSP = {
    "default-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
NONCED = ("script-src", "style-src")


def row(name, method, arg, *expected, roles=CASE_ROLES):
    return (name, method, arg, dict(zip(roles, expected, strict=True)))


def csp_directives(response) -> dict[str, set[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def assert_protected_headers(response, label: str) -> None:
    """Strict CSP, and nothing kept by a browser or proxy cache (shared computers)."""
    directives = csp_directives(response)
    for name, sources in REQUIRED_CSP.items():
        assert directives.get(name) == sources, f"{label}: CSP {name} {directives.get(name)}"
    for name in NONCED:
        extra = {s for s in directives.get(name, set()) - {"'self'"} if not s.startswith("'nonce-")}
        assert name in directives and extra == set(), f"{label}: CSP {name} {directives.get(name)}"
    cache_control = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert "no-store" in cache_control, f"{label}: Cache-Control {cache_control}"


def assert_reaches(response, expected, label: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, label
        assert response.url.startswith(reverse("account_login")), label
    else:
        assert response.status_code == expected, label
    assert_protected_headers(response, label)


# The url_args of the scoping tables that name a part of one mentee's record.
MENTEE_RECORD_ARGS = {
    "mentee", "assignment", "checkin", "plan", "goal", "step", "trigger", "assessment",
    "schedule", "support", "safety_plan", "status_change",
}  # fmt: skip
# With a grant an admin is in scope; a page only its author may use stays refused.
WITH_GRANT = {"checkins:edit": 403}


def mentee_record_reads(pages, record_args=MENTEE_RECORD_ARGS):
    """The GET rows of a scoping table that show a mentee's record."""
    return [r for r in pages if r[1] == "get" and r[2] in record_args]


def check_admin_reaches_only_with_grant(client, admin, mentee_profile, url, name) -> None:
    """No grant: 404. A break-glass grant for this mentee: the page (200)."""
    from mentorship.services import break_glass_open

    assert_reaches(client.get(url), 404, f"admin without a grant get {url}")
    break_glass_open(user=admin, mentee_id=mentee_profile.pk, reason="Safety concern by phone")
    assert_reaches(client.get(url), WITH_GRANT.get(name, 200), f"admin with a grant get {url}")


def check_read_is_audited(client, url, name, expected, mentee_profile) -> None:
    """The audit walk: a mentee-record read is registered for the audit and,
    when the coordinator may read it, records one allowed event naming the
    mentee (issue: every read accounted for)."""
    from audit.models import AccessEvent
    from audit.registry import route_for

    assert route_for(name, "GET") is not None, f"{name} is not registered for the audit"
    before = set(AccessEvent.objects.values_list("pk", flat=True))
    response = client.get(url)
    assert_reaches(response, expected, f"coordinator get {url}")
    events = list(AccessEvent.objects.exclude(pk__in=before))
    assert len(events) == 1, [(e.action, e.object_type) for e in events]
    outcome = "allowed" if expected == 200 else "denied"
    assert (events[0].outcome, events[0].mentee_ids) == (outcome, [mentee_profile.pk])


def scoping_tests(pages, *, record_args=MENTEE_RECORD_ARGS):
    """The three tests of an app's scoping table, from the table: every role
    reaches only what it may; an admin reaches a mentee-record read only with
    a break-glass grant; every such read is audited. The app's module names
    them (`test_a, test_b, test_c = scoping_tests(PAGES)`) and gives the
    `url_args` fixture."""
    ids = [r[0] for r in pages]
    reads = mentee_record_reads(pages, record_args)
    read_ids = [r[0] for r in reads]
    columns = ("name", "method", "arg", "expected")

    @pytest.mark.parametrize("role", CASE_ROLES)
    @pytest.mark.parametrize(columns, pages, ids=ids)
    def each_role_reaches_only_what_it_may(
        case_clients, url_args, role, name, method, arg, expected
    ):
        url = reverse(name, args=url_args[arg] if arg else None)
        response = getattr(case_clients[role], method)(url)
        assert_reaches(response, expected[role], f"{role} {method} {url}")

    @pytest.mark.parametrize(columns, reads, ids=read_ids)
    def an_admin_reaches_a_mentee_record_only_with_a_grant(
        case_clients, admin_user, mentee_profile, url_args, name, method, arg, expected
    ):
        url = reverse(name, args=url_args[arg])
        check_admin_reaches_only_with_grant(
            case_clients["admin"], admin_user, mentee_profile, url, name
        )

    @pytest.mark.parametrize(columns, reads, ids=read_ids)
    def every_mentee_record_read_is_audited(
        coordinator_client, mentee_profile, url_args, name, method, arg, expected
    ):
        url = reverse(name, args=url_args[arg])
        check_read_is_audited(
            coordinator_client, url, name, expected["coordinator"], mentee_profile
        )

    return (
        each_role_reaches_only_what_it_may,
        an_admin_reaches_a_mentee_record_only_with_a_grant,
        every_mentee_record_read_is_audited,
    )
