"""`make bench`: Peerpath side by side with reference views, on PostgreSQL.

    .venv/bin/python bench/run.py [--mentees 100000] [--certifications 10000,100000]
                                  [--rounds 6] [--requests 80] [--only sweeps,report,web,outcomes]

1. Sweeps at --mentees mentees (bench/data.py states the shares due, overdue
   and in a contact gap): each checked against what it should create (rolled
   back), then timed on its first run and on a rerun with nothing new.
2. The certification report, its CSV and the renewal sweep at each size of
   --certifications, served by one gunicorn worker (its peak memory is read
   from /proc after the CSV at each size).
3. Pages and the API under gunicorn (3 sync workers, as the Dockerfile runs
   it) next to the reference views of bench/reference.py, in interleaved
   rounds: req/s, p50, p99, queries and each ratio.
4. The program outcome report, its CSVs and its API at --outcome-mentees
   mentees and --outcome-checkins check-ins (bench/outcomes.py), in process.

The database is DATABASE_URL's (default postgres://postgres@127.0.0.1:5432/peerpath_bench);
it is dropped and made again, so its name must contain "bench". Results go
to var/bench/results.json. Not a test: numbers for a person to read, each
next to its target; the harness itself is smoke-tested in tests/test_bench.py.
"""

import argparse
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/peerpath_bench"
RESULTS = ROOT / "var" / "bench" / "results.json"
WEB_WORKERS = 3  # as the Dockerfile and docker-compose.yml serve the site
GET_CONCURRENCY = 2
POST_CONCURRENCY = 4


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def recreate_database(url: str) -> None:
    """Drop and create the bench database (refused unless its name says bench)."""
    import environ
    import psycopg2

    config = environ.Env.db_url_config(url)
    name = config["NAME"]
    if "bench" not in name:
        raise SystemExit(f"The bench drops its database: {name!r} does not look like a bench one.")
    admin = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup_django() -> None:
    os.environ["DATABASE_URL"] = database_url()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    import django

    django.setup()


# --- gunicorn ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving config.wsgi with the bench settings, sync workers."""

    def __init__(self, workers: int, log: Path, database: str | None = None):
        self.workers, self.log = workers, log
        self.database = database or database_url()
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        from django.conf import settings

        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "config.settings.bench",
            "DATABASE_URL": self.database,
        }
        env.pop("DJANGO_READ_DOT_ENV_FILE", None)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "900",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],  # fmt: skip
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()
        return self

    def _wait_ready(self, seconds: float = 60) -> None:
        from bench.load import Target, request

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log}")
            try:
                if request("127.0.0.1", self.port, Target("ready", "/bench/bare/"), 0)[0] == 200:
                    # Every worker up: each answers once it has imported the site.
                    time.sleep(1)
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer in {seconds} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(c) for c in children]

    def __exit__(self, *exc) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextmanager
def serving(server: Server | None, workers: int, out: Path, database: str | None):
    """The server a phase was given, or its own for the phase."""
    if server is not None:
        yield server
        return
    with Server(workers=workers, log=out / "gunicorn.log", database=database) as own:
        yield own


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) / 1024 if match else float("nan")


# --- Sessions ------------------------------------------------------------------------


def session_headers(user) -> dict[str, str]:
    """A signed-in session for `user` (as after sign-in with the second
    factor), with a CSRF cookie the form posts repeat."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = secrets.token_hex(16)  # 32 characters: the form's and the cookie's secret
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "Host": "127.0.0.1",
        "X-Bench-CSRF": csrf,
    }


def in_process(user, method: str, path: str, data=None, repeat: int = 7) -> tuple[int, float]:
    """Queries and median milliseconds of one request served in this process
    by Django's test client (no HTTP, no gunicorn)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    call = getattr(client, method.lower())
    times, queries = [], 0
    for i in range(repeat):
        body = data(i) if callable(data) else data
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = call(path, body) if body is not None else call(path)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            if response.status_code not in (200, 302):
                raise SystemExit(f"{method} {path}: HTTP {response.status_code} in process")
            times.append((time.perf_counter() - began) * 1000)
        queries = len(captured)
    return queries, median(times)


# --- Phase 1: sweeps ---------------------------------------------------------------------


def sweeps_phase(mentees: int, now) -> dict:
    from bench import data, sweeps

    print(f"\n== Sweeps at {mentees:,} mentees ==", flush=True)
    began = time.perf_counter()
    shape = data.sweep_data(mentees, now)
    data.vacuum()
    print(f"generated in {time.perf_counter() - began:.0f} s: {shape_line(shape)}", flush=True)
    for case, n in sorted(shape.shares.items()):
        print(f"  {case:<30}{n:>9,}  ({100 * n / shape.mentees:.1f}%)")
    results = sweeps.measure_reminders(shape.expected, now)
    floor = sweeps.one_aggregate()
    print_sweeps(results)
    print(
        f"reference: one aggregate over every contact (last contact of each mentee): {floor:.3f} s"
    )
    return {
        "shape": asdict(shape),
        "sweeps": [r.as_dict() for r in results],
        "one_aggregate_seconds": floor,
    }


def shape_line(shape) -> str:
    return (
        f"{shape.mentees:,} active mentees in {shape.programs} programs (two time zones), "
        f"{shape.mentors:,} mentors, {shape.coordinators} coordinators, {shape.checkins:,} check-ins, "
        f"{shape.assessments:,} BARC-10s, {shape.plans:,} active plans, "
        f"{shape.old_notifications:,} older notifications"
    )


def print_sweeps(results) -> None:
    print(
        f"{'sweep':<18}{'expected':>10}{'created':>10}{'check':>7}{'s':>8}{'queries':>9}"
        f"{'rerun s':>9}{'rerun q':>9}{'vacuumed':>10}"
    )
    for r in results:
        print(
            f"{r.name:<18}{r.expected:>10,}{r.created:>10,}{'ok' if r.ok else 'WRONG':>7}"
            f"{r.seconds:>8.3f}{r.queries:>9}{r.rerun_seconds:>9.3f}{r.rerun_queries:>9}"
            + (f"{r.vacuumed_rerun_seconds:>10.3f}" if r.vacuumed_rerun_seconds is not None else "")
        )


# --- Phase 2: the certification report, its CSV and the renewal sweep ----------------------


REPORT_PAGES = {
    "report, page 1": "/certification/report/",
    "report, status + sort": "/certification/report/?status=window_open&sort=holder",
    "report, expiring in 90 d by CE": "/certification/report/?expires_within=90&sort=-ce",
    "report, page 100": "/certification/report/?sort=program&page=100",
}
CSV_PATH = "/certification/report/csv/"


def report_phase(
    sizes: list[int],
    now,
    *,
    out: Path = RESULTS.parent,
    database: str | None = None,
    repeat: int = 5,
    streams: int = 3,
    server: "Server | None" = None,
) -> dict:
    from allauth.mfa.models import Authenticator

    from accounts.models import Role, User
    from bench import data, sweeps
    from bench.load import Target, request, stream
    from certification.models import Certification

    print(f"\n== Certification report and CSV at {', '.join(f'{s:,}' for s in sizes)} ==")
    admin = User.objects.create(email="admin0@bench.test", full_name="Admin 0", role=Role.ADMIN)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "B"})
    headers = session_headers(admin)
    result: dict = {"sizes": {}}
    made = 0
    with serving(server, 1, out, database) as server:
        (worker,) = server.worker_pids()
        # The worker's own memory with the site loaded and one page served.
        request("127.0.0.1", server.port, Target("warm", "/bench/list/", headers=headers), 0)
        baseline = peak_rss_mb(worker)
        for size in sizes:
            began = time.perf_counter()
            made += data.certification_data(size - made, now, start=made // 2)
            data.vacuum()
            total = Certification.objects.count()
            print(f"{total:,} certifications (generated in {time.perf_counter() - began:.0f} s)")
            row: dict = {"certifications": total}
            if size == sizes[0]:
                row["renewal"] = sweeps.measure_renewal(now)
                r = row["renewal"]
                print(
                    f"renewal sweep over {total:,}: {r['seconds']:.3f} s, {r['queries']} queries "
                    f"({r['queries_with_one_admin']} with one admin, {r['admins']} admins), "
                    f"created {r['created']:,} of {r['expected']:,} expected "
                    f"({'ok' if r['ok'] else 'WRONG'}); rerun {r['rerun_seconds']:.3f} s"
                )
            for name, path in REPORT_PAGES.items():
                queries, _ = in_process(admin, "GET", path, repeat=1)
                times = []
                for i in range(repeat):
                    began = time.perf_counter()
                    status, body = request(
                        "127.0.0.1", server.port, Target(name, path, headers=headers), i
                    )
                    times.append(time.perf_counter() - began)
                    if status != 200:
                        raise SystemExit(f"{path}: HTTP {status}")
                row[name] = {"ms": median(times) * 1000, "queries": queries, "bytes": len(body)}
                print(
                    f"  {name:<34}{median(times) * 1000:>9.1f} ms{queries:>4} queries{len(body) / 1024:>8.0f} KB"
                )
            runs = [stream("127.0.0.1", server.port, CSV_PATH, headers) for _ in range(streams)]
            best = min(runs, key=lambda r: r.total)
            if best.status != 200 or best.lines != total + 1:
                raise SystemExit(f"CSV: HTTP {best.status}, {best.lines} lines for {total} rows")
            row["csv"] = {
                "first_byte_s": max(r.first_byte for r in runs),
                "first_row_s": median(r.first_row for r in runs),
                "total_s": median(r.total for r in runs),
                "megabytes": best.size / 1e6,
                "rows": best.lines - 1,
                "worker_peak_rss_mb": peak_rss_mb(worker),
            }
            c = row["csv"]
            print(
                f"  CSV: first byte {c['first_byte_s']:.3f} s, first row {c['first_row_s']:.3f} s, "
                f"last byte {c['total_s']:.2f} s, {c['megabytes']:.1f} MB; "
                f"worker peak RSS {c['worker_peak_rss_mb']:.0f} MB"
            )
            result["sizes"][str(total)] = row
        result["worker_rss_before_mb"] = baseline
    return result


# --- Phase 3: pages and the API ----------------------------------------------------------------


def web_targets(web, mentor_h, coordinator_h, now) -> list[tuple]:
    """(target, the user whose session it sends) for every scenario."""
    from bench.load import Target
    from core.dates import local_today

    zone = web.program.time_zone
    csrf = mentor_h["X-Bench-CSRF"]
    caseload = web.caseload
    started = now.astimezone(__import__("zoneinfo").ZoneInfo(zone)).replace(second=0, microsecond=0)
    day = local_today(zone, now)

    def post_path(i: int) -> str:
        return f"/checkins/mentees/{caseload[i % len(caseload)]}/new/"

    def post_body(i: int) -> bytes:
        from urllib.parse import urlencode

        # A distinct minute per mentee and post: each is a new check-in.
        at = started - timedelta(minutes=1 + i // len(caseload))
        return urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "kind": "contact",
                "occurred_at": at.strftime("%Y-%m-%dT%H:%M"),
                "delivery_method": "in_person",
                "duration_minutes": "30",
                "support_types": "emotional",
                "craving_level": "2",
                "mood": "4",
                "substance_use_days": "0",
                "notes": "Talked about the week ahead.",
                "next_checkin_on": (day + timedelta(days=7)).isoformat(),
                "idempotency_key": str(uuid.uuid4()),
            }
        ).encode()

    post_headers = mentor_h | {"Referer": "http://127.0.0.1/", "Origin": "http://127.0.0.1"}
    mentor, coordinator = web.mentor, web.coordinator
    return [
        (Target("bare view", "/bench/bare/", headers=mentor_h), mentor),
        (Target("reference list (mentor)", "/bench/list/", headers=mentor_h), mentor),
        (Target("mentor dashboard", "/", headers=mentor_h), mentor),
        (Target("reference list (coordinator)", "/bench/list/", headers=coordinator_h), coordinator),
        (Target("coordinator dashboard", "/", headers=coordinator_h), coordinator),
        (Target("plain JSON mentees", "/bench/json/mentees/", headers=coordinator_h), coordinator),
        (Target("API mentees", "/api/v1/mentees/", headers=coordinator_h), coordinator),
        (Target("plain JSON check-ins", "/bench/json/checkins/", headers=coordinator_h), coordinator),
        (Target("API check-ins", "/api/v1/checkins/", headers=coordinator_h), coordinator),
        (
            Target(
                "check-in POST",
                post_path,
                method="POST",
                headers=post_headers,
                body=post_body,
                ok=(302,),
                concurrency=POST_CONCURRENCY,
            ),
            mentor,
        ),
    ]  # fmt: skip


# (name, numerator, denominator, least ratio)
RATIOS = [
    ("mentor dashboard / reference list", "mentor dashboard", "reference list (mentor)", 1.0),
    ("coordinator dashboard / reference list", "coordinator dashboard", "reference list (coordinator)", 0.8),
    ("API mentees / plain JSON", "API mentees", "plain JSON mentees", 0.9),
    ("API check-ins / plain JSON", "API check-ins", "plain JSON check-ins", 0.9),
]  # fmt: skip
QUERY_BUDGETS = {"coordinator dashboard": 8, "check-in POST": 15}


def web_phase(
    rounds: int,
    requests: int,
    now,
    *,
    out: Path = RESULTS.parent,
    database: str | None = None,
    workers: int = WEB_WORKERS,
    mentees: int | None = None,
    warm: int = 12,
    repeat: int = 7,
    server: "Server | None" = None,
) -> dict:
    from bench import data
    from bench.load import Sample, drive
    from checkins.models import CheckIn

    print("\n== Pages and the API ==")
    web = data.web_data(now, size=mentees or data.WEB_MENTEES)
    data.vacuum()
    print(
        f"one program: {web.mentees:,} active mentees, {web.checkins:,} check-ins, "
        f"{data.WEB_MENTORS} mentors; the mentor's caseload {len(web.caseload)} mentees; "
        "everything of phases 1 and 2 stays in the database"
    )
    mentor_h, coordinator_h = session_headers(web.mentor), session_headers(web.coordinator)
    pairs = web_targets(web, mentor_h, coordinator_h, now)
    targets = [t for t, _ in pairs]
    with serving(server, workers, out, database) as server:
        workers = server.workers
        host, port = "127.0.0.1", server.port
        check_targets(host, port, targets, web)
        # Queries and in-process time, before the load (Django's test client).
        profile = {t.name: profile_target(t, user, repeat) for t, user in pairs}
        for t in targets:  # warm every worker
            drive(host, port, t, warm, start=50_000)
        samples = {t.name: Sample() for t in targets}
        counter = 0
        for r in range(rounds):
            for t in targets if r % 2 == 0 else reversed(targets):
                sample = drive(host, port, t, requests, start=counter)
                counter += requests
                samples[t.name].add(sample)
            print(f"  round {r + 1}/{rounds} done", flush=True)
    posted = CheckIn.objects.filter(notes="Talked about the week ahead.").count()
    rows = {}
    for t in targets:
        s = samples[t.name]
        queries, ms = profile[t.name]
        rows[t.name] = {
            "req_per_s": s.rate,
            "req_per_s_rounds": [min(s.rates), max(s.rates)],
            "p50_ms": s.percentile(50) * 1000,
            "p99_ms": s.percentile(99) * 1000,
            "requests": len(s.latencies),
            "errors": len(s.errors),
            "first_errors": s.errors[:3],
            "concurrency": t.concurrency,
            "queries": queries,
            "in_process_ms": ms,
        }
    ratios = {
        name: {
            "ratio": rows[top]["req_per_s"] / rows[bottom]["req_per_s"],
            "target": least,
        }
        for name, top, bottom, least in RATIOS
    }
    bare = rows["bare view"]["req_per_s"]
    for row in rows.values():
        row["of_bare"] = row["req_per_s"] / bare if bare else float("nan")
    return {
        "workers": workers,
        "rounds": rounds,
        "requests_per_round": requests,
        "data": {"mentees": web.mentees, "checkins": web.checkins, "caseload": len(web.caseload)},
        "check_ins_posted": posted,
        "rows": rows,
        "ratios": ratios,
    }


def profile_target(target, user, repeat: int = 7) -> tuple[int, float]:
    """Queries and in-process milliseconds of one scenario."""
    from urllib.parse import parse_qsl

    if target.method != "POST":
        return in_process(user, "GET", target.path, repeat=repeat)
    from bench.data import CASELOAD

    # The same mentee each time, a new minute each time: a new check-in.
    path = target.path(20_000)

    def form(i: int) -> dict:
        return dict(parse_qsl(target.body(20_000 + i * CASELOAD).decode()))

    return in_process(user, "POST", path, form, repeat=repeat)


def check_targets(host, port, targets, web) -> None:
    """Before timing: every scenario answers what it should."""
    from bench.load import request
    from checkins.models import CheckIn

    by_name = {t.name: t for t in targets}
    for t in targets:
        if t.method == "POST":
            before = CheckIn.objects.count()
            status, body = request(host, port, t, 90_000)
            if status != 302 or CheckIn.objects.count() != before + 1:
                raise SystemExit(f"{t.name}: HTTP {status}, no check-in made: {body[:300]!r}")
            continue
        status, body = request(host, port, t, 0)
        if status != 200:
            raise SystemExit(f"{t.name}: HTTP {status}: {body[:300]!r}")
    page = request(host, port, by_name["mentor dashboard"], 0)[1].decode()
    shown = sum(f"/mentees/{pk}/" in page for pk in web.caseload)
    if shown != len(web.caseload):
        raise SystemExit(f"The mentor dashboard links {shown} of {len(web.caseload)} mentees")
    for resource in ("mentees", "check-ins"):
        api = json.loads(request(host, port, by_name[f"API {resource}"], 0)[1])
        plain = json.loads(request(host, port, by_name[f"plain JSON {resource}"], 0)[1])
        same = [r["id"] for r in api["results"]] == [r["id"] for r in plain["results"]]
        keys = set(api["results"][0]) == set(plain["results"][0])
        if not (same and keys and api["count"] == plain["count"] and len(api["results"]) == 50):
            raise SystemExit(f"plain JSON {resource} is not the API's rows")


def print_web(web: dict) -> None:
    rows = web["rows"]
    print(
        f"\n{'what':<30}{'req/s':>8}{'rounds':>13}{'p50 ms':>8}{'p99 ms':>8}{'conc':>5}"
        f"{'queries':>8}{'in-proc ms':>11}{'of bare':>8}"
    )
    for name, r in rows.items():
        low, high = r["req_per_s_rounds"]
        print(
            f"{name:<30}{r['req_per_s']:>8.1f}{f'{low:.0f}–{high:.0f}':>13}{r['p50_ms']:>8.1f}"
            f"{r['p99_ms']:>8.1f}{r['concurrency']:>5}{r['queries']:>8}{r['in_process_ms']:>11.1f}"
            f"{r['of_bare']:>8.2f}"
        )
        if r["errors"]:
            print(f"  {r['errors']} errors, e.g. {r['first_errors']}")


def verdicts(results: dict) -> list[tuple[str, str, str, bool]]:
    """(what, measured, target, met) for every figure the issue names."""
    out = []
    web = results.get("web")
    if web:
        for name, r in web["ratios"].items():
            out.append((name, f"{r['ratio']:.2f}×", f"≥ {r['target']}×", r["ratio"] >= r["target"]))
        dash = web["rows"]["mentor dashboard"]
        out.append(
            (
                "mentor dashboard p99 / p50",
                f"{dash['p99_ms'] / dash['p50_ms']:.2f}",
                "≤ 2",
                dash["p99_ms"] <= 2 * dash["p50_ms"],
            )
        )
        for name, budget in QUERY_BUDGETS.items():
            q = web["rows"][name]["queries"]
            out.append((f"{name} queries", str(q), f"≤ {budget}", q <= budget))
        post = web["rows"]["check-in POST"]
        out.append(
            (
                "check-in POST p99 (concurrency 4)",
                f"{post['p99_ms']:.0f} ms",
                "≤ 60 ms",
                post["p99_ms"] <= 60,
            )
        )
    report = results.get("report")
    if report:
        sizes = report["sizes"]
        for size, row in sizes.items():
            c = row["csv"]
            limit = 1.0 if int(size) <= 10_000 else 8.0
            out.append(
                (
                    f"CSV first byte, {int(size):,} rows",
                    f"{c['first_byte_s']:.3f} s",
                    "< 0.2 s",
                    c["first_byte_s"] < 0.2,
                )
            )
            out.append(
                (
                    f"CSV all rows, {int(size):,}",
                    f"{c['total_s']:.2f} s",
                    f"≤ {limit:g} s",
                    c["total_s"] <= limit,
                )
            )
        if len(sizes) > 1:
            peaks = [row["csv"]["worker_peak_rss_mb"] for row in sizes.values()]
            growth = peaks[-1] - peaks[0]
            out.append(
                (
                    "CSV peak RSS growth, smallest to largest",
                    f"{growth:.1f} MB",
                    "< 20 MB",
                    growth < 20,
                )
            )
        renewal = next((row["renewal"] for row in sizes.values() if "renewal" in row), None)
        if renewal:
            out.append(
                (
                    "renewal sweep",
                    f"{renewal['seconds']:.3f} s",
                    "≤ 0.5 s",
                    renewal["seconds"] <= 0.5,
                )
            )
            same = renewal["queries_with_one_admin"] == renewal["queries"]
            out.append(
                (
                    "renewal queries, 1 admin vs 5",
                    f"{renewal['queries_with_one_admin']} / {renewal['queries']}",
                    "equal, ≤ 10",
                    same and renewal["queries"] <= 10,
                )
            )
            out.append(
                (
                    "renewal created what it should",
                    "yes" if renewal["ok"] else "NO",
                    "yes",
                    renewal["ok"],
                )
            )
    if results.get("outcomes"):
        from bench import outcomes

        out += outcomes.verdicts(results["outcomes"])
    sweeps = results.get("sweeps")
    if sweeps:
        for s in sweeps["sweeps"]:
            out.append(
                (
                    f"sweep {s['name']}",
                    f"{s['seconds']:.3f} s, {s['queries']} q",
                    "≤ 2 s, ≤ 10 q",
                    s["seconds"] <= 2 and s["queries"] <= 10,
                )
            )
            out.append(
                (
                    "  rerun, nothing new",
                    f"{s['rerun_seconds']:.3f} s",
                    "≤ 0.2 s",
                    s["rerun_seconds"] <= 0.2,
                )
            )
            out.append(("  created what it should", "yes" if s["ok"] else "NO", "yes", s["ok"]))
    return out  # fmt: skip


def machine() -> dict:
    from django import get_version
    from django.db import connection

    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else ""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text())
        memory = f"{int(found.group(1)) / 1024 / 1024:.0f} GB" if found else ""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    import gunicorn

    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "django": get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": postgres,
        "load_average_at_start": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentees", type=int, default=100_000)
    parser.add_argument("--certifications", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=80)
    parser.add_argument("--only", default="sweeps,report,web,outcomes")
    parser.add_argument("--outcome-mentees", type=int, default=2_000)
    parser.add_argument("--outcome-checkins", type=int, default=100_000)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    phases = set(args.only.split(","))

    recreate_database(database_url())
    setup_django()
    from django.core.management import call_command
    from django.utils import timezone

    print("Migrating a fresh bench database…", flush=True)
    call_command("migrate", verbosity=0)
    now = timezone.now()
    results: dict = {"machine": machine(), "now": now.isoformat()}
    if "sweeps" in phases:
        results["sweeps"] = sweeps_phase(args.mentees, now)
    if "report" in phases:
        sizes = sorted(int(s) for s in args.certifications.split(","))
        results["report"] = report_phase(sizes, now)
    if "web" in phases:
        results["web"] = web_phase(args.rounds, args.requests, now)
        print_web(results["web"])
    if "outcomes" in phases:
        from bench import outcomes

        results["outcomes"] = outcomes.outcomes_phase(
            args.outcome_mentees, args.outcome_checkins, in_process
        )
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["verdicts"] = [
        {"what": w, "measured": m, "target": t, "met": ok} for w, m, t, ok in verdicts(results)
    ]
    print(f"\n{'figure':<42}{'measured':>18}  {'target':<14}")
    for w, m, t, ok in verdicts(results):
        print(f"{w:<42}{m:>18}  {t:<14}{'meets' if ok else 'MISSES'}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, default=str))
    m = results["machine"]
    print(
        f"\n{m['cores']} cores ({m['cpu']}), {m['memory']}; PostgreSQL {m['postgresql']}, "
        f"Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']}; load average "
        f"{m['load_average_at_start'][0]:.1f} at start, {m['load_average_at_end'][0]:.1f} at end. "
        f"Results in {args.output}."
    )


if __name__ == "__main__":
    main()
