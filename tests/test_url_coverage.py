"""Every URL of ours has a row in a scoping table (tests/<app>/test_scoping.py),
so no page or API resource ships without its who-may-see-it test."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.accounts import test_scoping as accounts_scoping
from tests.audit import test_scoping as audit_scoping
from tests.certification import test_scoping as certification_scoping
from tests.checkins import test_scoping as checkins_scoping
from tests.mentorship import test_scoping as mentorship_scoping
from tests.notifications import test_scoping as notifications_scoping
from tests.operations import test_scoping as operations_scoping
from tests.recovery_plans import test_scoping as recovery_plans_scoping
from tests.referrals import test_scoping as referrals_scoping
from tests.reports import test_scoping as reports_scoping
from tests.supervision import test_scoping as supervision_scoping

# allauth's and Django admin's own URLs: tested in test_authentication and the
# admin tests; everything else must have a row.
THIRD_PARTY_PREFIXES = ("account_", "mfa_", "admin:")
TABLES = [
    accounts_scoping.PAGES,
    mentorship_scoping.PAGES,
    notifications_scoping.PAGES,
    notifications_scoping.PREFERENCE_PAGES,
    checkins_scoping.PAGES,
    recovery_plans_scoping.PAGES,
    certification_scoping.PAGES,
    audit_scoping.PAGES,
    referrals_scoping.PAGES,
    supervision_scoping.PAGES,
    reports_scoping.PAGES,
    operations_scoping.PAGES,
]


def named_urls(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_scoping_row():
    ours = {name for name in named_urls() if not name.startswith(THIRD_PARTY_PREFIXES)}
    covered = {row[0] for table in TABLES for row in table}
    assert ours - covered == set(), "URLs without a scoping test"
    assert covered - ours == set(), "scoping rows for URLs that no longer exist"
