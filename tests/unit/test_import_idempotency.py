"""The same file twice, overlapping exports, roster updates, pipeline history, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from crm_dash.datasets import DatasetKind
from crm_dash.importing.run import ImportReport, inspect_file, run_import

EXPORTS = Path(__file__).parent.parent / "fixtures" / "exports"
U, A, P = DatasetKind.USERS, DatasetKind.USAGE, DatasetKind.PIPELINE


def _import(conn: duckdb.DuckDBPyConnection, path: Path, kind: DatasetKind,
            tmp: Path) -> ImportReport:
    return run_import(conn, inspect_file(conn, path, kind, tmp), imported_by="test",
                      source="upload")


def _count(conn: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_the_same_file_twice_is_recognised(conn: duckdb.DuckDBPyConnection,
                                           tmp_path: Path) -> None:
    first = _import(conn, EXPORTS / "salesforce_eventlog_api.csv", A, tmp_path)
    copy = tmp_path / "renamed copy.csv"  # a new name does not fool the content hash
    copy.write_bytes((EXPORTS / "salesforce_eventlog_api.csv").read_bytes())
    again = _import(conn, copy, A, tmp_path)
    assert (again.status, again.batch_id, again.rows_loaded) == ("already_imported",
                                                                 first.batch_id, 0)
    assert _count(conn, "SELECT count(*) FROM import_batches") == 1
    assert _count(conn, "SELECT count(*) FROM usage_events") == 5


def _usage(tmp: Path, name: str, rows: list[str]) -> Path:
    path = tmp / name
    path.write_text("user_id,timestamp,action,object\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    return path


def test_overlapping_usage_files_never_double_count(conn: duckdb.DuckDBPyConnection,
                                                    tmp_path: Path) -> None:
    week_1_2 = _usage(tmp_path, "w1.csv", [
        "005A00000000001AAA,2026-10-01T08:00:00Z,login,",
        "005A00000000001AAA,2026-10-08T08:00:00Z,update,Opportunity",
        "005A00000000002AAA,2026-10-09T08:00:00Z,view,Account",
    ])
    week_2_3 = _usage(tmp_path, "w2.csv", [  # shares week 2, partly with 15-character ids
        "005A00000000001,2026-10-08T08:00:00Z,update,Opportunity",
        "005A00000000002AAA,2026-10-09T08:00:00Z,view,Account",
        "005A00000000002,2026-10-15T08:00:00Z,create,Lead",
    ])
    assert _import(conn, week_1_2, A, tmp_path).rows_loaded == 3
    second = _import(conn, week_2_3, A, tmp_path)
    assert (second.rows_read, second.rows_loaded, second.duplicates_skipped) == (3, 1, 2)
    assert conn.execute(
        "SELECT user_key, count(*) FROM usage_events GROUP BY 1 ORDER BY 1"
    ).fetchall() == [("005A00000000001", 2), ("005A00000000002", 2)]


def test_repeated_rows_within_one_file_count_once(conn: duckdb.DuckDBPyConnection,
                                                  tmp_path: Path) -> None:
    path = _usage(tmp_path, "twice.csv", [
        "005A00000000001AAA,2026-10-01T08:00:00Z,login,",
        "005A00000000001,2026-10-01T08:00:00Z,login,",  # the same event, 15-char id
        "005A00000000003AAA,2026-10-01T08:00:00Z,login,",  # same instant, another person
    ])
    report = _import(conn, path, A, tmp_path)
    assert (report.rows_loaded, report.duplicates_skipped) == (2, 1)


def test_a_newer_roster_updates_by_id_and_keeps_leavers(conn: duckdb.DuckDBPyConnection,
                                                        tmp_path: Path) -> None:
    _import(conn, EXPORTS / "roster_de_excel.csv", U, tmp_path)
    newer = tmp_path / "roster_november.csv"
    newer.write_text(
        "user_id;name;department;end_date\n"
        "005A00000000101;Jürgen Müller;Vertrieb Nord;\n"  # 15-char form of a known id: moved
        "005A00000000106AAA;Lena Schäfer;Marketing;\n",  # new joiner
        encoding="cp1252",
    )
    report = _import(conn, newer, U, tmp_path)
    assert (report.rows_loaded, report.duplicates_skipped) == (2, 0)
    assert conn.execute(
        "SELECT user_key, name, department FROM users ORDER BY user_key"
    ).fetchall() == [
        ("005A00000000101", "Jürgen Müller", "Vertrieb Nord"),
        ("005A00000000102", "Özlem Çelik", "Vertrieb Süd"),
        ("005A00000000103", "Sören Weiß", "Vertrieb Süd"),
        ("005A00000000104", "Björn Köhler", "Marketing"),  # the leaver stays
        ("005A00000000105", "SAP Integration", "IT"),
        ("005A00000000106", "Lena Schäfer", "Marketing"),
    ]
    assert _count(conn, "SELECT count(*) FROM users WHERE end_date IS NOT NULL") == 1


def test_pipeline_exports_are_kept_as_snapshots(conn: duckdb.DuckDBPyConnection,
                                                tmp_path: Path) -> None:
    _import(conn, EXPORTS / "pipedrive_deals_en.csv", P, tmp_path)
    later = tmp_path / "deals_later.csv"
    later.write_text(
        "Deal - ID,Deal - Title,Deal - Value,Deal - Stage,Deal - Owner,Deal - Status\n"
        "101,Retrofit line 3,130000,Negotiations Started,Jürgen Müller,won\n",
        encoding="utf-8",
    )
    _import(conn, later, P, tmp_path)
    assert _count(conn, "SELECT count(*) FROM opportunity_snapshots") == 4
    assert conn.execute(
        "SELECT amount::VARCHAR, is_won FROM opportunity_snapshots WHERE opportunity_id = '101'"
        " ORDER BY batch_id"
    ).fetchall() == [("120000.00", False), ("130000.00", True)]
    assert conn.execute(
        "SELECT amount::VARCHAR, is_won FROM opportunities WHERE opportunity_id = '101'"
    ).fetchall() == [("130000.00", True)]


def test_an_import_is_all_or_nothing(conn: duckdb.DuckDBPyConnection, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the rows are in (here: the audit event) rolls back the whole batch."""
    import crm_dash.importing.run as run

    def broken_audit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(run, "log_event", broken_audit)
    with pytest.raises(RuntimeError, match="disk full"):
        _import(conn, EXPORTS / "salesforce_eventlog_api.csv", A, tmp_path)
    for table in ("import_batches", "usage_events", "audit_log"):
        assert _count(conn, f"SELECT count(*) FROM {table}") == 0, table
    monkeypatch.undo()
    assert _import(conn, EXPORTS / "salesforce_eventlog_api.csv", A, tmp_path).rows_loaded == 5


def test_a_check_leaves_no_trace(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    inspection = inspect_file(conn, EXPORTS / "hubspot_deals_view.csv", P, tmp_path)
    report = run_import(conn, inspection, imported_by="test", source="upload", commit=False)
    assert (report.status, report.batch_id, report.rows_loaded) == ("ready", None, 3)
    for table in ("import_batches", "opportunity_snapshots", "audit_log"):
        assert _count(conn, f"SELECT count(*) FROM {table}") == 0, table
