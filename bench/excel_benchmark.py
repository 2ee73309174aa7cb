"""Benchmark: importing an Excel workbook vs reading it alone, and the same data as CSV (issue 17).

    .venv/bin/python bench/excel_benchmark.py                      # 1 million rows, 3 rounds
    .venv/bin/python bench/excel_benchmark.py --rows 200000 --repeat 1 --keep /tmp/xlsx-bench

Writes one usage export as a workbook (xlsxwriter, ``constant_memory``) and as CSV, with the
shapes users have: ``user_id`` (e-mail addresses of 5,000 people), ``timestamp`` as a date cell
(office hours over 2025, rows in random order, several people sharing a second), ``action``,
``object`` and ``duration`` (a number column the importer leaves unmapped); about 0.1 % of the
rows repeat an earlier row exactly. Five columns, one sheet, a header row.

Then each route runs in a fresh process, round after round, interleaved:

- ``reader``: fastexcel reads the sheet into memory (Arrow text columns, as the import asks
  it to): the reader's own time, the yardstick;
- ``calamine``: python-calamine reads the sheet into Python objects (``to_python``), the
  reader the import used before, for comparison;
- ``xlsx``: ``crm-dash import FILE.xlsx --kind usage`` on a fresh database (the same reader,
  the CSV copy, detection, validation in DuckDB, rejects, deduplication, one transaction);
- ``csv``: ``crm-dash import FILE.csv --kind usage``, the same data as CSV.

Each figure is the route's median wall time over the rounds and the child's peak resident
memory (``wait4``). The import is timed from the command's ``main`` on an existing, migrated,
empty database (creating it and loading Python modules is not the import); the reader from
its import to the last row in memory. The target of issue 17: the
``xlsx`` route at most 1.5x ``reader``, below 1.5 GB.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEOPLE = 5_000
ACTIONS = ("login", "view", "update", "create", "report")
OBJECTS = ("Opportunity", "Account", "Contact", "Lead", "Report")


def events(rows: int) -> list[tuple[str, dt.datetime, str, str, int]]:
    """The rows, seeded: the same every run."""
    rng = random.Random(17)
    start = dt.datetime(2025, 1, 1)
    out: list[tuple[str, dt.datetime, str, str, int]] = []
    for i in range(rows):
        if i and rng.random() < 0.001:
            out.append(out[rng.randrange(len(out))])  # an exact repeat
            continue
        day = rng.randrange(365)
        second = 8 * 3600 + rng.randrange(10 * 3600)
        out.append((f"user{rng.randrange(PEOPLE)}@beispiel-gmbh.de",
                    start + dt.timedelta(days=day, seconds=second),
                    rng.choice(ACTIONS), rng.choice(OBJECTS), rng.randrange(1, 900)))
    return out


def generate(folder: Path, rows: int) -> tuple[Path, Path]:
    """The workbook and the CSV of ``rows`` events (kept when they exist already)."""
    import xlsxwriter

    xlsx, csv_path = folder / f"usage-{rows}.xlsx", folder / f"usage-{rows}.csv"
    if xlsx.exists() and csv_path.exists():
        return xlsx, csv_path
    data = events(rows)
    header = ["user_id", "timestamp", "action", "object", "duration"]
    book = xlsxwriter.Workbook(str(xlsx), {"constant_memory": True})
    sheet = book.add_worksheet("Events")
    stamp = book.add_format({"num_format": "dd.mm.yyyy hh:mm:ss"})
    sheet.write_row(0, 0, header)
    for r, (user, when, action, obj, duration) in enumerate(data, start=1):
        sheet.write_string(r, 0, user)
        sheet.write_datetime(r, 1, when, stamp)
        sheet.write_string(r, 2, action)
        sheet.write_string(r, 3, obj)
        sheet.write_number(r, 4, duration)
    book.close()
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows((u, w.isoformat(" "), a, o, d) for u, w, a, o, d in data)
    return xlsx, csv_path


def child(route: str, path: Path, db_path: Path) -> dict[str, object]:
    """One route, in this (fresh) process."""
    if route not in ("reader", "calamine"):  # the database exists (migrated), the code is
        # loaded: not timed
        from crm_dash import db
        from crm_dash.cli import main

        db.connect(db_path).close()
    started = time.perf_counter()
    result: dict[str, object]
    if route == "reader":
        import fastexcel

        sheet = fastexcel.read_excel(str(path)).load_sheet(
            0, header_row=None, skip_rows=0, dtypes="string", eager=True)
        result = {"rows": sheet.num_rows - 1}
    elif route == "calamine":
        import python_calamine as pc

        book = pc.CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_index(0).to_python()
        result = {"rows": len(rows) - 1}
    else:
        from contextlib import redirect_stdout
        from io import StringIO

        out = StringIO()
        with redirect_stdout(out):
            code = main(["import", "--db", str(db_path), str(path), "--kind", "usage",
                         "--json"])
        payload = json.loads(out.getvalue())
        if code != 0:
            raise SystemExit(f"import failed: {payload}")
        result = {"rows": payload["rows_loaded"], "rejected": payload["rows_rejected"],
                  "duplicates": payload["duplicates_skipped"]}
    result["seconds"] = time.perf_counter() - started
    return result


def measure(route: str, path: Path, folder: Path, round_no: int) -> dict[str, object]:
    db_path = folder / f"{route}-{round_no}.duckdb"
    db_path.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", route, "--file", str(path), "--db", str(db_path)],
        stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{route} failed ({status})")
    result: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    result["rss_mb"] = usage.ru_maxrss / 1024
    for leftover in folder.glob(f"{route}-{round_no}.duckdb*"):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder for the generated files (reused)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file, args.db)))
        return
    with tempfile.TemporaryDirectory(prefix="crm-dash-xlsx-bench-") as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        xlsx, csv_path = generate(folder, args.rows)
        print(f"{args.rows:,} rows x 5 columns: {xlsx.stat().st_size / 2**20:.1f} MB .xlsx, "
              f"{csv_path.stat().st_size / 2**20:.1f} MB .csv "
              f"(ready in {time.perf_counter() - started:.0f} s)")
        runs: dict[str, list[dict[str, object]]] = {"reader": [], "calamine": [], "xlsx": [],
                                                     "csv": []}
        for round_no in range(args.repeat):
            for route in runs:
                runs[route].append(measure(route, csv_path if route == "csv" else xlsx,
                                           folder, round_no))
        median = {r: statistics.median(float(x["seconds"]) for x in v)  # type: ignore[arg-type]
                  for r, v in runs.items()}
        rss = {r: max(float(x["rss_mb"]) for x in v) for r, v in runs.items()}  # type: ignore[arg-type]
        ratio = median["xlsx"] / median["reader"]
        print(f"\nworst shape first: .xlsx import {ratio:.2f}x the reader alone "
              f"(target <= 1.5x), peak {rss['xlsx']:,.0f} MB (target < 1,536 MB)")
        print(f"\n{'route':<10}{'median s':>10}{'x reader':>10}{'peak MB':>10}   rounds (s)")
        for route, results in runs.items():
            rounds = ", ".join(f"{float(x['seconds']):.2f}" for x in results)  # type: ignore[arg-type]
            print(f"{route:<10}{median[route]:>10.2f}{median[route] / median['reader']:>10.2f}"
                  f"{rss[route]:>10,.0f}   {rounds}")
        loaded = runs["xlsx"][0]
        print(f"\nxlsx import: {loaded['rows']:,} rows loaded, {loaded['duplicates']:,} exact "
              f"repeats skipped, {loaded['rejected']:,} rejected")


if __name__ == "__main__":
    main()
