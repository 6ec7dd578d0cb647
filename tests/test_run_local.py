"""`make run` (scripts/run-local.sh): the demo logins are the last thing on
screen before the server's own lines, a TERM or a Ctrl-C stops every process
the script started, and the local settings write emails to var/mail/.

The script runs for real (server, worker with beat, the start-up helper) on a
free port, with SQLite and the filesystem broker in a temporary folder; only
the start-up sweeps are skipped (PEERPATH_RUN_SWEEPS=0: they need a seeded
database). Each run is bounded: the test fails rather than outlive its budget.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "run-local.sh"
PROC = Path("/proc")
# Start-up on a loaded 2-core machine, then the script's own stop (at most 15 s
# before it kills what is left; a busy machine needs the rest of the margin).
START_SECONDS = 40
STOP_SECONDS = 45
LOGINS = """Demo data is ready.
Programs: Test Program

Every demo login uses the password: peerpath-demo-2026

  mentor1.test@demo.peerpath.test  Mentor       Test Program
  mentee1.test@demo.peerpath.test  Mentee       Test Program
"""

needs_proc = pytest.mark.skipif(not PROC.is_dir(), reason="reads processes from /proc (Linux)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stat_fields(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name: state, ppid, pgid, …"""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie is for init to reap)."""
    fields = stat_fields(pid)
    return fields is not None and fields[0] != "Z"


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (fields := stat_fields(int(entry.name))):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def carrying(token: str) -> set[int]:
    """Running processes whose environment holds the token: everything the
    script started, however far it was reparented."""
    found = set()
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if token.encode() in environ and running(int(entry.name)):
            found.add(int(entry.name))
    return found


def wait_for(predicate, seconds: float, what: str, output: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    pytest.fail(f"{what} within {seconds} s; the script printed:\n{output.read_text()}")


@pytest.fixture
def run_dir(tmp_path):
    for folder in ("broker/out", "broker/processed", "broker/control", "mail"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "demo-logins.txt").write_text(LOGINS)
    return tmp_path


def start_script(run_dir: Path, port: int, token: str) -> tuple[subprocess.Popen, Path]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{run_dir / 'peerpath.sqlite3'}",
        "PEERPATH_VAR_DIR": str(run_dir),
        "PEERPATH_RUN_ADDRESS": f"127.0.0.1:{port}",
        "PEERPATH_RUN_SWEEPS": "0",
        "PEERPATH_RUN_TEST_TOKEN": token,
    }
    output = run_dir / "output.txt"
    with output.open("wb") as sink:
        # A session of its own, as under a terminal: a signal to its group
        # reaches the script alone (its children have sessions of their own).
        # Ctrl-C as a terminal delivers it: pytest may run in the background
        # of a shell without job control (make test's two halves), which
        # starts it with SIGINT ignored, and a shell cannot trap a signal
        # ignored when it starts.
        script = subprocess.Popen(
            [str(SCRIPT)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
        )
    return script, output


def last_lines_before_stop(output: Path, port: int) -> list[str]:
    """Once the block with the logins is out: every non-blank line from its
    first, a moment later (anything printed after it would show)."""
    last = f"Peerpath is at http://127.0.0.1:{port}"
    wait_for(lambda: last in output.read_text(), START_SECONDS, "no logins", output)
    time.sleep(1)
    text = output.read_text()
    return [line for line in text[text.index("Demo data is ready.") :].splitlines() if line]


@needs_proc
@pytest.mark.parametrize("how", ["TERM to the script", "Ctrl-C"])
def test_the_logins_come_last_and_stopping_the_script_stops_everything(run_dir, how):
    port, token = free_port(), f"run-local-{uuid.uuid4()}"
    script, output = start_script(run_dir, port, token)
    try:
        tail = last_lines_before_stop(output, port)
        started = descendants(script.pid)
        text = output.read_text()
        if how == "Ctrl-C":
            os.killpg(script.pid, signal.SIGINT)  # what a terminal sends its foreground group
        else:
            script.send_signal(signal.SIGTERM)
        code = script.wait(timeout=STOP_SECONDS)
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
        for pid in carrying(token):
            os.kill(pid, signal.SIGKILL)

    assert tail == [
        *[line for line in LOGINS.splitlines() if line],
        f"Emails the site sends are files in {run_dir / 'mail'}/.",
        "Two-factor code for the demo admin and coordinators: make demo-code",
        f"Peerpath is at http://127.0.0.1:{port}  (Ctrl-C stops the site, worker and beat)",
    ]
    before = text[: text.index("Demo data is ready.")]
    assert "celery@" in before and " ready." in before, "the worker started before the logins"
    assert "beat: Starting..." in before
    assert f"Starting development server at http://127.0.0.1:{port}/" in before

    assert code == (143 if how != "Ctrl-C" else 130), output.read_text()
    # The server and its autoreloader child, the worker, its pool and beat, the helper.
    assert len(started) >= 5, started
    assert {pid for pid in started if running(pid)} == set(), output.read_text()
    assert carrying(token) == set(), output.read_text()


# --- Demo emails go to files --------------------------------------------------

SEND_ONE = """
import django
django.setup()
from django.conf import settings
from django.core.mail import send_mail
print(settings.EMAIL_BACKEND)
print(settings.EMAIL_FILE_PATH)
send_mail("Check-in due", "Open Peerpath.", None, ["lena@example.org"])
"""


def run_settings(module: str, code: str, **extra) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env |= {"DJANGO_SETTINGS_MODULE": module, "DJANGO_SECRET_KEY": "x" * 60, **extra}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def test_the_local_settings_write_emails_to_var_mail():
    out = run_settings(
        "config.settings.local",
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.EMAIL_BACKEND); print(settings.EMAIL_FILE_PATH)",
    )
    assert out.split() == [
        "django.core.mail.backends.filebased.EmailBackend",
        str(ROOT / "var" / "mail"),
    ]


def test_a_local_email_is_a_file_not_console_output(tmp_path):
    out = run_settings("config.settings.local", SEND_ONE, PEERPATH_VAR_DIR=str(tmp_path))
    assert "Check-in due" not in out
    (mail,) = (tmp_path / "mail").iterdir()
    assert "Subject: Check-in due" in mail.read_text()
    assert "To: lena@example.org" in mail.read_text()


def test_production_still_sends_by_smtp():
    out = run_settings(
        "config.settings.production",
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.EMAIL_BACKEND)",
        DJANGO_ALLOWED_HOSTS="peerpath.example.org",
        DATABASE_URL="postgres://peerpath@127.0.0.1:5432/peerpath",
    )
    assert out.strip() == "django.core.mail.backends.smtp.EmailBackend"


def test_make_run_keeps_the_logins_for_the_script_and_makes_the_mail_folder():
    makefile = (ROOT / "Makefile").read_text()
    assert "manage.py seed_demo > var/demo-logins.txt" in makefile
    assert "var/mail" in makefile.split("VAR_FOLDERS :=", 1)[1].splitlines()[0]
    assert '"$VAR/demo-logins.txt"' in SCRIPT.read_text()
