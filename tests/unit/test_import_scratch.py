"""An import keeps its typed rows in a scratch database of its own, and leaves nothing behind.

The typed rows of an import (every value cast, before labels and dedup) live in a database file
in the spill folder (``<db>.tmp``), stored compressed, for the import only (issue 16): the file is
attached while the import checks and loads, and detached and deleted when it ends, whether it
loaded, failed or found the file imported before. Files of processes that died are deleted by
the next import. An in-memory database keeps the temp table.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from crm_dash import db
from crm_dash.datasets import DatasetKind
from crm_dash.importing import scratch, validate
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.run import ImportReport, inspect_file, run_import

# Line 4 has a timestamp that is no date: one reject, on line 4, the other three rows load.
USAGE = (
    "user_id,timestamp,action,object\n"
    "anna@example.com,2026-10-01 08:00:00,login,\n"
    "ben@example.com,2026-10-01 08:01:00,view,Account\n"
    "anna@example.com,soon,view,Lead\n"
    "ben@example.com,2026-10-01 08:03:00,update,Opportunity\n"
)


def _import(conn: duckdb.DuckDBPyConnection, path: Path, tmp: Path,
            **kwargs: Any) -> ImportReport:
    return run_import(conn, inspect_file(conn, path, DatasetKind.USAGE, tmp),
                      imported_by="test", source="upload", **kwargs)


def _scratch_files(database: Path) -> list[str]:
    folder = db.spill_directory(database)
    return sorted(f.name for f in folder.iterdir() if f.name.startswith("crm_dash_scratch_"))


def _attached(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [str(r[0]) for r in conn.execute(
        "SELECT database_name FROM duckdb_databases() WHERE database_name LIKE 'crm_dash_scratch%'"
    ).fetchall()]


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the import's check saw while it ran: the typed table, the attached scratch
    databases and the scratch files."""
    seen: dict[str, Any] = {}
    build_typed = validate.build_typed
    reject_counts = validate.reject_counts

    def building(cur: duckdb.DuckDBPyConnection, *args: Any, **kwargs: Any) -> None:
        seen["into"] = kwargs.get("into")
        build_typed(cur, *args, **kwargs)

    def counting(cur: duckdb.DuckDBPyConnection, *args: Any) -> tuple[int, int]:
        seen["attached"] = _attached(cur)
        path = cur.execute("SELECT path FROM duckdb_databases()"
                           " WHERE database_name = current_database()").fetchone()
        seen["files"] = _scratch_files(Path(str(path[0]))) if path and path[0] else []
        return reject_counts(cur, *args)

    monkeypatch.setattr(validate, "build_typed", building)
    monkeypatch.setattr(validate, "reject_counts", counting)
    return seen


def test_typed_rows_live_in_a_scratch_file_for_the_import_only(
    tmp_path: Path, seen: dict[str, Any]
) -> None:
    database = tmp_path / "crm.duckdb"
    conn = db.connect(database)
    path = tmp_path / "usage.csv"
    path.write_text(USAGE, encoding="utf-8")
    report = _import(conn, path, tmp_path)
    assert report.status == "loaded"
    assert (report.rows_read, report.rows_rejected, report.rows_loaded) == (4, 1, 3)
    assert report.rejects["line"].tolist() == [4]  # the record's position survives the file
    assert report.rejects["value"].tolist() == ["soon"]
    # while it ran: one scratch database, attached under the name of its file
    alias = str(seen["into"]).split(".")[0]
    assert seen["into"] == f"{alias}.main.{scratch.TABLE}"
    assert alias.startswith(f"crm_dash_scratch_{os.getpid()}_")
    assert seen["attached"] == [alias] and f"{alias}.duckdb" in seen["files"]
    # afterwards: nothing attached, no file, the events stored
    assert _attached(conn) == [] and _scratch_files(database) == []
    assert conn.execute("SELECT count(*) FROM usage_events").fetchone() == (3,)
    conn.close()


def test_a_failed_or_repeated_import_leaves_no_scratch_behind(tmp_path: Path) -> None:
    database = tmp_path / "crm.duckdb"
    conn = db.connect(database)
    header_only = tmp_path / "empty.csv"
    header_only.write_text("user_id,timestamp,action,object\n", encoding="utf-8")
    with pytest.raises(ImportProblem):
        _import(conn, header_only, tmp_path)
    assert _attached(conn) == [] and _scratch_files(database) == []
    path = tmp_path / "usage.csv"
    path.write_text(USAGE, encoding="utf-8")
    assert _import(conn, path, tmp_path, commit=False).status == "ready"  # a check, rolled back
    assert _import(conn, path, tmp_path).status == "loaded"
    assert _import(conn, path, tmp_path).status == "already_imported"
    assert _attached(conn) == [] and _scratch_files(database) == []
    conn.close()


def test_an_in_memory_database_keeps_the_temp_table(seen: dict[str, Any],
                                                     tmp_path: Path) -> None:
    conn = duckdb.connect(":memory:")
    db.migrate(conn)
    path = tmp_path / "usage.csv"
    path.write_text(USAGE, encoding="utf-8")
    report = _import(conn, path, tmp_path)
    assert (report.status, report.rows_loaded, report.rejects["line"].tolist()) == (
        "loaded", 3, [4])
    assert seen["into"] is None and seen["attached"] == []


def test_files_of_ended_processes_are_deleted(tmp_path: Path) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    dead_pid = int(ended.stdout)
    names = [f"crm_dash_scratch_{dead_pid}_0123456789ab.duckdb",
             f"crm_dash_scratch_{dead_pid}_0123456789ab.duckdb.wal",
             f"crm_dash_scratch_{os.getpid()}_0123456789ab.duckdb",  # this process: in use
             "duckdb_temp_storage_DEFAULT-0.tmp"]  # DuckDB's own: not ours to touch
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    removed = scratch.remove_stale(tmp_path)
    assert sorted(f.name for f in removed) == sorted(names[:2])
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted(names[2:])
