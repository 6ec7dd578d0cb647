"""`manage.py check --deploy` with production settings and example values is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EXAMPLE_PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "an-example-production-secret-key-that-is-long-and-random-3f9a1c7e",
    "DJANGO_ALLOWED_HOSTS": "peerpath.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://peerpath.example.org",
    "DATABASE_URL": "postgres://peerpath:secret@db:5432/peerpath",
    "REDIS_URL": "redis://redis:6379/0",
    "PEERPATH_SITE_URL": "https://peerpath.example.org",
}


def production_env(tmp_path) -> dict:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    return {**inherited, **EXAMPLE_PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path)}


def test_check_deploy_prints_no_warning(tmp_path):
    env = production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_postgresql(tmp_path):
    env = production_env(tmp_path)
    env["DATABASE_URL"] = "sqlite:///prod.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Production needs DATABASE_URL pointing at PostgreSQL" in result.stderr


def test_an_old_secret_key_can_stay_valid_while_it_is_rotated(monkeypatch):
    """DJANGO_SECRET_KEY_FALLBACKS reaches Django's SECRET_KEY_FALLBACKS."""
    import subprocess
    import sys

    code = (
        "import os; os.environ['DJANGO_SECRET_KEY_FALLBACKS']='old-1,old-2';"
        "os.environ['DJANGO_SECRET_KEY']='new';"
        "import config.settings.base as s; print(s.SECRET_KEY_FALLBACKS)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['old-1', 'old-2']"
