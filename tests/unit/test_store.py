from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from crm_dash.datasets import DatasetKind
from crm_dash.errors import ImportRejected
from crm_dash.fixtures import load_generic_csv
from crm_dash.store import BatchMeta, load_frame, user_key_sql

FIXTURES = Path(__file__).parent.parent / "fixtures" / "generic"


def _meta(kind: DatasetKind, name: str = "f.csv") -> BatchMeta:
    return BatchMeta(kind=kind, file_name=name, content_sha256="x", imported_by="test")


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("005A00000000001AAA", "005A00000000001"),
        ("005A00000000001", "005A00000000001"),
        ("  Anna.Berg@Example.DE ", "anna.berg@example.de"),
        ("a1b2c3d4-0000-1111-2222-333344445555", "a1b2c3d4-0000-1111-2222-333344445555"),
        ("001x0000002xLD0AAM", "001x0000002xLD0AAM"),  # not a user id: kept whole
        ("{6F1E8B2A-0C3D-4E5F-8A9B-1C2D3E4F5A6B}", "6f1e8b2a-0c3d-4e5f-8a9b-1c2d3e4f5a6b"),
        ("6f1e8b2a-0c3d-4e5f-8a9b-1c2d3e4f5a6b", "6f1e8b2a-0c3d-4e5f-8a9b-1c2d3e4f5a6b"),
    ],
)
def test_user_key(conn: duckdb.DuckDBPyConnection, raw: str, key: str) -> None:
    query = f"SELECT {user_key_sql('v')} FROM (SELECT CAST(? AS VARCHAR) AS v)"
    assert conn.execute(query, [raw]).fetchone() == (key,)


def test_fixture_load_counts(fixture_conn: duckdb.DuckDBPyConnection) -> None:
    counts = dict(
        fixture_conn.execute("SELECT kind, rows_loaded FROM import_batches").fetchall()
    )
    assert counts == {"users": 7, "usage": 12, "pipeline": 4, "training": 5}
    orphans = fixture_conn.execute(
        "SELECT count(*) FROM usage_events"
        " WHERE batch_id NOT IN (SELECT batch_id FROM import_batches)"
    ).fetchone()
    assert orphans == (0,)


def test_reloading_the_same_usage_file_counts_nothing_twice(
    fixture_conn: duckdb.DuckDBPyConnection,
) -> None:
    again = load_generic_csv(fixture_conn, DatasetKind.USAGE, FIXTURES / "usage.csv")
    assert again.rows_loaded == 0
    assert again.duplicates_skipped == 12
    assert fixture_conn.execute("SELECT count(*) FROM usage_events").fetchone() == (12,)


def test_overlapping_usage_and_15_vs_18_char_ids(conn: duckdb.DuckDBPyConnection) -> None:
    first = pd.DataFrame({
        "user_id": ["005A00000000001AAA", "005A00000000001AAA"],
        "timestamp": ["2026-10-01T08:00:00Z", "2026-10-02T08:00:00Z"],
        "action": ["login", "update"],
    })
    second = pd.DataFrame({  # shares one event with the first file, written with the 15-char id
        "user_id": ["005A00000000001", "005A00000000001"],
        "timestamp": ["2026-10-02T10:00:00+02:00", "2026-10-03T08:00:00Z"],
        "action": ["update", "login"],
    })
    load_frame(conn, first, _meta(DatasetKind.USAGE))
    result = load_frame(conn, second, _meta(DatasetKind.USAGE))
    assert (result.rows_loaded, result.duplicates_skipped) == (1, 1)
    keys = conn.execute("SELECT DISTINCT user_key FROM usage_events").fetchall()
    assert keys == [("005A00000000001",)]


def test_new_roster_updates_by_id_and_keeps_people_missing_from_it(
    fixture_conn: duckdb.DuckDBPyConnection,
) -> None:
    update = pd.DataFrame({
        "user_id": ["005A00000000002", "005A00000000007AAA"],  # 15-char form of a known id
        "name": ["Özlem Çelik-Braun", "SAP Integration"],
        "department": ["Key Account Management", "IT"],
    })
    result = load_frame(fixture_conn, update, _meta(DatasetKind.USERS, "roster2.csv"))
    assert result.rows_loaded == 2
    row = fixture_conn.execute(
        "SELECT name, department FROM users WHERE user_key = '005A00000000002'"
    ).fetchone()
    assert row == ("Özlem Çelik-Braun", "Key Account Management")
    assert fixture_conn.execute("SELECT count(*) FROM users").fetchone() == (7,)
    kept = fixture_conn.execute(  # columns the narrower export lacks keep their values
        "SELECT email, license_cost_monthly, start_date FROM users"
        " WHERE user_key = '005A00000000002'"
    ).fetchone()
    assert kept is not None and kept[0] == "oezlem.celik@beispiel-gmbh.de"
    assert float(kept[1]) == 165.0 and str(kept[2]) == "2024-01-01"
    integration = fixture_conn.execute(
        "SELECT is_integration FROM users WHERE user_key = '005A00000000007'"
    ).fetchone()
    assert integration == (True,)


def test_pipeline_snapshots_keep_history_and_view_shows_latest(
    fixture_conn: duckdb.DuckDBPyConnection,
) -> None:
    later = pd.DataFrame({
        "opportunity_id": ["006A00000000001AAA"], "owner": ["005A00000000001AAA"],
        "stage": ["Closed Won"], "is_closed": [True], "is_won": [True],
    })
    load_frame(fixture_conn, later, _meta(DatasetKind.PIPELINE, "pipe2.csv"))
    assert fixture_conn.execute("SELECT count(*) FROM opportunity_snapshots").fetchone() == (5,)
    assert fixture_conn.execute("SELECT count(*) FROM opportunities").fetchone() == (4,)
    stage = fixture_conn.execute(
        "SELECT stage FROM opportunities WHERE opportunity_id = '006A00000000001AAA'"
    ).fetchone()
    assert stage == ("Closed Won",)


def test_missing_required_field_is_rejected_and_nothing_written(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    with pytest.raises(ImportRejected, match="timestamp"):
        load_frame(conn, pd.DataFrame({"user_id": ["x"]}), _meta(DatasetKind.USAGE))
    assert conn.execute("SELECT count(*) FROM import_batches").fetchone() == (0,)


def test_a_failing_insert_rolls_back_the_batch(conn: duckdb.DuckDBPyConnection) -> None:
    bad = pd.DataFrame({"user_id": ["u1"], "timestamp": ["not a date"]})
    with pytest.raises(duckdb.ConversionException):
        load_frame(conn, bad, _meta(DatasetKind.USAGE))
    assert conn.execute("SELECT count(*) FROM import_batches").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM usage_events").fetchone() == (0,)
