"""The one cache of the view layer: per database, data version and day, and nothing else."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crm_dash import db
from crm_dash.datasets import DatasetKind
from crm_dash.fixtures import load_generic_csv
from crm_dash.views.snapshot import Snapshot, clear_caches, per_version, snapshot

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_a_result_is_computed_once_per_version_and_arguments() -> None:
    calls: list[tuple[str, int]] = []

    @per_version(max_entries=2)
    def doubled(snap: Snapshot, n: int) -> int:
        calls.append((snap.version, n))
        return 2 * n

    first = Snapshot(conn=None, db="a.duckdb", version="v1", today=date(2026, 12, 7))  # type: ignore[arg-type]
    assert doubled(first, 3) == 6
    assert doubled(first, 3) == 6
    assert calls == [("v1", 3)]  # the second call came from the cache
    newer = Snapshot(conn=None, db="a.duckdb", version="v2", today=date(2026, 12, 7))  # type: ignore[arg-type]
    assert doubled(newer, 3) == 6
    other_db = Snapshot(conn=None, db="b.duckdb", version="v1", today=date(2026, 12, 7))  # type: ignore[arg-type]
    assert doubled(other_db, 3) == 6
    assert calls == [("v1", 3), ("v2", 3), ("v1", 3)]
    # max_entries=2: the oldest entry (first, 3) was dropped and computes again
    assert doubled(first, 3) == 6
    assert len(calls) == 4
    clear_caches()
    assert doubled(newer, 3) == 6
    assert len(calls) == 5


def test_an_upload_makes_a_new_snapshot_version(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "crm.duckdb")
    before = snapshot(conn, today=date(2026, 12, 7))
    load_generic_csv(conn, DatasetKind.USERS, FIXTURES / "generic" / "users.csv")
    after = snapshot(conn, today=date(2026, 12, 7))
    assert before.version != after.version
    assert after == snapshot(conn, today=date(2026, 12, 7))  # nothing changed since: same key
