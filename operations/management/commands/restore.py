import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations import backups


class Command(BaseCommand):
    help = (
        "Bring a `manage.py backup` archive back into an empty database (DATABASE_URL) "
        "and the private files folder. Then run `manage.py verify_audit`."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        try:
            manifest = backups.restore(archive)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        except subprocess.CalledProcessError as error:
            raise CommandError(
                f"{Path(error.cmd[0]).name} failed: {error.stderr.decode(errors='replace')}"
                if isinstance(error.stderr, bytes)
                else f"{Path(error.cmd[0]).name} failed: {error.stderr}"
            ) from None
        self.stdout.write(
            f"Restored the backup of {manifest.get('created_at')} "
            f"({manifest.get('files')} private files). Run manage.py verify_audit next."
        )
