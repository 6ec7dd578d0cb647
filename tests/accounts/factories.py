import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from accounts.models import Program, Role, User

TEST_PASSWORD = "correct horse battery staple"


PROGRAM_TIME_ZONE = "America/Los_Angeles"


def program_day():
    """Today in the test programs' zone: the day every rule calls today."""
    from core.dates import local_today

    return local_today(PROGRAM_TIME_ZONE)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Recovery Program {n}")
    state = "CA"
    county = factory.Iterator(["Sacramento", "Fresno", "Alameda", "Los Angeles"])
    time_zone = PROGRAM_TIME_ZONE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.MENTOR
    program = factory.SubFactory(ProgramFactory)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    class Params:
        admin = factory.Trait(role=Role.ADMIN, program=None)
        coordinator = factory.Trait(role=Role.COORDINATOR)
        mentee = factory.Trait(role=Role.MENTEE)


def enrol_totp(user: User) -> str:
    """Give the user an authenticator app; returns its secret for making codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


# A code is good for its 30-second window only (allauth's tolerance is 0). A
# code made in the window's last seconds can reach the server in the next one
# on a loaded machine, so a test waits for a fresh window instead.
TOTP_PERIOD_SECONDS = 30
TOTP_SAFE_MARGIN_SECONDS = 5


def totp_code(secret: str) -> str:
    """The authenticator app's code now, made with at least
    TOTP_SAFE_MARGIN_SECONDS of its window left to travel."""
    left = TOTP_PERIOD_SECONDS - time.time() % TOTP_PERIOD_SECONDS
    if left < TOTP_SAFE_MARGIN_SECONDS:
        time.sleep(left + 0.2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD_SECONDS))


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
