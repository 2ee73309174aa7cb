"""Import history: deleting a batch, the audit log, integration accounts by hand, and remembered
mappings."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from crm_dash.datasets import DatasetKind
from crm_dash.errors import CrmDashError
from crm_dash.importing.history import (
    batch_rows,
    delete_batch,
    import_batches,
    roster_people,
    set_integration_accounts,
)
from crm_dash.importing.mappings import header_fingerprint, recall_mapping
from crm_dash.importing.run import ImportReport, inspect_file, run_import

EXPORTS = Path(__file__).parent.parent / "fixtures" / "exports"
BAD = EXPORTS / "bad"


def _import(conn: duckdb.DuckDBPyConnection, path: Path, kind: DatasetKind, tmp: Path,
            **options: object) -> ImportReport:
    inspection = inspect_file(conn, path, kind, tmp)
    return run_import(conn, inspection, imported_by="lead", source="upload", **options)  # type: ignore[arg-type]


def test_deleting_a_batch_removes_exactly_its_rows(conn: duckdb.DuckDBPyConnection,
                                                   tmp_path: Path) -> None:
    login = _import(conn, EXPORTS / "salesforce_eventlog_login.csv", DatasetKind.USAGE, tmp_path)
    api = _import(conn, EXPORTS / "salesforce_eventlog_api.csv", DatasetKind.USAGE, tmp_path)
    assert login.batch_id is not None and api.batch_id is not None
    assert batch_rows(conn, login.batch_id).rows == 3
    removed = delete_batch(conn, login.batch_id, "lead")
    assert (removed.rows, removed.file_name) == (3, "salesforce_eventlog_login.csv")
    assert conn.execute("SELECT batch_id, count(*) FROM usage_events GROUP BY 1").fetchall() == [
        (api.batch_id, 5)]
    assert import_batches(conn)["batch_id"].tolist() == [api.batch_id]
    actions = conn.execute(
        "SELECT actor, action, target, details FROM audit_log ORDER BY id").fetchall()
    assert [(a, b, c) for a, b, c, _ in actions] == [
        ("lead", "import", str(login.batch_id)), ("lead", "import", str(api.batch_id)),
        ("lead", "delete_batch", str(login.batch_id))]
    assert json.loads(actions[2][3]) == {"file": "salesforce_eventlog_login.csv",
                                         "kind": "usage", "rows_removed": 3}
    # The file can be imported again once its batch is gone.
    again = _import(conn, EXPORTS / "salesforce_eventlog_login.csv", DatasetKind.USAGE, tmp_path)
    assert (again.status, again.rows_loaded) == ("loaded", 3)


def test_deleting_an_unknown_batch(conn: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(CrmDashError, match="no upload number 42"):
        delete_batch(conn, 42, "lead")


def test_integration_accounts_by_hand_survive_a_new_roster(conn: duckdb.DuckDBPyConnection,
                                                           tmp_path: Path) -> None:
    _import(conn, EXPORTS / "roster_de_excel.csv", DatasetKind.USERS, tmp_path)
    assert roster_people(conn).query("is_integration")["user_key"].tolist() == [
        "005A00000000105"]
    # Björn's account is really a shared marketing mailbox; the SAP account stays flagged.
    changed = set_integration_accounts(conn, {"005A00000000104", "005A00000000105"}, "lead")
    assert changed == 1
    newer = tmp_path / "roster2.csv"
    newer.write_text("user_id,name,is_integration\n005A00000000104AAA,Björn Köhler,false\n",
                     encoding="utf-8")
    _import(conn, newer, DatasetKind.USERS, tmp_path)
    assert conn.execute(
        "SELECT user_key FROM users WHERE is_integration ORDER BY 1").fetchall() == [
        ("005A00000000104",), ("005A00000000105",)]
    people = roster_people(conn).set_index("user_key")
    assert bool(people.loc["005A00000000104", "by_hand"]) is True
    assert conn.execute(
        "SELECT action, details FROM audit_log WHERE action = 'flag_integration'"
    ).fetchall() == [("flag_integration",
                      '{"integration": ["005A00000000104"], "person": []}')]
    with pytest.raises(CrmDashError, match="Not in the roster: nobody"):
        set_integration_accounts(conn, {"nobody"}, "lead")


def test_a_confirmed_mapping_is_remembered_for_the_same_header(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    source = BAD / "wrong_columns.csv"
    inspection = inspect_file(conn, source, DatasetKind.USERS, tmp_path)
    assert inspection.remembered is None and inspection.missing_fields() == ["user_id"]
    mapping = {"user_id": "Kunde", "department": "Region"}
    run_import(conn, inspection, mapping=mapping, imported_by="lead", source="upload",
               remember=True)
    next_month = tmp_path / "kunden_november.csv"
    next_month.write_text("Kunde;Umsatz;Region\nSchröder KG;500,00;Nord\n", encoding="cp1252")
    again = inspect_file(conn, next_month, DatasetKind.USERS, tmp_path)
    assert again.remembered is not None and again.remembered.confirmed_by == "lead"
    assert again.mapping == mapping and again.missing_fields() == []
    # Another dataset, another header: nothing remembered.
    assert recall_mapping(conn, DatasetKind.USAGE, again.headers) is None
    assert recall_mapping(conn, DatasetKind.USERS, ("Kunde", "Region")) is None


def test_a_check_remembers_nothing(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    inspection = inspect_file(conn, BAD / "wrong_columns.csv", DatasetKind.USERS, tmp_path)
    run_import(conn, inspection, mapping={"user_id": "Kunde"}, imported_by="lead",
               source="upload", commit=False, remember=True)
    assert conn.execute("SELECT count(*) FROM import_mappings").fetchone() == (0,)


def test_header_fingerprint_ignores_case_spaces_and_bom() -> None:
    assert header_fingerprint(["\ufeffUser ID", "Login  Time"]) == header_fingerprint(
        ["user id", "login time"])
    assert header_fingerprint(["a", "b"]) != header_fingerprint(["b", "a"])
