"""Rejected rows: line, column, value and reason; the choice to load the valid rows; safe CSV."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from crm_dash.csv_export import safe_csv_bytes
from crm_dash.datasets import DatasetKind
from crm_dash.importing.run import inspect_file, run_import

BAD = Path(__file__).parent.parent / "fixtures" / "exports" / "bad"


def test_rejects_name_the_line_the_column_the_value_and_the_reason(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # A German usage list: two title lines above the header (line 3), bad rows on lines 5, 7, 8.
    inspection = inspect_file(conn, BAD / "invalid_dates.csv", DatasetKind.USAGE, tmp_path)
    report = run_import(conn, inspection, imported_by="test", source="upload", commit=False)
    assert (report.rows_read, report.rows_rejected) == (5, 3)
    assert report.rejects_table("en").values.tolist() == [
        [5, "Zeitstempel", "31.02.2026 07:15",
         "not valid in the column's format dd.mm.yyyy [hh:mm]"],
        [7, "Zeitstempel", "gestern", "not valid in the column's format dd.mm.yyyy [hh:mm]"],
        [8, "Benutzer-ID", "", "required value missing"],
    ]
    assert report.rejects_table("de").columns.tolist() == ["Zeile", "Spalte", "Wert", "Grund"]
    assert report.rejects_table("de").iloc[2, 3] == "Pflichtwert fehlt"
    # A check writes nothing.
    assert conn.execute("SELECT count(*) FROM import_batches").fetchone() == (0,)


def test_loading_the_valid_rows_leaves_the_rejected_out(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inspection = inspect_file(conn, BAD / "invalid_dates.csv", DatasetKind.USAGE, tmp_path)
    report = run_import(conn, inspection, imported_by="lead", source="upload")
    assert (report.status, report.rows_loaded, report.rows_rejected) == ("loaded", 2, 3)
    assert conn.execute(
        "SELECT ts::VARCHAR, action, source_action FROM usage_events ORDER BY ts"
    ).fetchall() == [
        ("2026-10-05 07:10:00", "login", "Anmeldung"),
        ("2026-10-06 08:00:00", "create", "Erstellen"),
    ]
    assert conn.execute(
        "SELECT rows_read, rows_loaded, rows_rejected FROM import_batches"
    ).fetchall() == [(5, 2, 3)]


def test_line_numbers_count_blank_lines_and_line_breaks_in_values(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        'user_id,timestamp,object\n'  # line 1
        '\n'  # 2
        'u1,2026-10-01T08:00:00Z,"a note\nover\nthree lines"\n'  # 3-5
        'u2,not a time,x\n'  # 6
        '\n'  # 7
        'u3,2026-10-01T09:00:00Z,y\n'  # 8
        ',2026-10-01T10:00:00Z,z\n',  # 9
        encoding="utf-8",
    )
    inspection = inspect_file(conn, path, DatasetKind.USAGE, tmp_path)
    report = run_import(conn, inspection, imported_by="test", source="upload", commit=False)
    assert report.rejects[["line", "column"]].values.tolist() == [[6, "timestamp"],
                                                                  [9, "user_id"]]


def test_formula_cells_are_stored_as_text_and_neutralised_in_exports(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inspection = inspect_file(conn, BAD / "formula_cells.csv", DatasetKind.PIPELINE, tmp_path)
    report = run_import(conn, inspection, imported_by="test", source="upload")
    assert conn.execute(
        "SELECT account, next_step FROM opportunities ORDER BY opportunity_id"
    ).fetchall() == [
        ('=HYPERLINK("http://x.test","click")', "@SUM(A1:A2)"),
        ("+49 89 123456", "-call back"),
    ]  # stored exactly as written, never evaluated
    assert report.rejects_table("en").values.tolist() == [
        [4, "amount", "=1+2", "not valid in the column's format 1,234.56"],
    ]
    exported = safe_csv_bytes(report.rejects_table("en")).decode("utf-8-sig")
    assert "'=1+2" in exported
    stored = conn.execute("SELECT account, next_step, amount FROM opportunities").df()
    back = pd.read_csv(io.BytesIO(safe_csv_bytes(stored)), encoding="utf-8-sig")
    assert sorted(back["account"]) == ["'+49 89 123456", "'=HYPERLINK(\"http://x.test\",\"click\")"]
    assert sorted(back["next_step"]) == ["'-call back", "'@SUM(A1:A2)"]
    assert sorted(back["amount"]) == [-2000.0, 1000.0]  # numbers are left as they are


@pytest.mark.parametrize(
    ("cell", "exported"),
    [("=cmd", "'=cmd"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"),
     ("Müller", "Müller"), ("a=b", "a=b")],
)
def test_safe_csv_bytes_neutralises_formula_starts(cell: str, exported: str) -> None:
    frame = pd.DataFrame({"text": [cell], "number": [-5]})
    back = pd.read_csv(io.BytesIO(safe_csv_bytes(frame, delimiter=";")), sep=";",
                       encoding="utf-8-sig", keep_default_na=False)
    assert back["text"].tolist() == [exported]
    assert back["number"].tolist() == [-5]


def test_cli_reject_rate_decides_whether_anything_loads(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inspection = inspect_file(conn, BAD / "invalid_dates.csv", DatasetKind.USAGE, tmp_path)
    refused = run_import(conn, inspection, imported_by="cli:test", source="cli",
                         max_reject_rate=0.5)
    assert refused.status == "failed" and refused.problem is not None
    assert refused.problem.message == (
        "3 of 5 rows were rejected (60.00%), more than the allowed 50.00%; nothing was loaded."
    )
    assert conn.execute("SELECT count(*) FROM usage_events").fetchone() == (0,)
    accepted = run_import(conn, inspection, imported_by="cli:test", source="cli",
                          max_reject_rate=0.6)
    assert (accepted.status, accepted.rows_loaded) == ("loaded", 2)


def test_values_padded_with_spaces_are_trimmed(conn: duckdb.DuckDBPyConnection,
                                               tmp_path: Path) -> None:
    path = tmp_path / "padded.csv"
    path.write_text("user_id;timestamp;action;success\n"
                    " 005A00000000001AAA ; 2026-10-01T08:00:00Z ;  Login ; true \n"
                    "005A00000000002AAA;2026-10-01T09:00:00+02:00;update;false\n",
                    encoding="utf-8")
    report = run_import(conn, inspect_file(conn, path, DatasetKind.USAGE, tmp_path),
                        imported_by="test", source="cli")
    assert report.rows_rejected == 0
    assert conn.execute(
        "SELECT user_id, ts::VARCHAR, action, success FROM usage_events ORDER BY user_id"
    ).fetchall() == [("005A00000000001AAA", "2026-10-01 08:00:00", "login", True),
                     ("005A00000000002AAA", "2026-10-01 07:00:00", "update", False)]
