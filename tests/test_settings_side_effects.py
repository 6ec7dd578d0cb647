"""Settings only read: importing them makes no folder, and a .env file is
read only when DJANGO_READ_DOT_ENV_FILE asks for it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

IMPORT_WITH_GUARDS = """
import os, pathlib, environ
def no_folder(*args, **kwargs):
    raise SystemExit("settings made a folder")
pathlib.Path.mkdir = no_folder
os.makedirs = no_folder
os.mkdir = no_folder
read = []
environ.Env.read_env = classmethod(lambda cls, *a, **k: read.append(a))
import importlib
importlib.import_module(os.environ["MODULE"])
print("read .env" if read else "no .env")
"""


def import_settings(module: str, **extra) -> str:
    outside = ("REDIS_URL", "DATABASE_URL", "DJANGO_READ_DOT_ENV_FILE")
    env = {k: v for k, v in os.environ.items() if k not in outside}
    env |= {"MODULE": module, "DJANGO_SECRET_KEY": "x" * 60, **extra}
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_WITH_GUARDS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout.strip()


@pytest.mark.parametrize(
    "module", ["config.settings.local", "config.settings.test", "config.settings.bench"]
)
def test_importing_the_settings_makes_no_folder_and_reads_no_dot_env(module):
    assert import_settings(module) == "no .env"


def test_a_dot_env_file_is_read_only_when_asked():
    assert import_settings("config.settings.local", DJANGO_READ_DOT_ENV_FILE="true") == "read .env"
    assert import_settings("config.settings.local", DJANGO_READ_DOT_ENV_FILE="false") == "no .env"
