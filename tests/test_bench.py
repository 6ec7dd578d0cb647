"""`make bench`'s harness, end to end at a tiny size: it generates its data,
checks every sweep against what that data should make it create, serves the
site and the reference views under gunicorn, drives them, streams the CSV and
reports every figure with its target. The numbers themselves are for
`make bench` to print (a shared machine times nothing reliably); this checks
that the harness measures what it says it measures."""

from urllib.parse import quote

import pytest
from django.utils import timezone

from tests.services import require_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def url_of(database: dict) -> str:
    """The test database as a DATABASE_URL, for the gunicorn the bench starts."""
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    return (
        f"postgres://{quote(database['USER'] or '')}{password}@{database['HOST'] or '127.0.0.1'}"
        f":{database['PORT'] or 5432}/{database['NAME']}"
    )


@pytest.fixture
def bench_settings(settings):
    """What config.settings.bench adds, for the requests made in this process."""
    settings.ROOT_URLCONF = "bench.urls"
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], settings.BASE_DIR / "bench" / "templates"]
    settings.TEMPLATES = [engine]
    return settings


def test_the_bench_runs_every_phase_at_a_tiny_size(bench_settings, tmp_path):
    require_postgres()
    from bench import run
    from bench.sweeps import SWEEPS

    database = url_of(bench_settings.DATABASES["default"])
    now = timezone.now()
    results = {"sweeps": run.sweeps_phase(60, now)}
    sweeps = results["sweeps"]["sweeps"]
    assert [s["name"] for s in sweeps] == list(SWEEPS)
    assert all(s["ok"] for s in sweeps), sweeps
    assert sum(s["expected"] for s in sweeps) > 0
    assert sum(results["sweeps"]["shape"]["shares"].values()) > 0

    # One gunicorn worker for both phases (make bench starts one per phase).
    server = run.Server(workers=1, log=tmp_path / "gunicorn.log", database=database)
    with server:
        results["report"] = run.report_phase([20, 40], now, repeat=1, streams=1, server=server)
        results["web"] = run.web_phase(1, 3, now, mentees=60, warm=1, repeat=1, server=server)
    sizes = results["report"]["sizes"]
    assert list(sizes) == ["20", "40"]
    assert [row["csv"]["rows"] for row in sizes.values()] == [20, 40]
    assert sizes["20"]["renewal"]["ok"] and sizes["20"]["renewal"]["expected"] > 0
    assert sizes["20"]["renewal"]["queries_with_one_admin"] == sizes["20"]["renewal"]["queries"]

    rows = results["web"]["rows"]
    assert all(row["errors"] == 0 and row["requests"] == 3 for row in rows.values()), rows
    assert results["web"]["check_ins_posted"] >= 3
    assert all(row["queries"] > 0 for row in rows.values())

    figures = {what for what, *_ in run.verdicts(results)}
    assert figures >= {
        "mentor dashboard / reference list",
        "coordinator dashboard / reference list",
        "API mentees / plain JSON",
        "API check-ins / plain JSON",
        "coordinator dashboard queries",
        "check-in POST queries",
        "check-in POST p99 (concurrency 4)",
        "CSV first byte, 40 rows",
        "CSV peak RSS growth, smallest to largest",
        "renewal sweep",
        "sweep contact gaps",
    }
