"""The import benchmark's files are what they claim to be (issue 16).

Each generated shape is read by crm-dash, without ``--preset`` or ``--map``, as the layout the
benchmark means, with the intended mapping; the files are the same bytes every time; and the
overlapping second file (shape e) repeats exactly the last month of shape b.
"""

from __future__ import annotations

import json
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

import duckdb
import pytest

from crm_dash.cli import main
from tests.bench_scripts import load_bench

ROWS = 3_650  # ten events a day over 2025


BENCH = load_bench("import_benchmark")


def _import(csv: Path, db: Path) -> dict[str, object]:
    out = StringIO()
    with redirect_stdout(out):
        code = main(["import", str(csv), "--kind", "usage", "--db", str(db), "--json"])
    report: dict[str, object] = json.loads(out.getvalue())
    assert code == 0, report
    return report


@pytest.mark.parametrize("key", ["a", "b", "c", "d"])
def test_each_shape_is_read_as_meant(tmp_path: Path, key: str) -> None:
    shape = BENCH.SHAPES[key]
    csv = tmp_path / shape.file_name()
    shape.generate(csv, ROWS)
    report = _import(csv, tmp_path / "x.duckdb")
    assert report["status"] == "loaded"
    assert report["rows_rejected"] == 0
    mapping = report["mapping"]
    assert isinstance(mapping, dict)
    assert {name: entry["column"] for name, entry in mapping.items()} == shape.mapping
    conn = duckdb.connect(str(tmp_path / "x.duckdb"), read_only=True)
    assert conn.execute("SELECT preset FROM import_batches").fetchall() == [(shape.preset,)]
    actions = dict(conn.execute("SELECT action, count(*) FROM usage_events GROUP BY 1").fetchall())
    conn.close()
    if key == "d":  # operation codes 1-4 and sign-in action codes mapped onto actions
        assert set(actions) == {"create", "update", "delete", "login"}
    elif key == "c":
        assert set(actions) == {"login"}
    else:
        assert "other" not in actions


def test_files_are_deterministic(tmp_path: Path) -> None:
    for key in ("b", "c", "d"):
        first, second = tmp_path / f"{key}1.csv", tmp_path / f"{key}2.csv"
        BENCH.SHAPES[key].generate(first, 1_000)
        BENCH.SHAPES[key].generate(second, 1_000)
        assert first.read_bytes() == second.read_bytes()


def test_shape_b_has_ties_repeats_and_random_order(tmp_path: Path) -> None:
    csv = tmp_path / "b.csv"
    BENCH.generate_b(csv, 20_000)
    conn = duckdb.connect()
    found = conn.execute(
        "SELECT count(*), count(DISTINCT (user_id, timestamp, action, object)),"
        " count(DISTINCT timestamp), count(*) FILTER (WHERE timestamp >= prev)"
        " FROM (SELECT *, lag(timestamp) OVER () AS prev FROM read_csv(?))", [str(csv)]
    ).fetchone()
    assert found is not None
    rows, distinct_rows, instants, ordered = found
    assert distinct_rows == 20_000 and 0 < rows - distinct_rows < 60  # about 0.1 % repeats
    assert instants < distinct_rows  # shared seconds
    assert ordered < rows * 0.6  # not in time order


def test_shape_e_repeats_the_last_month_of_b(tmp_path: Path) -> None:
    b, e, db = tmp_path / "b.csv", tmp_path / "e.csv", tmp_path / "x.duckdb"
    BENCH.generate_b(b, ROWS)
    BENCH.generate_e(e, ROWS)
    _import(b, db)
    report = _import(e, db)
    overlap = ROWS - BENCH.overlap_start(ROWS)
    assert overlap == 310  # December: 31 days of ten events
    conn = duckdb.connect()
    december = conn.execute(
        "SELECT count(*) FROM (SELECT DISTINCT * FROM read_csv(?, all_varchar = true))"
        " WHERE timestamp >= '2025-12-01'", [str(b)]).fetchone()
    conn.close()
    assert december == (overlap,)
    assert report["rows_loaded"] == ROWS - overlap
