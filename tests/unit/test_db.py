from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from crm_dash import db


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [m.version for m in db.migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_connect_applies_each_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "x.duckdb"
    conn = db.connect(path)
    first = db.applied_versions(conn)
    conn.close()
    conn = db.connect(path)
    assert db.applied_versions(conn) == first == [m.version for m in db.migrations()]
    assert db.migrate(conn) == []
    tables = {
        r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {"users", "usage_events", "opportunity_snapshots", "training_records",
            "import_batches", "audit_log", "schema_migrations", "opportunities"} <= tables
    conn.close()


def test_session_time_zone_is_utc(conn: duckdb.DuckDBPyConnection) -> None:
    row = conn.execute("SELECT current_setting('TimeZone')").fetchone()
    assert row == ("UTC",)


def test_transaction_rolls_back_everything_on_error(conn: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(RuntimeError), db.transaction(conn) as cur:
        cur.execute("INSERT INTO app_meta VALUES ('a', '1')")
        raise RuntimeError("boom")
    assert db.get_meta(conn, "a") is None


def test_meta_roundtrip_and_demo_flag(conn: duckdb.DuckDBPyConnection) -> None:
    assert not db.is_demo(conn)
    with db.transaction(conn) as cur:
        db.set_meta(cur, "demo", "true")
        db.set_meta(cur, "demo", "true")
    assert db.is_demo(conn)


def test_read_only_open_of_missing_file_is_a_friendly_error(tmp_path: Path) -> None:
    with pytest.raises(db.DatabaseError, match="Cannot open the database"):
        db.connect(tmp_path / "missing.duckdb", read_only=True)
