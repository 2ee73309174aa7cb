"""Nothing lost, nothing counted twice: every stored row knows every upload that supplied it.

The cases of issue 14, computed by hand, and a property-style check: after any random sequence of
imports and deletions of overlapping uploads, the stored rows equal those of importing the
remaining uploads afresh, in the same order.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from crm_dash import db
from crm_dash.datasets import DatasetKind
from crm_dash.importing.history import batch_rows, delete_batch
from crm_dash.importing.run import inspect_file, run_import
from crm_dash.store import BatchMeta, load_frame

START = datetime(2026, 9, 1, 8, 0)


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = db.connect(tmp_path / "crm.duckdb")
    yield connection
    connection.close()


def _load(conn: duckdb.DuckDBPyConnection, kind: DatasetKind, frame: pd.DataFrame,
          name: str) -> int:
    meta = BatchMeta(kind=kind, file_name=name, content_sha256=name, imported_by="test")
    return load_frame(conn, frame, meta).batch_id


def _events(people: range, hours: range, user_id: str = "p{}") -> pd.DataFrame:
    """One update per person and hour from START: len(people) x len(hours) events."""
    return pd.DataFrame([
        {"user_id": user_id.format(p), "timestamp": (START + timedelta(hours=h)).isoformat(),
         "action": "update", "object": "Account", "success": True}
        for p in people for h in hours
    ])


def _count(conn: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_deleting_an_upload_keeps_the_events_another_upload_supplied(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    # C: 5 people x 40 hours = 200 events. D: the same 200 plus 5 x 10 later hours = 250; its
    # first 200 are skipped as stored, so D stores 50 of its own and supplies 200 more.
    c = _load(conn, DatasetKind.USAGE, _events(range(5), range(40)), "c.csv")
    d = _load(conn, DatasetKind.USAGE, _events(range(5), range(50)), "d.csv")
    assert _count(conn, "SELECT count(*) FROM usage_events") == 250
    assert batch_rows(conn, c).rows == 0  # everything of C is supplied by D too
    assert batch_rows(conn, d).rows == 50
    delete_batch(conn, c, "lead")
    # Deleting C removes nothing D supplied: all 250 stay, now D's.
    assert _count(conn, f"SELECT count(*) FROM usage_events WHERE batch_id = {d}") == 250
    assert _count(conn, "SELECT count(*) FROM usage_supply") == 0
    delete_batch(conn, d, "lead")
    assert _count(conn, "SELECT count(*) FROM usage_events") == 0


def test_deleting_the_later_upload_keeps_the_earlier_one_whole(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    c = _load(conn, DatasetKind.USAGE, _events(range(5), range(40)), "c.csv")
    d = _load(conn, DatasetKind.USAGE, _events(range(5), range(50)), "d.csv")
    delete_batch(conn, d, "lead")
    # D's own 50 go; C's 200 stay, and D is no longer a supplier of anything.
    assert _count(conn, f"SELECT count(*) FROM usage_events WHERE batch_id = {c}") == 200
    assert _count(conn, "SELECT count(*) FROM usage_events") == 200
    assert _count(conn, "SELECT count(*) FROM usage_supply") == 0


def _roster(rows: list[tuple[str, str, str | None]], with_department: bool = True
            ) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["user_id", "name", "department"])
    return frame if with_department else frame.drop(columns="department")


def test_deleting_the_newer_roster_returns_people_to_the_older(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    older = _load(conn, DatasetKind.USERS, _roster([("p1", "Anna", "Vertrieb"),
                                                    ("p2", "Bernd", "Service")]), "r1.csv")
    newer = _load(conn, DatasetKind.USERS, _roster([("p1", "Anna Adler", "Marketing"),
                                                    ("p3", "Clara", "Service")]), "r2.csv")
    assert batch_rows(conn, newer).rows == 1  # only Clara is in no other roster
    delete_batch(conn, newer, "lead")
    # Anna is back to her state in the older roster; Bernd stays; Clara (only in the newer) goes.
    assert conn.execute("SELECT user_key, name, department, batch_id FROM users ORDER BY 1"
                        ).fetchall() == [("p1", "Anna", "Vertrieb", older),
                                         ("p2", "Bernd", "Service", older)]


def test_a_narrower_roster_keeps_earlier_columns_also_after_a_deletion(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    # r1 gives departments; r2 has no department column (keeps them) and renames Anna; r3
    # renames Anna again. Deleting r3 must give r2's name and r1's department.
    _load(conn, DatasetKind.USERS, _roster([("p1", "Anna", "Vertrieb")]), "r1.csv")
    _load(conn, DatasetKind.USERS, _roster([("p1", "Anna A.", None)], with_department=False),
          "r2.csv")
    r3 = _load(conn, DatasetKind.USERS, _roster([("p1", "Anna Adler", "Marketing")]), "r3.csv")
    delete_batch(conn, r3, "lead")
    assert conn.execute("SELECT name, department FROM users").fetchall() == [
        ("Anna A.", "Vertrieb")]


def test_integration_flags_set_by_hand_survive_a_roster_deletion(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    _load(conn, DatasetKind.USERS, _roster([("p1", "Anna", "Vertrieb"),
                                            ("api", "Sync", "IT")]), "r1.csv")
    conn.execute("INSERT INTO integration_overrides (user_key, is_integration, set_by)"
                 " VALUES ('api', true, 'lead')")
    conn.execute("UPDATE users SET is_integration = true WHERE user_key = 'api'")
    r2 = _load(conn, DatasetKind.USERS, _roster([("p1", "Anna", "Service")]), "r2.csv")
    delete_batch(conn, r2, "lead")
    assert conn.execute("SELECT user_key, department, is_integration FROM users ORDER BY 1"
                        ).fetchall() == [("api", "IT", True), ("p1", "Vertrieb", False)]


def test_training_records_another_upload_supplied_stay(conn: duckdb.DuckDBPyConnection) -> None:
    first = pd.DataFrame({"user": ["p1", "p2"], "course": ["CRM", "CRM"],
                          "date": ["2026-09-15", "2026-09-15"]})
    second = pd.DataFrame({"user": ["p2", "p3"], "course": ["CRM", "CRM"],
                           "date": ["2026-09-15", "2026-09-15"]})
    a = _load(conn, DatasetKind.TRAINING, first, "t1.csv")
    _load(conn, DatasetKind.TRAINING, second, "t2.csv")
    delete_batch(conn, a, "lead")
    # p1 was only in t1; p2 is supplied by t2 too; p3 is t2's own.
    assert conn.execute("SELECT user_key FROM training_records ORDER BY 1").fetchall() == [
        ("p2",), ("p3",)]


# ---- property: any sequence of imports and deletions equals a fresh import ----------------

def _pool(rng: random.Random) -> list[tuple[DatasetKind, pd.DataFrame]]:
    """Overlapping uploads of every dataset: usage logs over shared events (also with repeated
    rows and 18-character ids for 15-character ones), rosters of varying columns, pipeline
    snapshots and training records."""
    pool: list[tuple[DatasetKind, pd.DataFrame]] = []
    for _ in range(4):
        people = sorted(rng.sample(range(6), 4))
        first = rng.randrange(0, 20)
        frame = _events(range(0), range(0))
        frame = pd.concat([_events(range(p, p + 1), range(first, first + rng.randrange(5, 25)),
                                   rng.choice(["005A0000000000{}", "005A0000000000{}AAA"]))
                           for p in people])
        if rng.random() < 0.5:
            frame = pd.concat([frame, frame.head(3)])  # a row twice in one file
        pool.append((DatasetKind.USAGE, frame.sample(frac=1, random_state=rng.randrange(99))))
    for i in range(3):
        rows = [(f"005A0000000000{p}", f"Person {p} v{i}", rng.choice(["Vertrieb", "Service"]))
                for p in sorted(rng.sample(range(6), 4))]
        pool.append((DatasetKind.USERS, _roster(rows, with_department=rng.random() < 0.7)))
    for i in range(3):
        pool.append((DatasetKind.PIPELINE, pd.DataFrame({
            "opportunity_id": [f"O{n}" for n in range(i, i + 4)],
            "owner": [f"005A0000000000{rng.randrange(6)}" for _ in range(4)],
            "stage": [rng.choice(["Open", "Closed Won"]) for _ in range(4)],
            "amount": [1000.0 * rng.randrange(1, 9) for _ in range(4)],
        })))
    for _ in range(3):
        pool.append((DatasetKind.TRAINING, pd.DataFrame({
            "user": [f"005A0000000000{p}" for p in sorted(rng.sample(range(6), 3))],
            "course": "CRM", "date": rng.choice(["2026-09-15", "2026-10-01"]),
        })))
    return pool


_STATE = {
    "usage": "SELECT user_key, ts, action, object, success FROM usage_events",
    "users": "SELECT user_key, user_id, name, department, is_integration FROM users",
    "pipeline": "SELECT opportunity_id, owner_key, stage, amount FROM opportunities",
    "training": "SELECT user_key, course, date, status FROM training_records",
}


def _state(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    """Every row that figures read, without upload numbers (sorted, duplicates kept)."""
    return {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in _STATE.items()}


@pytest.mark.parametrize("seed", range(20))
def test_any_sequence_of_imports_and_deletions_equals_a_fresh_import(
    tmp_path: Path, seed: int,
) -> None:
    rng = random.Random(seed)
    pool = _pool(rng)
    conn = db.connect(tmp_path / "a.duckdb")
    loaded: dict[int, int] = {}  # batch -> pool index
    for _ in range(14):
        free = [i for i in range(len(pool)) if i not in loaded.values()]
        if loaded and (not free or rng.random() < 0.35):
            batch = rng.choice(sorted(loaded))
            delete_batch(conn, batch, "test")
            del loaded[batch]
        else:
            index = rng.choice(free)
            kind, frame = pool[index]
            loaded[_load(conn, kind, frame, f"f{index}.csv")] = index
    fresh = db.connect(tmp_path / "b.duckdb")
    for batch in sorted(loaded):
        kind, frame = pool[loaded[batch]]
        _load(fresh, kind, frame, f"f{loaded[batch]}.csv")
    assert _state(conn) == _state(fresh)
    conn.close()
    fresh.close()


# ---- two Loads at the same moment -----------------------------------------------------------

def test_two_concurrent_loads_of_the_same_events_store_them_once(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path,
) -> None:
    # The same 5 x 40 = 200 events in two layouts (different headers and column order): each
    # file alone stores 200; loaded at the same moment they must still store 200, once.
    events = _events(range(5), range(40))
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    events.to_csv(first, index=False)
    events.rename(columns={"user_id": "UserId", "timestamp": "LoginTime", "action": "Action",
                           "object": "Object", "success": "Success"})[
        ["LoginTime", "UserId", "Object", "Action", "Success"]].to_csv(second, index=False)
    inspections = [inspect_file(conn, path, DatasetKind.USAGE, tmp_path)
                   for path in (first, second)]
    start = threading.Barrier(2)
    waited: list[str] = []
    reports = []

    def load(index: int) -> None:
        start.wait()
        reports.append(run_import(conn, inspections[index], imported_by="lead",
                                  source="upload", on_wait=lambda: waited.append("wait")))

    threads = [threading.Thread(target=load, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status for r in reports) == ["loaded", "loaded"]
    assert sorted(r.rows_loaded for r in reports) == [0, 200]
    assert _count(conn, "SELECT count(*) FROM usage_events") == 200
    # The later of the two supplied all 200 too: deleting the first keeps them.
    first_batch = min(r.batch_id for r in reports if r.batch_id is not None)
    delete_batch(conn, first_batch, "lead")
    assert _count(conn, "SELECT count(*) FROM usage_events") == 200
