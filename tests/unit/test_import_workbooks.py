"""Excel workbooks import through the same detection, mapping, checks and load as a CSV."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from crm_dash.datasets import DatasetKind
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.run import ImportReport, inspect_file, run_import
from crm_dash.importing.workbook import column_letter, sheet_ref
from tests import workbooks


def _import(conn: duckdb.DuckDBPyConnection, path: Path, kind: DatasetKind, tmp: Path,
            **kwargs: object) -> ImportReport:
    work = tmp / "work"
    work.mkdir(exist_ok=True)
    inspection = inspect_file(conn, path, kind, work, **kwargs)  # type: ignore[arg-type]
    return run_import(conn, inspection, imported_by="test", source="upload")


def test_roster_workbook_loads_with_cell_types(conn: duckdb.DuckDBPyConnection,
                                               tmp_path: Path) -> None:
    path = workbooks.roster(tmp_path / "roster.xlsx")
    report = _import(conn, path, DatasetKind.USERS, tmp_path)
    assert report.status == "loaded", report.problem
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 3, 0)
    rows = conn.execute("SELECT user_id, name, start_date, license_cost_monthly FROM users"
                        " ORDER BY user_id").fetchall()
    assert rows[0] == ("005A00000000001AAA", "Jürgen Müller", dt.date(2024, 1, 1), 165)
    assert float(rows[1][3]) == 165.5
    # the same workbook again: already imported, nothing loaded twice
    again = _import(conn, path, DatasetKind.USERS, tmp_path)
    assert again.status == "already_imported"
    assert conn.execute("SELECT count(*) FROM users").fetchone() == (3,)


def test_dynamics_export_hidden_sheet_columns_rows_formula(conn: duckdb.DuckDBPyConnection,
                                                           tmp_path: Path) -> None:
    path = workbooks.dynamics_users(tmp_path / "Aktive Benutzer.xlsx")
    work = tmp_path / "work"
    work.mkdir()
    inspection = inspect_file(conn, path, DatasetKind.USERS, work)
    assert inspection.sheet is not None
    assert inspection.sheet.sheet == "Aktive Benutzer"  # not the hidden metadata sheet
    assert inspection.sheet.hidden_rows == 1
    assert inspection.headers[:3] == tuple(workbooks.DYNAMICS_HEADERS[:3])  # hidden columns
    assert inspection.mapping["user_id"] == "(Do Not Modify) User"
    assert inspection.mapping["email"] == "Primary Email"
    report = run_import(conn, inspection, imported_by="test", source="upload")
    assert report.status == "loaded", report.problem
    assert report.rows_loaded == 4  # the row hidden by the filter too
    names = {r[0] for r in conn.execute("SELECT name FROM users").fetchall()}
    assert "Özlem Çelik" in names  # a formula, read as its cached value


def test_salesforce_report_title_rows_and_footer(conn: duckdb.DuckDBPyConnection,
                                                 tmp_path: Path) -> None:
    path = workbooks.salesforce_report(tmp_path / "report.xlsx")
    report = _import(conn, path, DatasetKind.PIPELINE, tmp_path)
    assert report.status == "loaded", report.problem
    assert report.rows_loaded == 3 and report.rows_rejected == 0
    rows = conn.execute("SELECT owner, amount, close_date FROM opportunity_snapshots"
                        " ORDER BY amount").fetchall()
    assert rows[1][0] == "Anna Schmidt"
    assert float(rows[1][1]) == 15000.5 and rows[1][2] == dt.date(2026, 10, 15)


def test_serial_and_german_text_dates(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = workbooks.serial_dates(tmp_path / "liste.xlsx")
    report = _import(conn, path, DatasetKind.USERS, tmp_path)
    assert report.status == "loaded", report.problem
    rows = conn.execute("SELECT start_date, end_date FROM users ORDER BY user_id").fetchall()
    assert rows == [(dt.date(2024, 1, 1), dt.date(2026, 12, 31)),
                    (dt.date(2024, 2, 1), None),
                    (dt.date(2024, 3, 15), dt.date(2026, 7, 1))]


def test_numbers_outside_1990_2100_are_rejected_with_the_cell(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = workbooks.serial_dates(tmp_path / "liste.xlsx", start_dates=[45292, 12, 45366])
    report = _import(conn, path, DatasetKind.USERS, tmp_path)
    # not all numbers are plausible serial dates: none is read as one
    assert report.rows_rejected == 3
    table = report.rejects_table("en")
    assert list(table["Cell"]) == ["Liste!D2", "Liste!D3", "Liste!D4"]
    assert "1990-2100" in table["Reason"][0]
    assert report.to_json()["rejects"][1]["cell"] == "Liste!D3"
    assert report.to_json()["rejects"][1]["line"] == 3


def test_two_sheets_first_with_data_or_chosen(conn: duckdb.DuckDBPyConnection,
                                              tmp_path: Path) -> None:
    path = workbooks.two_sheets(tmp_path / "two.xlsx")
    work = tmp_path / "work"
    work.mkdir()
    first = inspect_file(conn, path, DatasetKind.USERS, work)
    assert first.sheet is not None and first.sheet.sheet == "Q3"
    assert first.sheet.sheets == ("Deckblatt", "Q3", "Q4 & Rest")
    assert run_import(conn, first, imported_by="t", source="upload").rows_loaded == 2
    other = inspect_file(conn, path, DatasetKind.USERS, work, sheet="Q4 & Rest")
    report = run_import(conn, other, imported_by="t", source="upload")
    assert report.status == "loaded" and report.rows_loaded == 1  # not "already imported"


def test_reject_names_quoted_sheet(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "b3.xlsx"  # the data starts in B3 of a sheet whose name needs quotes
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Nutzung Q4")
    sheet.write_row(2, 1, ["user_id", "timestamp"])
    sheet.write_row(3, 1, ["u1", "2026-10-01 08:00"])
    sheet.write_row(5, 1, ["u2", "gestern"])
    book.close()
    report = _import(conn, path, DatasetKind.USAGE, tmp_path)
    assert list(report.rejects_table("de")["Zelle"]) == ["'Nutzung Q4'!C6"]
    assert sheet_ref("Sheet1") == "Sheet1"
    assert sheet_ref("Q4 & Rest") == "'Q4 & Rest'"
    assert sheet_ref("Bob's") == "'Bob''s'"
    assert [column_letter(i) for i in (0, 2, 25, 26, 701, 702)] == [
        "A", "C", "Z", "AA", "ZZ", "AAA"]


BAD = [
    (workbooks.encrypted, "workbook_encrypted", "protected with a password"),
    (workbooks.truncated, "workbook_corrupt", "damaged or incomplete"),
    (workbooks.zip_no_workbook, "workbook_not_a_workbook", "no Excel workbook"),
    (workbooks.zip_bomb, "workbook_too_big", "unpacks to more than"),
    (workbooks.hidden_only, "workbook_no_data", "no visible sheet with data"),
    (workbooks.huge_dimension, "workbook_sheet_too_big", "17,179,869,184 cells"),
]


@pytest.mark.parametrize(("build", "code", "words"), BAD, ids=[b[1] for b in BAD])
def test_bad_workbook_is_refused_and_changes_nothing(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, build: object, code: str, words: str
) -> None:
    path = build(tmp_path / "bad.xlsx")  # type: ignore[operator]
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(ImportProblem) as caught:
        inspection = inspect_file(conn, path, DatasetKind.USERS, work)
        run_import(conn, inspection, imported_by="test", source="upload")
    assert caught.value.code == code
    assert words in caught.value.message
    assert caught.value.text("de") != caught.value.message
    assert conn.execute("SELECT count(*) FROM import_batches").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM users").fetchone() == (0,)
    assert list(work.iterdir()) == []  # no half-written copy left behind


def test_protected_sheet_is_read(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = workbooks.protected(tmp_path / "geschuetzt.xlsx")
    report = _import(conn, path, DatasetKind.USERS, tmp_path)
    assert report.status == "loaded" and report.rows_loaded == 3


def test_no_such_sheet_lists_the_sheets(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = workbooks.two_sheets(tmp_path / "two.xlsx")
    with pytest.raises(ImportProblem) as caught:
        inspect_file(conn, path, DatasetKind.USERS, tmp_path, sheet="Q5")
    assert caught.value.code == "workbook_no_such_sheet"
    assert "Q3, Q4 & Rest" in caught.value.message


def test_cli_imports_a_chosen_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from crm_dash.cli import main

    path = workbooks.two_sheets(tmp_path / "two.xlsx")
    code = main(["import", "--db", str(tmp_path / "cli.duckdb"), str(path), "--kind", "users",
                 "--sheet", "Q4 & Rest", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0 and payload["status"] == "loaded" and payload["rows_loaded"] == 1


FORMATS = Path(__file__).parent.parent / "fixtures" / "workbooks"


@pytest.mark.parametrize("name", ["base.xls", "base.xlsb", "base.ods"])
def test_other_formats_smoke(tmp_path: Path, name: str) -> None:
    from crm_dash.importing.workbook import workbook_to_csv

    info = workbook_to_csv(FORMATS / name, tmp_path / "out.csv")
    assert info.sheet == "Sheet1" and info.record_rows[0] == 2  # row 1 is blank
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        first = next(csv.reader(handle))
    # text, whole and decimal numbers, booleans, a date cell and a date-time cell (an .ods
    # keeps its date-times as ISO text, "T" and all, which the date detection reads as well)
    assert first[:6] == ["String", "1", "1.1", "true", "false", "2010-10-10"]
    assert first[6].replace("T", " ") == "2010-10-10 10:10:10"


def test_password_protected_xls_is_refused(conn: duckdb.DuckDBPyConnection,
                                           tmp_path: Path) -> None:
    with pytest.raises(ImportProblem) as caught:
        inspect_file(conn, FORMATS / "password.xls", DatasetKind.USERS, tmp_path)
    assert caught.value.code == "workbook_encrypted"


def test_tab_separated_text_named_xls_is_read_as_text(conn: duckdb.DuckDBPyConnection,
                                                      tmp_path: Path) -> None:
    """Salesforce's classic "Excel" export: tab-separated text with an .xls name."""
    path = tmp_path / "report.xls"
    path.write_text("user_id\tname\temail\n005B1\tAnna Schmidt\tanna@beispiel.de\n",
                    encoding="utf-8")
    report = _import(conn, path, DatasetKind.USERS, tmp_path)
    assert report.status == "loaded" and report.rows_loaded == 1


def test_sheet_copy_writes_cells_as_excel_shows_them(tmp_path: Path) -> None:
    """The CSV copy, cell by cell: the fixture starts at C3 (rows 1-2 blank), row 5 is blank,
    row 8 holds only an error cell. Expected by hand from what the fixture writes."""
    import xlsxwriter

    from crm_dash.importing.workbook import workbook_to_csv

    path = tmp_path / "cells.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    clock = book.add_format({"num_format": "hh:mm"})
    sheet.write_row(2, 2, ["id", "joined", "flag", "amount", "at"])
    sheet.write_string(3, 2, "a1")
    sheet.write_datetime(3, 3, dt.datetime(2025, 3, 2), day)  # a date cell at midnight
    sheet.write_boolean(3, 4, True)
    sheet.write_number(3, 5, 1.5)
    sheet.write_datetime(3, 6, dt.time(13, 5), clock)  # a time cell
    sheet.write_row(5, 2, ["a2", "02.03.2025", False, 42, ""])  # text date, whole number
    sheet.write_datetime(5, 6, dt.time(8, 0), clock)
    sheet.write_formula(7, 2, "=1/0", None, "#DIV/0!")  # an error cell is empty
    book.close()

    info = workbook_to_csv(path, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    assert records == [["id", "joined", "flag", "amount", "at"],
                       ["a1", "2025-03-02", "true", "1.5", "13:05:00"],
                       ["a2", "02.03.2025", "false", "42", "08:00:00"]]
    assert list(info.record_rows) == [3, 4, 6]  # blank rows 5 and 8 are not written
    assert info.cell(2, 3) == "Data!F6"  # the sheet starts in column C
