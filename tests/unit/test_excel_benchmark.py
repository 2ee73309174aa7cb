"""bench/excel_benchmark.py writes the same rows as .xlsx and CSV, and its import route works."""

from __future__ import annotations

from pathlib import Path

import python_calamine as pc

from tests.bench_scripts import load_bench


def test_workbook_and_csv_hold_the_same_rows(tmp_path: Path) -> None:
    bench = load_bench("excel_benchmark")
    xlsx, csv_path = bench.generate(tmp_path, 300)
    rows = pc.CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(lines) == 301
    assert rows[0] == lines[0].split(",") == ["user_id", "timestamp", "action", "object",
                                              "duration"]
    first = lines[1].split(",")
    assert rows[1][0] == first[0] and str(rows[1][1]) == first[1]
    result = bench.child("xlsx", xlsx, tmp_path / "b.duckdb")
    assert result["rows"] + result["duplicates"] == 300 and result["rejected"] == 0
