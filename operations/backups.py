"""One encrypted archive of the database and the private files, and back.

The archive is a tar stream (`database.dump`, a `pg_dump --format=custom`
taken in one snapshot; `private/…`, every private file; `manifest.json`)
encrypted as it is written with AES-256-GCM (the `cryptography` library) in
chunks of a MiB: each chunk has its own random nonce and is bound to its
place and to whether it is the last, so a chunk changed, moved, dropped or
cut off makes the restore refuse the archive. The key is 32 random bytes,
base64 in PEERPATH_BACKUP_KEY; without it nothing can be read, so keep it
apart from the archives (README "Operating Peerpath").

The database dump is a consistent snapshot; the files are copied after it,
so a file uploaded meanwhile may be in the archive with no row naming it,
which is harmless (private files are never overwritten).
"""

import base64
import binascii
import io
import json
import os
import shutil
import struct
import subprocess
import tarfile
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils import timezone

MAGIC = b"PEERPATH-BACKUP-1\n"
CHUNK = 1024 * 1024
DUMP, MANIFEST, FILES = "database.dump", "manifest.json", "private/"


class BackupError(Exception):
    pass


def key_from_environment() -> bytes:
    text: str = settings.PEERPATH_BACKUP_KEY
    if not text:
        raise BackupError(
            "Set PEERPATH_BACKUP_KEY to 32 random bytes in base64 (README, 'Backups')."
        )
    try:
        key = base64.urlsafe_b64decode(text.encode())
    except (binascii.Error, ValueError):
        raise BackupError("PEERPATH_BACKUP_KEY is not base64.") from None
    if len(key) != 32:
        raise BackupError("PEERPATH_BACKUP_KEY must be 32 bytes (44 characters of base64).")
    return key


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _associated(index: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">Q?", index, last)


class EncryptingWriter(io.RawIOBase):
    def __init__(self, raw, key: bytes):
        self.raw, self.aead, self.index, self.buffer = raw, AESGCM(key), 0, bytearray()
        self.raw.write(MAGIC)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._chunk(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _chunk(self, plain: bytes, *, last: bool) -> None:
        nonce = os.urandom(12)
        sealed = self.aead.encrypt(nonce, plain, _associated(self.index, last))
        self.raw.write(struct.pack(">I", len(sealed)) + nonce + sealed)
        self.index += 1

    def close(self) -> None:
        if not self.closed:
            self._chunk(bytes(self.buffer), last=True)
            self.buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    def __init__(self, raw, key: bytes):
        self.raw, self.aead, self.index = raw, AESGCM(key), 0
        self.pending, self.done = b"", False
        if raw.read(len(MAGIC)) != MAGIC:
            raise BackupError("This is not a Peerpath backup.")

    def readable(self) -> bool:
        return True

    def _next(self) -> None:
        head = self.raw.read(4)
        if len(head) < 4:
            raise BackupError("The backup is cut short.")
        (length,) = struct.unpack(">I", head)
        nonce, sealed = self.raw.read(12), self.raw.read(length)
        if len(nonce) < 12 or len(sealed) < length:
            raise BackupError("The backup is cut short.")
        for last in (False, True):
            plain = _open(self.aead, nonce, sealed, _associated(self.index, last))
            if plain is None:
                continue
            self.index += 1
            self.pending += plain
            if last:
                self.done = True
                if self.raw.read(1):
                    raise BackupError("The backup has data after its end.")
            return
        raise BackupError("The backup cannot be read with this key, or it was changed.")

    def readinto(self, buffer) -> int:
        while not self.pending and not self.done:
            self._next()
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def _open(aead: AESGCM, nonce: bytes, sealed: bytes, associated: bytes) -> bytes | None:
    try:
        return aead.decrypt(nonce, sealed, associated)
    except InvalidTag:  # another key, another place, or changed
        return None


def _tool(name: str) -> str:
    """PostgreSQL's client programs, by their full path."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (PostgreSQL's client programs).")
    return path


def _pg_environment(database: dict) -> dict:
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Backups need PostgreSQL (DATABASE_URL).")
    env = dict(os.environ)
    for setting, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if database.get(setting):
            env[variable] = str(database[setting])
    return env


def _private_root() -> Path:
    if settings.PEERPATH_PRIVATE_STORAGE_BUCKET:
        raise BackupError(
            "Private files are in a bucket: back it up with the bucket's own versioning."
        )
    return Path(settings.PEERPATH_PRIVATE_MEDIA_ROOT)


def backup(output: Path, *, database: dict | None = None) -> dict:
    """Writes the archive; returns its manifest."""
    key = key_from_environment()
    database = database or settings.DATABASES["default"]
    env = _pg_environment(database)
    root = _private_root()
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
    with tempfile.TemporaryDirectory(prefix="peerpath-backup-") as scratch:
        dump = Path(scratch) / DUMP
        subprocess.run(  # noqa: S603
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        manifest = {
            "format": 1,
            "created_at": timezone.now().isoformat(),
            "database_bytes": dump.stat().st_size,
            "files": len(files),
        }
        partial = output.with_name(output.name + ".partial")
        with open(partial, "wb") as raw, EncryptingWriter(raw, key) as sealed:
            with tarfile.open(fileobj=sealed, mode="w|") as archive:
                body = json.dumps(manifest).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                archive.addfile(info, io.BytesIO(body))
                archive.add(dump, arcname=DUMP)
                for path in files:
                    archive.add(path, arcname=FILES + path.relative_to(root).as_posix())
        partial.replace(output)
    return manifest


def restore(archive_path: Path, *, database: dict | None = None) -> dict:
    """Brings an archive back into an empty database and the private folder."""
    key = key_from_environment()
    database = database or settings.DATABASES["default"]
    env = _pg_environment(database)
    root = _private_root().resolve()
    tables = subprocess.run(  # noqa: S603
        [_tool("psql"), "-XAtqc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if tables != "0":
        raise BackupError("The database is not empty: restore into a new, empty database.")
    manifest: dict = {}
    restored = 0
    with tempfile.TemporaryDirectory(prefix="peerpath-restore-") as scratch:
        dump = Path(scratch) / DUMP
        with open(archive_path, "rb") as raw, DecryptingReader(raw, key) as plain:
            with tarfile.open(fileobj=plain, mode="r|") as archive:
                for member in archive:
                    if not member.isfile():
                        continue
                    source = archive.extractfile(member)
                    if source is None:
                        continue
                    if member.name == MANIFEST:
                        manifest = json.loads(source.read())
                    elif member.name == DUMP:
                        with open(dump, "wb") as out:
                            while block := source.read(CHUNK):
                                out.write(block)
                    elif member.name.startswith(FILES):
                        target = (root / member.name.removeprefix(FILES)).resolve()
                        if not target.is_relative_to(root):
                            raise BackupError("The backup names a file outside the private folder.")
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with open(target, "wb") as out:
                            while block := source.read(CHUNK):
                                out.write(block)
                        restored += 1
        if not dump.exists():
            raise BackupError("The backup holds no database.")
        subprocess.run(  # noqa: S603
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={env['PGDATABASE']}",
                str(dump),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    if manifest.get("files") != restored:
        raise BackupError(f"The backup lists {manifest.get('files')} files; {restored} came back.")
    return manifest
