"""The restore drill: records of every kind, a backup, a restore into a new
empty database and private folder, then every table's row count and a
checksum of its rows match, every private file is back byte for byte, and
verify_audit passes on what came back. And an archive that was changed, cut
short or opened with another key is refused."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from operations import backups
from tests.checkins.factories import make_checkin
from tests.services import require_postgres

ROOT = Path(__file__).resolve().parents[2]
KEY = backups.new_key()


@pytest.fixture
def key(settings):
    settings.PEERPATH_BACKUP_KEY = KEY


def table_fingerprints(dsn: dict) -> dict[str, tuple[int, str]]:
    with psycopg2.connect(**dsn) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
        found = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608
            )
            found[table] = cursor.fetchone()
    return found


def dsn_for(name: str) -> dict:
    settings_dict = connection.settings_dict
    return {
        "dbname": name,
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"] or 5432,
    }


@pytest.fixture
def scratch_database():
    name = f"{connection.settings_dict['NAME']}_drill"
    admin = psycopg2.connect(**dsn_for("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def files_of(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_the_restore_drill(
    key, settings, tmp_path, scratch_database, mentee_profile, mentor, admin_user, client_for
):
    require_postgres()
    # Generated records: check-ins (one with a crisis note), an admin reading
    # the record (audit events), and private files in nested folders.
    for days in range(3):
        make_checkin(mentee_profile, mentor, days_ago=days, notes=f"PHI-MARKER note {days}")
    client_for(mentor).get(reverse("mentorship:mentee_detail", args=[mentee_profile.pk]))
    private = tmp_path / "private"
    settings.PEERPATH_PRIVATE_MEDIA_ROOT = private
    (private / "certifications" / "2026").mkdir(parents=True)
    (private / "certifications" / "2026" / "a.pdf").write_bytes(b"%PDF-1.4 " + os.urandom(3000))
    (private / "ce").mkdir()
    (private / "ce" / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(1500))
    before_tables = table_fingerprints(dsn_for(connection.settings_dict["NAME"]))
    before_files = files_of(private)

    archive = tmp_path / "peerpath.backup"
    call_command("backup", str(archive))
    assert archive.read_bytes().startswith(backups.MAGIC)
    assert b"PHI-MARKER" not in archive.read_bytes()

    # Restore into a new, empty database and an empty private folder.
    restored = tmp_path / "restored-private"
    settings.PEERPATH_PRIVATE_MEDIA_ROOT = restored
    target = {**connection.settings_dict, "NAME": scratch_database}
    manifest = backups.restore(archive, database=target)
    assert manifest["files"] == 2

    assert table_fingerprints(dsn_for(scratch_database)) == before_tables
    assert files_of(restored) == before_files
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://{user}:{password}@{host}:{port}/{dbname}".format(
            **dsn_for(scratch_database)
        ),
    }
    verified = subprocess.run(
        [sys.executable, "manage.py", "verify_audit"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0, verified.stderr
    assert "Audit chain intact" in verified.stdout

    # A second restore into the now-filled database is refused.
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(archive, database=target)


def test_an_archive_changed_cut_short_or_read_with_another_key_is_refused(key, tmp_path, settings):
    plain = os.urandom(3 * backups.CHUNK + 100)
    archive = tmp_path / "a"
    with (
        open(archive, "wb") as raw,
        backups.EncryptingWriter(raw, backups.key_from_environment()) as w,
    ):
        w.write(plain)

    def read(data: bytes, key_text: str = KEY) -> bytes:
        settings.PEERPATH_BACKUP_KEY = key_text
        path = tmp_path / "b"
        path.write_bytes(data)
        with (
            open(path, "rb") as raw,
            backups.DecryptingReader(raw, backups.key_from_environment()) as r,
        ):
            return r.read()

    data = archive.read_bytes()
    assert read(data) == plain
    flipped = bytearray(data)
    flipped[len(backups.MAGIC) + 100] ^= 1
    for broken, words in [
        (bytes(flipped), "changed"),
        (data[: len(data) - 50], "cut short"),
        (data[: 4 + 12 + backups.CHUNK + 16 + len(backups.MAGIC)], "cut short"),
        (data + b"x", "after its end"),
    ]:
        with pytest.raises(backups.BackupError, match=words):
            read(broken)
    with pytest.raises(backups.BackupError, match="this key"):
        read(data, backups.new_key())


def test_no_key_no_backup(settings, tmp_path):
    settings.PEERPATH_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="PEERPATH_BACKUP_KEY"):
        call_command("backup", str(tmp_path / "x"))
    settings.PEERPATH_BACKUP_KEY = "c2hvcnQ="
    with pytest.raises(CommandError, match="32 bytes"):
        call_command("backup", str(tmp_path / "x"))
