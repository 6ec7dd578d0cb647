"""A user for every role in one program, plus outsiders in another program.

Admins and coordinators come with an authenticator enrolled, as they would
have after their first sign-in; tests of the MFA requirement make their own.
"""

import logging
import os
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from tests.accounts.factories import ProgramFactory, UserFactory, enrol_totp


@pytest.fixture(scope="session", autouse=True)
def _suite_clock():
    """PEERPATH_TEST_CLOCK=HH:MM runs the whole suite from that UTC time of
    today, the clock ticking on. CI runs it at 02:30 (already tomorrow in UTC,
    still today in the Americas) and at 23:30, so a test or a rule that mixes
    up whose "today" it is fails in CI whatever hour CI happens to run."""
    value = os.environ.get("PEERPATH_TEST_CLOCK", "")
    if not value:
        yield None
        return
    hour, minute = (int(part) for part in value.split(":"))
    start = datetime.now(UTC).replace(hour=hour, minute=minute, second=0, microsecond=0)
    with time_machine.travel(start, tick=True):
        yield start


@pytest.fixture(autouse=True)
def _no_active_time_zone():
    """Every test starts in UTC, as a worker or a token request does: a rule
    that leans on the active zone instead of the program's fails here."""
    from django.utils import timezone

    timezone.deactivate()
    yield
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _rows_the_migrations_seed(request):
    """The rows the data migrations write (the audit chain's head, the
    certification types) are there for every database test, whatever ran
    before it. A transactional test (a browser journey, a race) ends by
    flushing every table, and pytest-django may order some database tests
    after those: without this, such a test would pay the head's first-append
    queries inside its query budget, or miss a seeded type. The rows are put
    back before the test body runs, so no budget counts them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or (marker.args[:1] == (True,)))
    )
    if transactional or not (marker or "db" in request.fixturenames):
        return
    request.getfixturevalue("db")
    from audit.chain import GENESIS
    from audit.models import AccessEvent, ChainHead
    from certification.models import CertificationType
    from tests.certification.factories import seeded_types

    if not ChainHead.objects.filter(pk=1).exists():
        # As the migration and a first append do, without holding a lock for
        # the whole test (another connection may append meanwhile).
        last = AccessEvent.objects.order_by("-id").values("id", "hash").first()
        ChainHead.objects.bulk_create(
            [
                ChainHead(
                    pk=1,
                    last_id=last["id"] if last else 0,
                    last_hash=last["hash"] if last else GENESIS,
                )
            ],
            ignore_conflicts=True,
        )
    if not CertificationType.objects.exists():
        seeded_types()


@pytest.fixture
def program(db):
    return ProgramFactory(name="Sacramento Peer Recovery", county="Sacramento")


@pytest.fixture
def other_program(db):
    return ProgramFactory(name="Fresno Recovery Mentors", county="Fresno")


@pytest.fixture
def admin_user(db):
    user = UserFactory(admin=True, email="admin@example.org", full_name="Ada Admin")
    enrol_totp(user)
    return user


@pytest.fixture
def coordinator(program):
    user = UserFactory(
        coordinator=True, program=program, email="coord@example.org", full_name="Dana Whitfield"
    )
    enrol_totp(user)
    return user


@pytest.fixture
def mentor(program):
    from tests.mentorship.factories import make_mentor

    return make_mentor(program, email="mentor@example.org", full_name="Marcus Reyes")


@pytest.fixture
def mentee(program):
    return UserFactory(
        mentee=True, program=program, email="mentee@example.org", full_name="Jordan Ellis"
    )


@pytest.fixture
def outsider(other_program):
    """A coordinator of another program: sees everything there, nothing here."""
    user = UserFactory(
        coordinator=True, program=other_program, email="outsider@example.org", full_name="Otto Side"
    )
    enrol_totp(user)
    return user


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(admin_user):
    return _client_for(admin_user)


@pytest.fixture
def coordinator_client(coordinator):
    return _client_for(coordinator)


@pytest.fixture
def mentor_client(mentor):
    return _client_for(mentor)


@pytest.fixture
def mentee_client(mentee):
    return _client_for(mentee)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def client_for():
    return _client_for


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used TOTP codes live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- Mentorship: the mentee record of `mentee`, assigned to `mentor`. --------


@pytest.fixture
def mentee_profile(program, mentee, mentor, coordinator):
    from tests.mentorship.factories import MenteeProfileFactory, assign

    profile = MenteeProfileFactory(
        program=program,
        user=mentee,
        preferred_name="Jordan",
        created_by=coordinator,
        email=mentee.email,
        status="active",
    )
    assign(profile, mentor, by=coordinator)
    return profile


@pytest.fixture
def other_mentor(program):
    """A mentor of the same program with no assignment to `mentee_profile`."""
    from tests.mentorship.factories import make_mentor

    return make_mentor(program, email="other.mentor@example.org", full_name="Lena Okafor")


@pytest.fixture
def other_mentee(program):
    """Another mentee of the same program: sees nothing of `mentee_profile`."""
    return UserFactory(
        mentee=True, program=program, email="other.mentee@example.org", full_name="Sam Castillo"
    )


# --- Privacy: no email of any test may carry what a check-in says. ----------

# Words that must never appear in an email: the substances of concern, and the
# marker every test note, crisis note and message carries.
PHI_IN_EMAIL = (
    "PHI-MARKER",
    "alcohol",
    "opioid",
    "stimulant",
    "cocaine",
    "meth",
    "cannabis",
    "benzodiazepine",
    "nicotine",
)


@pytest.fixture(autouse=True)
def _no_phi_in_any_email():
    yield
    import re

    from django.core import mail

    pattern = re.compile(r"\b(" + "|".join(PHI_IN_EMAIL) + r")", re.IGNORECASE)
    for message in getattr(mail, "outbox", []):
        parts = [
            message.subject,
            message.body,
            *[alt[0] for alt in getattr(message, "alternatives", [])],
        ]
        leaked = pattern.findall(" ".join(parts))
        assert not leaked, f"email to {message.to} carries {leaked}"


# The same words must never reach a log line: neither its message nor the
# context fields every line carries (core.request_log: request id, user id,
# role, task id). Whole words here ("method" is not a substance).
PHI_IN_LOGS = re.compile(r"\b(" + "|".join(PHI_IN_EMAIL) + r")\b", re.IGNORECASE)


class _LogLines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.leaks: list[str] = []

    def emit(self, record):
        from core.request_log import FIELDS

        context = " ".join(str(getattr(record, name, "") or "") for name in FIELDS)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is not this check's to report
            message = str(record.msg)
        leaked = PHI_IN_LOGS.findall(f"{message} {context}")
        if leaked:
            self.leaks.append(f"{record.name}: {leaked}")


@pytest.fixture(autouse=True)
def _no_phi_in_any_log_line():
    from core.request_log import RequestContextFilter

    handler = _LogLines()
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield
    root.removeHandler(handler)
    assert not handler.leaks, f"log lines carry {handler.leaks}"


@pytest.fixture
def case_clients(
    client,
    client_for,
    admin_user,
    coordinator,
    mentor,
    other_mentor,
    mentee,
    other_mentee,
    outsider,
):
    """A signed-in client for every role in tests.scoping.CASE_ROLES."""
    users = {
        "admin": admin_user,
        "coordinator": coordinator,
        "mentor": mentor,
        "other_mentor": other_mentor,
        "mentee": mentee,
        "other_mentee": other_mentee,
        "outsider": outsider,
    }
    return {"anonymous": client, **{role: client_for(user) for role, user in users.items()}}
