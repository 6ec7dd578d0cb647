import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations import backups


class Command(BaseCommand):
    help = (
        "Write the database (one consistent pg_dump) and the private files into one "
        "archive encrypted with PEERPATH_BACKUP_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="the archive to write")
        parser.add_argument(
            "--new-key", action="store_true", help="print a new random key and write nothing"
        )

    def handle(self, *args, output: Path, new_key: bool, **options):
        if new_key:
            self.stdout.write(backups.new_key())
            return
        try:
            manifest = backups.backup(output)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_dump failed: {error.stderr.decode(errors='replace')}") from None
        self.stdout.write(
            f"Backed up the database ({manifest['database_bytes']} bytes) and "
            f"{manifest['files']} private files to {output}."
        )
