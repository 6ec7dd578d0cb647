from django.core.management.base import BaseCommand, CommandError

from audit.chain import verify


class Command(BaseCommand):
    help = "Walk the audit hash chain and name the first altered, inserted or missing event."

    def handle(self, *args, **options):
        count, broken = verify()
        if broken is not None:
            raise CommandError(f"Audit chain broken after {count} good events: {broken}.")
        self.stdout.write(f"Audit chain intact: {count} events.")
