"""Real web servers (gunicorn), Celery workers and beats for the scale-out
tests, each in a session of its own with its output in a file, on the test's
database (tests/scaleout/settings.py).

Every wait is generous (a loaded 2-core machine starts a Django process in
seconds, not milliseconds) and returns as soon as its condition holds; a
process that dies while waited for fails the test at once with every log.
"""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 90
STOP_SECONDS = 20
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def running(self) -> bool:
        return self.popen.poll() is None


@dataclass
class Web(Process):
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def environment(database: str, folder: Path, **extra: str) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "tests.scaleout.settings",
        "PEERPATH_SCALEOUT_DATABASE": database,
        "PEERPATH_SCALEOUT_MAILDIR": str(folder / "mail"),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def start(name: str, argv: list[str], env: dict[str, str], folder: Path) -> Process:
    log = folder / f"{name}.log"
    with log.open("wb") as sink:
        popen = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Process(name, popen, log)


def start_web(name: str, env: dict[str, str], folder: Path) -> Web:
    # Port 0: the system picks a free port, gunicorn says which; no race
    # with anything else choosing ports on the machine.
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        "127.0.0.1:0",
        "--workers",
        "1",
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
        "--no-control-socket",
    ]
    process = start(name, argv, env, folder)
    return Web(process.name, process.popen, process.log)


def start_worker(name: str, env: dict[str, str], folder: Path) -> Process:
    argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-P",
        "solo",
        "-n",
        f"{name}@%h",
        "--without-mingle",
        "--without-gossip",
        "-l",
        "INFO",
    ]
    return start(name, argv, env, folder)


def start_beat(name: str, env: dict[str, str], folder: Path) -> Process:
    argv = [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "DEBUG"]
    return start(name, argv, env, folder)


def logs(processes: list[Process]) -> str:
    return "\n".join(f"--- {p.name} ---\n{p.output()[-4000:]}" for p in processes)


def wait_for(
    condition: Callable[[], Any],
    what: str,
    processes: list[Process],
    seconds: float = START_SECONDS,
) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        if dead := [p.name for p in processes if not p.running()]:
            pytest.fail(f"{', '.join(dead)} stopped while waiting for {what}:\n{logs(processes)}")
        time.sleep(0.2)
    pytest.fail(f"no {what} within {seconds} s:\n{logs(processes)}")


def answers(web: Web) -> bool:
    if not web.port:
        if not (found := LISTENING.search(web.output())):
            return False
        web.port = int(found.group(1))
    try:
        return requests.get(f"{web.url}/accounts/login/", timeout=10).status_code == 200
    except requests.RequestException:
        return False


def worker_ready(worker: Process) -> bool:
    return f"{worker.name}@" in worker.output() and " ready." in worker.output()


def stop(processes: list[Process]) -> None:
    """TERM to each, then KILL to the group of any still running: none may
    outlive the test (they hold connections to its database)."""
    for process in processes:
        if process.running():
            process.popen.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        try:
            process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for process in processes:
        try:
            os.killpg(process.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.popen.wait(timeout=STOP_SECONDS)
