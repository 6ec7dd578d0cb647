import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Invitation, Program, Role, User
from tests.accounts.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_database_refuses_a_mentor_without_a_program():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="m@example.org", full_name="M", role=Role.MENTOR)])


def test_database_refuses_an_admin_with_a_program(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create(
            [User(email="a@example.org", full_name="A", role=Role.ADMIN, program=program)]
        )


def test_database_refuses_an_unknown_role(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create(
            [User(email="x@example.org", full_name="X", role="superhero", program=program)]
        )


def test_email_is_unique_whatever_its_case(program):
    UserFactory(email="sam@example.org", program=program)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create(
            [User(email="SAM@example.org", full_name="S", role=Role.MENTOR, program=program)]
        )


def test_create_user_lowercases_the_email(program):
    user = User.objects.create_user(
        email="Rosa.Delgado@Example.ORG",
        password="x" * 12,
        full_name="Rosa",
        role="mentee",
        program=program,
    )
    assert user.email == "rosa.delgado@example.org"


def test_django_admin_access_follows_the_admin_role(program):
    admin = UserFactory(admin=True)
    coordinator = UserFactory(coordinator=True, program=program)
    assert admin.is_staff and admin.has_perm("accounts.change_program")
    assert not coordinator.is_staff and not coordinator.has_perm("accounts.change_program")
    admin.is_active = False
    assert not admin.is_staff


def test_california_program_must_name_one_of_the_58_counties():
    program = Program(name="P", state="CA", county="Springfield")
    with pytest.raises(ValidationError) as exc:
        program.full_clean()
    assert "county" in exc.value.message_dict


def test_california_county_is_matched_without_regard_to_case():
    program = Program(name="P", state="ca", county="  san luis obispo ")
    program.full_clean()
    assert (program.state, program.county) == ("CA", "San Luis Obispo")


def test_program_outside_california_types_its_county_freely():
    Program(name="P", state="OR", county="Multnomah").full_clean()


def test_program_time_zone_must_exist():
    with pytest.raises(ValidationError) as exc:
        Program(name="P", county="Yolo", time_zone="Mars/Olympus").full_clean()
    assert "time_zone" in exc.value.message_dict


def test_database_bounds_the_check_in_cadence():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(default_checkin_cadence_days=0)


def test_database_allows_one_open_invitation_per_email(coordinator):
    def open_invitation(token_hash: str) -> Invitation:
        return Invitation(
            email="new@example.org",
            role=Role.MENTOR,
            program=coordinator.program,
            invited_by=coordinator,
            token_hash=token_hash,
            expires_at=Invitation.default_expiry(),
        )

    open_invitation("a" * 64).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        open_invitation("b" * 64).save()
