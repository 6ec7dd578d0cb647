import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Program, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _certification_types():
    """The types a data migration seeds; a transactional test before this one
    may have flushed them."""
    from tests.certification.factories import seeded_types

    seeded_types()


def test_seed_demo_creates_two_programs_and_prints_the_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert Program.objects.count() == 2
    assert len({p.county for p in Program.objects.all()}) == 2
    assert User.objects.filter(role=Role.ADMIN).count() == 1
    for program in Program.objects.all():
        members = program.members.values_list("role", flat=True)
        assert list(members).count(Role.COORDINATOR) == 1
        assert list(members).count(Role.MENTOR) == 3
        assert list(members).count(Role.MENTEE) == 8
    assert DEMO_PASSWORD in out
    for user in User.objects.all():
        assert user.email in out
        assert user.check_password(DEMO_PASSWORD)


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    counts = (User.objects.count(), Program.objects.count(), Authenticator.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Program.objects.count(), Authenticator.objects.count()) == counts


def test_demo_logins_work_with_the_printed_password(client):
    call_command("seed_demo")
    mentor = User.objects.filter(role=Role.MENTOR).first()
    assert client.login(email=mentor.email, password=DEMO_PASSWORD)


def test_demo_code_prints_a_six_digit_code(capsys):
    call_command("demo_code")
    code = capsys.readouterr().out.split()[0]
    assert len(code) == 6 and code.isdigit()
