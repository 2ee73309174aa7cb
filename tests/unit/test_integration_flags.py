"""Decisions by hand about integration accounts are versioned: who, when, which way."""

from __future__ import annotations

from pathlib import Path

import duckdb

from crm_dash.datasets import DatasetKind
from crm_dash.importing.history import set_integration_accounts
from crm_dash.importing.run import inspect_file, run_import
from crm_dash.metrics.integration import flag_history

EXPORTS = Path(__file__).parent.parent / "fixtures" / "exports"


def test_flag_history_lists_every_decision_newest_first(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inspection = inspect_file(conn, EXPORTS / "roster_de_excel.csv", DatasetKind.USERS, tmp_path)
    run_import(conn, inspection, imported_by="lead", source="upload")
    assert flag_history(conn).empty
    # The roster flags the SAP account (…105); Björn's (…104) is a shared mailbox.
    set_integration_accounts(conn, {"005A00000000104", "005A00000000105"}, "lena")
    # Later the SAP account turns out to be a person's after all, and Björn's stays.
    set_integration_accounts(conn, {"005A00000000104"}, "admin")
    history = flag_history(conn)
    assert history[["changed_by", "user_key", "is_integration"]].values.tolist() == [
        ["admin", "005A00000000105", False],
        ["lena", "005A00000000104", True],
    ]
    assert history.loc[1, "name"] == "Björn Köhler"
    assert list(history.columns) == [
        "changed_at", "changed_by", "user_key", "name", "email", "is_integration"]
