from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


@dataclass
class DemoReport:
    """What the apps' seed_demo(report) functions tell the person running it."""

    programs: list = field(default_factory=list)
    logins: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def login(self, user) -> None:
        self.logins.append(user)


class Command(BaseCommand):
    """Runs `seed_demo(report)` of every installed app's `demo` module, in
    INSTALLED_APPS order (lower apps first), in one transaction."""

    help = "Create (or top up) the demo programs, people and records, then print the logins."

    def handle(self, *args, **options):
        report = DemoReport()
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if find_spec(app_config.name) and _has_module(module_name):
                    seed = getattr(import_module(module_name), "seed_demo", None)
                    if seed is not None:
                        seed(report)
        self._print(report)

    def _print(self, report: DemoReport) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("Demo data is ready."))
        out.write(f"Programs: {', '.join(p.name for p in report.programs)}")
        out.write("")
        for note in report.notes:
            out.write(note)
        out.write("")
        width = max(len(u.email) for u in report.logins)
        for user in report.logins:
            program = user.program.name if user.program_id else "all programs"
            out.write(f"  {user.email:<{width}}  {user.get_role_display():<11}  {program}")


def _has_module(dotted: str) -> bool:
    try:
        return find_spec(dotted) is not None
    except ModuleNotFoundError:
        return False
