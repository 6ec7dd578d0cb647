"""Demo data for `manage.py seed_demo`: programs and people. Idempotent.

Later apps add a `demo.py` with `seed_demo(report)` of their own; the command
runs them in INSTALLED_APPS order, so people exist before their records.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from .models import Program, Role, User

DEMO_PASSWORD = "peerpath-demo-2026"  # noqa: S105  (printed for the demo on purpose)
DEMO_DOMAIN = "demo.peerpath.test"
# Every demo admin and coordinator shares this TOTP secret so the demo can be
# tried without enrolling a phone: `make demo-code` prints the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPPEERPATHDEMOABCD"  # noqa: S105  (demo only, printed)

PROGRAMS = [
    {
        "slug": "sacramento",
        "name": "Sacramento Peer Recovery Network",
        "county": "Sacramento",
        "coordinator": "Dana Whitfield",
        "mentors": ["Marcus Reyes", "Lena Okafor", "Tom Hadley"],
        "mentees": [
            "Jordan Ellis", "Priya Natarajan", "Sam Castillo", "Avery Brooks",
            "Rosa Delgado", "Kevin Tran", "Maya Johnson", "Eli Fischer",
        ],
    },
    {
        "slug": "fresno",
        "name": "Fresno Recovery Mentors",
        "county": "Fresno",
        "coordinator": "Gabriel Ortiz",
        "mentors": ["Alicia Moreno", "Derek Washington", "Hannah Kim"],
        "mentees": [
            "Luis Herrera", "Tasha Greene", "Ben Carver", "Nora Vance",
            "Isaac Flores", "Chloe Martin", "Victor Ramos", "Grace Lee",
        ],
    },
]  # fmt: skip


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def _person(*, email: str, full_name: str, role: str, program: Program | None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=full_name, role=role, program=program
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if (
        role in (Role.ADMIN, Role.COORDINATOR)
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def seed_demo(report) -> None:
    report.notes += [
        f"Every demo login uses the password: {DEMO_PASSWORD}",
        "Admins and coordinators also need a code from their authenticator:",
        f"  TOTP secret {DEMO_TOTP_SECRET}, or run `make demo-code` for the current code.",
    ]
    admin = _person(email=demo_email("admin"), full_name="Ada Admin", role=Role.ADMIN, program=None)
    report.login(admin)
    for spec in PROGRAMS:
        program, _ = Program.objects.get_or_create(
            name=spec["name"],
            defaults={"state": "CA", "county": spec["county"], "time_zone": "America/Los_Angeles"},
        )
        report.programs.append(program)
        coordinator = _person(
            email=demo_email(f"coordinator.{spec['slug']}"),
            full_name=spec["coordinator"],
            role=Role.COORDINATOR,
            program=program,
        )
        report.login(coordinator)
        for n, name in enumerate(spec["mentors"], start=1):
            mentor = _person(
                email=demo_email(f"mentor{n}.{spec['slug']}"),
                full_name=name,
                role=Role.MENTOR,
                program=program,
            )
            report.login(mentor)
        for n, name in enumerate(spec["mentees"], start=1):
            mentee = _person(
                email=demo_email(f"mentee{n}.{spec['slug']}"),
                full_name=name,
                role=Role.MENTEE,
                program=program,
            )
            report.login(mentee)
