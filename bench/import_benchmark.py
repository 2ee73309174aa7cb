"""Benchmark: importing a large usage CSV with crm-dash vs DuckDB's own CTAS vs pandas.

    .venv/bin/python bench/import_benchmark.py              # 10 million rows, 3 rounds
    .venv/bin/python bench/import_benchmark.py --rows 1000000 --repeat 1

Generates a usage log in the generic template (Salesforce-style 18-character user ids, ISO
timestamps with milliseconds and ``Z``) into a temporary folder, then runs each route in its own
process on a fresh database file, round after round, interleaved:

- ``duckdb-ctas``: ``CREATE TABLE usage AS SELECT * FROM read_csv(file)`` (the yardstick);
- ``crm-dash``: ``crm-dash import FILE --kind usage`` (hash, detection, validation in DuckDB,
  rejects, deduplication, one transaction);
- ``pandas``: ``pandas.read_csv`` and :func:`crm_dash.store.load_frame`.

Each figure is the route's own work (from the first statement to the database closed), the median
over the rounds; peak memory is the process's maximum resident set size (``wait4``). The target
of issue 3: crm-dash at most 2x DuckDB's CTAS and below 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUTES = ("duckdb-ctas", "crm-dash", "pandas")
TARGET_RATIO = 2.0
TARGET_MEMORY_MB = 2048


def generate(path: Path, rows: int) -> None:
    """A usage log of ``rows`` events by 2,000 people over a year, written by DuckDB."""
    import duckdb

    conn = duckdb.connect()
    conn.execute(  # our own temporary path and an int, no input from anyone
        f"""COPY (
          SELECT '005Dn' || lpad(CAST(i % 2000 AS VARCHAR), 10, '0') || 'IAK' AS user_id,
            strftime(TIMESTAMP '2025-01-01' + to_milliseconds(i * 3100 + i % 997),
                     '%Y-%m-%dT%H:%M:%S.%gZ') AS timestamp,
            ['login', 'view', 'view', 'view', 'update', 'create', 'export'][i % 7 + 1] AS action,
            ['Account', 'Contact', 'Opportunity', 'Lead', 'Report'][i % 5 + 1] AS object,
            CASE WHEN i % 97 = 0 THEN 'false' ELSE 'true' END AS success
          FROM range({int(rows)}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')"""  # noqa: S608
    )
    conn.close()


def run_route(route: str, csv_path: Path, db_path: Path) -> dict[str, object]:
    """The work of one route (runs in a child process); returns its own timing.

    Modules are imported before the clock starts: the figures are about the work on the file.
    """
    from contextlib import redirect_stdout
    from io import StringIO

    import duckdb
    import pandas as pd

    from crm_dash import db
    from crm_dash.cli import main
    from crm_dash.datasets import DatasetKind
    from crm_dash.store import BatchMeta, load_frame, sha256_of

    start = time.perf_counter()
    rows = None
    if route == "duckdb-ctas":
        conn = duckdb.connect(str(db_path))
        conn.execute("CREATE TABLE usage AS SELECT * FROM read_csv(?)", [str(csv_path)])
        conn.close()
    elif route == "crm-dash":
        out = StringIO()
        with redirect_stdout(out):
            code = main(["import", str(csv_path), "--kind", "usage", "--db", str(db_path),
                         "--json"])
        report = json.loads(out.getvalue())
        if code != 0 or report["status"] != "loaded":
            raise SystemExit(f"import failed: {report}")
        rows = report["rows_loaded"]
    elif route == "pandas":
        frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        conn = db.connect(db_path)
        meta = BatchMeta(kind=DatasetKind.USAGE, file_name=csv_path.name,
                         content_sha256=sha256_of(csv_path.read_bytes()), imported_by="bench",
                         source="cli")
        rows = load_frame(conn, frame, meta).rows_loaded
        conn.close()
    else:
        raise SystemExit(f"unknown route {route}")
    return {"seconds": time.perf_counter() - start, "rows": rows}


def measure(route: str, csv_path: Path, workdir: Path, round_no: int) -> tuple[float, float]:
    """Seconds of work and peak resident memory (MB) of one route in a fresh process."""
    db_path = workdir / f"{route}-{round_no}.duckdb"
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", route, "--csv", str(csv_path), "--db", str(db_path)],
        stdout=subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent,
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{route} failed with exit code {child.returncode}")
    for leftover in (db_path, Path(f"{db_path}.wal")):
        leftover.unlink(missing_ok=True)
    result = json.loads(output)
    return float(result["seconds"]), usage.ru_maxrss / 1024  # Linux: kilobytes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds per route (median)")
    parser.add_argument("--routes", default=",".join(ROUTES),
                        help=f"comma-separated subset of {', '.join(ROUTES)}")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_route(args.child, Path(args.csv), Path(args.db))))
        return 0

    routes = [r for r in args.routes.split(",") if r]
    with tempfile.TemporaryDirectory(prefix="crm-dash-bench-") as tmp:
        workdir = Path(tmp)
        csv_path = workdir / "usage.csv"
        started = time.perf_counter()
        generate(csv_path, args.rows)
        size_mb = csv_path.stat().st_size / 2**20
        print(f"{args.rows:,} rows, {size_mb:,.0f} MB CSV generated in "
              f"{time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs; "
              f"{args.repeat} round(s), routes interleaved", flush=True)
        seconds: dict[str, list[float]] = {r: [] for r in routes}
        memory: dict[str, list[float]] = {r: [] for r in routes}
        for round_no in range(args.repeat):
            for route in routes:
                took, peak = measure(route, csv_path, workdir, round_no)
                seconds[route].append(took)
                memory[route].append(peak)
                print(f"  round {round_no + 1}: {route:<12} {took:7.2f} s  {peak:7.0f} MB",
                      flush=True)
    base = statistics.median(seconds["duckdb-ctas"]) if "duckdb-ctas" in routes else None
    print()
    print("| route | median s | rows/s | vs DuckDB CTAS | peak memory MB |")
    print("|---|---:|---:|---:|---:|")
    for route in routes:
        median = statistics.median(seconds[route])
        ratio = f"{median / base:.2f}x" if base else "–"
        print(f"| {route} | {median:.2f} | {args.rows / median:,.0f} | {ratio} | "
              f"{max(memory[route]):,.0f} |")
    if base and "crm-dash" in routes:
        ratio = statistics.median(seconds["crm-dash"]) / base
        peak = max(memory["crm-dash"])
        verdict = "met" if ratio <= TARGET_RATIO and peak < TARGET_MEMORY_MB else "MISSED"
        print(f"\ntarget (crm-dash <= {TARGET_RATIO:.0f}x CTAS, < {TARGET_MEMORY_MB} MB): "
              f"{verdict} ({ratio:.2f}x, {peak:,.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
