"""scripts/run-local.sh's last step: wait until the worker answers, run the
start-up sweeps, wait until the worker has nothing left to do and the site
accepts connections, then print the demo logins, so that they are the last thing on screen
before the server's own lines.

    run_local_ready.py ADDRESS LOGINS_FILE [--no-sweeps] [--server-pid PID]

Gives up waiting for the worker after --worker-seconds (the logins are printed
anyway, with a note); exits 1 if the server stops before it answers.
"""

import argparse
import os
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Beat runs these hourly and daily; run once at start-up they show the demo's
# reminders and alerts at once (they are idempotent).
SWEEPS = [
    "checkins.tasks.remind_checkins_due",
    "checkins.tasks.alert_overdue_checkins",
    "checkins.tasks.flag_contact_gaps",
    "checkins.tasks.remind_recovery_capital_due",
    "recovery_plans.tasks.remind_plan_reviews",
    "certification.tasks.send_renewal_alerts",
]
POLL_SECONDS = 0.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address", help="host:port the server listens on")
    parser.add_argument("logins", type=Path, help="what `manage.py seed_demo` printed")
    parser.add_argument("--no-sweeps", action="store_true", help="skip the start-up sweeps")
    parser.add_argument("--server-pid", type=int, help="give up when this process is gone")
    parser.add_argument("--worker-seconds", type=float, default=120)
    parser.add_argument("--server-seconds", type=float, default=120)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from config.celery import app

    notes = []
    worker = wait_for_worker(app, time.monotonic() + args.worker_seconds)
    if worker is None:
        notes.append(
            f"The Celery worker did not answer within {args.worker_seconds:.0f} seconds:"
            " reminders wait until it does."
        )
    else:
        if not args.no_sweeps:
            for task in SWEEPS:
                app.send_task(task)
        wait_until_idle(app, worker, time.monotonic() + args.worker_seconds)
    url = f"http://{args.address}/"
    if not wait_for_server(args.address, args.server_pid, time.monotonic() + args.server_seconds):
        print(f"The server at {url} did not start.", file=sys.stderr, flush=True)
        return 1
    print_logins(args.logins, url, notes)
    return 0


def wait_for_worker(app, deadline: float) -> str | None:
    """The name of the worker once it answers a ping."""
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0)
        if replies:
            return next(iter(replies[0]))
    return None


def wait_until_idle(app, worker: str, deadline: float) -> None:
    """Until the queue is empty and the worker runs and holds nothing, twice in
    a row (a sweep queues the sender as it finishes)."""
    quiet = 0
    while quiet < 2 and time.monotonic() < deadline:
        inspect = app.control.inspect(destination=[worker], timeout=1.0, limit=1)
        busy = any((inspect.active() or {}).values()) or any((inspect.reserved() or {}).values())
        quiet = 0 if busy or queued(app) else quiet + 1
        time.sleep(POLL_SECONDS)


def queued(app) -> int:
    queue = app.conf.task_default_queue
    with app.connection_for_write() as connection:
        return connection.default_channel.queue_declare(queue=queue, passive=True).message_count


def wait_for_server(address: str, server_pid: int | None, deadline: float) -> bool:
    """True once the server accepts a connection, False if it stopped or the
    deadline passed. A connection that sends nothing is not logged, so no
    request line of ours can follow the logins."""
    host, _, port = address.rpartition(":")
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, int(port)), timeout=2).close()
            return True
        except OSError:
            if server_pid is not None and not alive(server_pid):
                return False
            time.sleep(POLL_SECONDS)
    return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def print_logins(logins: Path, url: str, notes: list[str]) -> None:
    print(flush=True)
    if logins.exists():
        print(logins.read_text().rstrip(), flush=True)
    else:
        print(f"No demo logins in {logins}: run `make run` (or `make seed`).")
    print()
    for note in notes:
        print(note)
    from django.conf import settings

    if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
        folder = Path(settings.EMAIL_FILE_PATH).resolve()
        shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
        print(f"Emails the site sends are files in {shown}/.")
    print("Two-factor code for the demo admin and coordinators: make demo-code")
    print(f"Peerpath is at {url.rstrip('/')}  (Ctrl-C stops the site, worker and beat)")
    print(flush=True)


if __name__ == "__main__":
    sys.exit(main())
