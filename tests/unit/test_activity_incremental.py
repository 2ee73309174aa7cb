"""After an upload only the months its events fall in are computed again; the result equals a
full rebuild. A deleted upload or another time zone rebuilds everything (issue 16)."""

from __future__ import annotations

import duckdb
import pandas as pd

from crm_dash.datasets import DatasetKind
from crm_dash.importing.history import delete_batch
from crm_dash.metrics.activity import refresh_activity
from crm_dash.store import BatchMeta, load_frame

TZ = "Europe/Berlin"


def _load(conn: duckdb.DuckDBPyConnection, name: str, events: list[tuple[str, str, str]]) -> int:
    frame = pd.DataFrame(events, columns=["user_id", "timestamp", "action"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    return load_frame(conn, frame, BatchMeta(DatasetKind.USAGE, name, name, "test")).batch_id


def _rows(conn: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return conn.execute("SELECT * FROM activity_months ORDER BY user_key, month").fetchall()


def _mark_august(conn: duckdb.DuckDBPyConnection) -> None:
    """A mark in a month no later upload touches: kept by an update, gone after a rebuild."""
    conn.execute("UPDATE activity_months SET active_days = 99 WHERE month = DATE '2026-08-01'")


def _august_days(conn: duckdb.DuckDBPyConnection) -> list[int]:
    return [r[0] for r in conn.execute(
        "SELECT active_days FROM activity_months WHERE month = DATE '2026-08-01'").fetchall()]


def test_an_upload_recomputes_only_its_months(conn: duckdb.DuckDBPyConnection) -> None:
    _load(conn, "aug-sep", [("a", "2026-08-03 09:00", "view"), ("a", "2026-08-04 09:00", "view"),
                            ("b", "2026-09-01 09:00", "update")])
    assert refresh_activity(conn, TZ)
    _mark_august(conn)
    # 30 September 23:30 UTC is 1 October in Berlin; one event is stored already
    _load(conn, "sep-oct", [("b", "2026-09-01 09:00", "update"), ("b", "2026-09-30 23:30", "view"),
                            ("c", "2026-10-05 10:00", "login")])
    assert refresh_activity(conn, TZ)
    assert _august_days(conn) == [99]  # not recomputed
    updated = _rows(conn)
    assert refresh_activity(conn, TZ, force=True)  # from scratch
    assert _august_days(conn) == [2]  # a's two days in August, by hand
    full = _rows(conn)
    assert [r for r in updated if str(r[1]) != "2026-08-01"] == \
        [r for r in full if str(r[1]) != "2026-08-01"]
    # b: September (1 Sep) and October (1 Oct local); c: October
    assert [(r[0], str(r[1]), r[2]) for r in full] == [
        ("a", "2026-08-01", 2), ("b", "2026-09-01", 1), ("b", "2026-10-01", 1),
        ("c", "2026-10-01", 1)]


def test_an_upload_of_stored_events_only_changes_nothing(conn: duckdb.DuckDBPyConnection) -> None:
    _load(conn, "aug", [("a", "2026-08-03 09:00", "view")])
    refresh_activity(conn, TZ)
    before = _rows(conn)
    _load(conn, "aug again", [("a", "2026-08-03 09:00", "view")])
    assert refresh_activity(conn, TZ)  # new fingerprint, no new event
    assert _rows(conn) == before
    assert refresh_activity(conn, TZ) is False


def test_a_deleted_upload_or_another_time_zone_rebuilds_all(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    _load(conn, "aug", [("a", "2026-08-03 09:00", "view"), ("a", "2026-08-04 09:00", "view")])
    second = _load(conn, "oct", [("c", "2026-10-05 10:00", "login")])
    refresh_activity(conn, TZ)
    _mark_august(conn)
    refresh_activity(conn, "UTC")
    assert _august_days(conn) == [2]
    _mark_august(conn)
    delete_batch(conn, second, "test")
    assert refresh_activity(conn, "UTC")
    assert _august_days(conn) == [2]
    assert [str(r[1]) for r in _rows(conn)] == ["2026-08-01"]
