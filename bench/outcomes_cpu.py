"""CPU time, not wall time, of the outcome report, its page and its PDF:
this process plus the PostgreSQL backend serving it (read from /proc, no
parallel workers so that all of it is the backend's). On a shared machine
the wall time moves with everyone else's load; CPU time hardly does.

Run after `bench/run.py --only outcomes` (it reads the data that phase
leaves in the bench database):

    DATABASE_URL=postgres://...bench... .venv/bin/python bench/outcomes_cpu.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"

TICK = os.sysconf("SC_CLK_TCK")
QUERY = "?start=2025-01&end=2025-12"


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def main() -> None:
    import django

    django.setup()
    from datetime import date

    from django.db import connection
    from django.test import Client

    from accounts.models import Program, User
    from reports.services import outcome_report, period_of

    program = Program.objects.get(name="Bench Outcomes")
    period = period_of(date(2025, 1, 1), date(2025, 12, 1))
    client = Client()
    client.force_login(User.objects.get(program=program, role="coordinator"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
        cursor.execute("SET max_parallel_workers_per_gather = 0")

    def measure(call, n: int = 5) -> str:
        call()
        runs = []
        for _ in range(n):
            p0, b0, w0 = time.process_time(), backend_cpu(pid), time.perf_counter()
            call()
            runs.append((time.process_time() - p0, backend_cpu(pid) - b0, time.perf_counter() - w0))
        runs.sort(key=lambda r: r[0] + r[1])
        py, pg, wall = runs[len(runs) // 2]
        return (
            f"python {py * 1000:.0f} ms + postgres {pg * 1000:.0f} ms = "
            f"{(py + pg) * 1000:.0f} ms CPU (wall {wall * 1000:.0f} ms)"
        )

    print("report (service)", measure(lambda: outcome_report(programs=[program], period=period)))
    print("page            ", measure(lambda: client.get("/reports/outcomes/" + QUERY)))
    print("PDF             ", measure(lambda: client.get("/reports/outcomes.pdf" + QUERY)))


if __name__ == "__main__":
    main()
