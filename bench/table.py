"""The README's Performance table from a `make bench` run:

.venv/bin/python bench/table.py [var/bench/results.json]
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _queries(n: int) -> str:
    return f"{n} quer{'y' if n == 1 else 'ies'}"


def _page(row: dict) -> str:
    return (
        f"{row['req_per_s']:.0f} req/s, p50 {row['p50_ms']:.0f} ms, p99 {row['p99_ms']:.0f} ms, "
        f"{row['queries']} queries"
    )


def table(results: dict) -> list[str]:
    out = [
        "| what | Peerpath | reference in the same run | ratio | target |",
        "|---|---|---|---|---|",
    ]
    web = results.get("web")
    if web:
        rows, ratios = web["rows"], web["ratios"]
        pairs = [
            ("mentor dashboard, 50 mentees", "mentor dashboard", "reference list (mentor)",
             "idiomatic 50-row list page", "mentor dashboard / reference list", "≥ 1.0× (aim 2×), p99 ≤ 2× p50"),
            ("coordinator dashboard", "coordinator dashboard", "reference list (coordinator)",
             "the same page, the coordinator's scope", "coordinator dashboard / reference list", "≥ 0.8×, ≤ 8 queries"),
            ("`/api/v1/mentees/`, 50 rows", "API mentees", "plain JSON mentees",
             "plain `JsonResponse` of the rows", "API mentees / plain JSON", "≥ 0.9×"),
            ("`/api/v1/checkins/`, 50 rows", "API check-ins", "plain JSON check-ins",
             "plain `JsonResponse` of the rows", "API check-ins / plain JSON", "≥ 0.9×"),
        ]  # fmt: skip
        for what, mine, theirs, label, ratio, target in pairs:
            out.append(
                f"| {what} | {_page(rows[mine])} | {label}: {_page(rows[theirs])} "
                f"| {ratios[ratio]['ratio']:.2f}× | {target} |"
            )
        post, bare = rows["check-in POST"], rows["bare view"]
        out.append(
            f"| check-in POST, concurrency {post['concurrency']} | {_page(post)} "
            f"| bare view: {bare['req_per_s']:.0f} req/s, p50 {bare['p50_ms']:.0f} ms "
            f"| {post['of_bare']:.2f}× of bare | ≤ 15 queries, p99 ≤ 60 ms |"
        )
    report = results.get("report")
    if report:
        for size, row in report["sizes"].items():
            n = f"{int(size):,}"
            first = row["report, page 1"]
            worst = max(v["ms"] for k, v in row.items() if k.startswith("report,"))
            out.append(
                f"| certification report, {n} certifications | page 1 {first['ms']:.0f} ms "
                f"(filtered, sorted, page 100: up to {worst:.0f} ms), {first['queries']} queries, "
                f"{first['bytes'] / 1024:.0f} KB | | | 50 a page |"
            )
            c = row["csv"]
            limit = "≤ 1 s" if int(size) <= 10_000 else "≤ 8 s"
            out.append(
                f"| certification CSV, {n} rows | first byte {c['first_byte_s']:.3f} s, first row "
                f"{c['first_row_s']:.2f} s, last byte {c['total_s']:.2f} s ({c['megabytes']:.1f} MB); "
                f"worker peak RSS {c['worker_peak_rss_mb']:.0f} MB | | | first byte < 0.2 s, {limit} |"
            )
            if "renewal" in row:
                r = row["renewal"]
                out.append(
                    f"| renewal sweep, {n} certifications, {r['admins']} admins | {r['seconds']:.2f} s "
                    f"({r['created']:,} alerts), {r['queries']} queries ({r['queries_with_one_admin']} "
                    f"with one admin); rerun {r['rerun_seconds']:.2f} s{_vacuumed(r)} | | | ≤ 0.5 s, queries flat |"
                )
        sizes = list(report["sizes"].values())
        if len(sizes) > 1:
            growth = sizes[-1]["csv"]["worker_peak_rss_mb"] - sizes[0]["csv"]["worker_peak_rss_mb"]
            out.append(
                f"| CSV peak RSS growth, 10,000 → 100,000 rows | {growth:.1f} MB | | | < 20 MB |"
            )
    sweeps = results.get("sweeps")
    if sweeps:
        floor = sweeps["one_aggregate_seconds"]
        for s in sweeps["sweeps"]:
            out.append(
                f"| sweep: {s['name']}, 100,000 mentees | {s['seconds']:.2f} s ({s['created']:,} "
                f"notifications), {_queries(s['queries'])}; rerun {s['rerun_seconds']:.2f} s"
                f"{_vacuumed(s)} | one aggregate over every contact: {floor:.2f} s | "
                f"| ≤ 2 s, ≤ 10 queries; rerun ≤ 0.2 s |"
            )
    return out


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "bench" / "results.json"
    results = json.loads(path.read_text())
    print("\n".join(table(results)))
    m = results["machine"]
    print(
        f"\n{m['cores']} cores ({m['cpu']}), {m['memory']}; PostgreSQL {m['postgresql']}, "
        f"Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']}; load average "
        f"{m['load_average_at_start'][0]:.1f} at the start, {m['load_average_at_end'][0]:.1f} at the end."
    )


if __name__ == "__main__":
    main()


def _vacuumed(result: dict) -> str:
    """The rerun once the new rows are vacuumed (bench.sweeps.SweepResult)."""
    seconds = result.get("vacuumed_rerun_seconds")
    return "" if seconds is None else f", {seconds:.2f} s once vacuumed"
