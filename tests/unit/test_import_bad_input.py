"""Bad input gets a clear message and changes nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from crm_dash.datasets import DatasetKind
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.run import inspect_file, run_import

BAD = Path(__file__).parent.parent / "fixtures" / "exports" / "bad"


def _nothing_written(conn: duckdb.DuckDBPyConnection) -> None:
    for table in ("import_batches", "users", "usage_events", "opportunity_snapshots",
                  "training_records", "audit_log", "import_mappings"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table


def _problem(conn: duckdb.DuckDBPyConnection, path: Path, kind: DatasetKind,
             tmp: Path) -> ImportProblem:
    with pytest.raises(ImportProblem) as caught:
        inspection = inspect_file(conn, path, kind, tmp)
        run_import(conn, inspection, imported_by="test", source="upload")
    _nothing_written(conn)
    return caught.value


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [
        ("empty.csv", "empty", "The file is empty."),
        ("blank_lines.csv", "empty", "The file is empty."),
        ("header_only.csv", "header_only", "a header row but no data rows"),
        ("excel_renamed.csv", "workbook_corrupt", "damaged or incomplete"),
        ("binary.csv", "binary", "not a CSV text file"),
        ("nul_bytes.csv", "nul_bytes", "NUL bytes (first on line 3)"),
        ("ragged.csv", "ragged", "than the header (3): lines 3, 5."),
        ("unclosed_quote.csv", "quotes", "not closed: line 3."),
    ],
)
def test_bad_file_is_refused_with_a_clear_message(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, name: str, code: str, words: str
) -> None:
    problem = _problem(conn, BAD / name, DatasetKind.USAGE, tmp_path)
    assert problem.code == code
    assert words in problem.message


def test_wrong_columns_list_missing_fields_and_headers_found(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    problem = _problem(conn, BAD / "wrong_columns.csv", DatasetKind.USAGE, tmp_path)
    assert problem.code == "missing_fields"
    assert problem.message == (
        "Required fields without a column: user_id, timestamp. Map them to one of the columns"
        " found in the file: Kunde, Umsatz, Region."
    )
    assert "Pflichtfelder ohne Spalte: user_id, timestamp" in problem.text("de")


def test_a_two_megabyte_field(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("opportunity_id,owner,next_step\n006A1,005A1,ok\n006A2,005A2,\""
                    + "x" * (2 * 1024 * 1024) + "\"\n006A3,005A3,ok\n", encoding="utf-8")
    problem = _problem(conn, path, DatasetKind.PIPELINE, tmp_path)
    assert problem.code == "line_too_long"
    assert problem.message.startswith("Line 3 is longer than 1 MB.")


def test_all_rows_invalid_loads_nothing(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text("user_id,timestamp\nu1,yesterday\nu2,tomorrow\n", encoding="utf-8")
    inspection = inspect_file(conn, path, DatasetKind.USAGE, tmp_path)
    report = run_import(conn, inspection, imported_by="test", source="upload")
    assert report.status == "failed" and report.batch_id is None
    assert report.problem is not None and report.problem.code == "all_rejected"
    _nothing_written(conn)


def test_unknown_mapping_column_is_refused(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = Path(__file__).parent.parent / "fixtures" / "generic" / "usage.csv"
    inspection = inspect_file(conn, path, DatasetKind.USAGE, tmp_path)
    with pytest.raises(ImportProblem, match="These columns are not in the file: Zeit"):
        run_import(conn, inspection, mapping={"user_id": "user_id", "timestamp": "Zeit"},
                   imported_by="test", source="cli")
    _nothing_written(conn)


def test_every_problem_and_reason_has_both_texts() -> None:
    import re

    from crm_dash.i18n import catalog

    package = Path(__file__).parent.parent.parent / "crm_dash" / "importing"
    source = "\n".join(p.read_text(encoding="utf-8") for p in package.glob("*.py"))
    codes = set(re.findall(r'ImportProblem\(\s*"([a-z_]+)"', source)) | {
        "binary_xlsx", "binary_xls"}
    assert {"empty", "ragged", "missing_fields"} <= codes
    for code in codes:
        for lang in ("en", "de"):
            assert f"import.error.{code}" in catalog(lang), (lang, code)
    for reason in ("required", "format", "label"):
        assert f"import.reason.{reason}" in catalog("de")
