"""The demo stays the demo: no upload into the database of the made-up company."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_dash import db
from crm_dash.cli import main
from crm_dash.datasets import DatasetKind
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.run import inspect_file, run_import

USAGE = "user_id,timestamp,action\np1,2026-10-01T08:00:00Z,login\n"


def demo_db(path: Path) -> Path:
    """A database marked as the demo's (no need to build the whole company)."""
    conn = db.connect(path)
    with db.transaction(conn) as cur:
        db.set_meta(cur, "demo", "true")
    conn.close()
    return path


def test_the_importer_refuses_the_demo_database(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    database = demo_db(tmp_path / "demo.duckdb")
    csv = tmp_path / "usage.csv"
    csv.write_text(USAGE, encoding="utf-8")
    conn = db.connect(database)
    inspection = inspect_file(conn, csv, DatasetKind.USAGE, tmp_path)
    with pytest.raises(ImportProblem) as refused:
        run_import(conn, inspection, imported_by="lead", source="upload")
    assert refused.value.code == "demo_database"
    assert conn.execute("SELECT count(*) FROM import_batches").fetchone() == (0,)
    conn.close()
    assert main(["import", str(csv), "--kind", "usage", "--db", str(database)]) == 1
    assert "crm-dash run --db data/my-company.duckdb" in capsys.readouterr().err
