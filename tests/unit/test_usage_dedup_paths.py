"""The usage import's dedup shortcut gives exactly the results of the plain way (issue 16).

The import compares only "candidate" rows column by column: rows whose 64-bit event hash occurs
twice in the file or among the stored events of the file's span; every other row goes in as it
is. The plain way, as the import did it at issue 16's first commit, compares every row: a window
over (person, instant, action, object, outcome) and an anti-join against all stored events of
the span. Both run here on the same files, each into its own database, and must store the same
events with the same batches, record the same second suppliers, and report the same counts.

The files are made to need the exact comparison: instants to the minute with many people per
minute (ties), rows in random order, about 8 % exact repeats, the same event again with the id
in another spelling, empty objects, and files that overlap. The ids come in four styles, one per
way the import finds the person key of a row (``store._usage_rows``): Salesforce ids in their 15-
and 18-character forms (the first 15 characters are the key), e-mails in lower case (the id is
the key), e-mails in mixed case (the lower case is the key), and a mix of Salesforce ids,
e-mails and GUIDs in braces (no cheap rule: the key is joined on per distinct id).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from crm_dash import db, store
from crm_dash.datasets import DatasetKind
from crm_dash.importing.run import inspect_file, run_import
from crm_dash.store import _quote, user_key_sql


def _plain_insert_usage(cur: duckdb.DuckDBPyConnection, staging: str, typed: dict[str, str],
                        batch_id: int) -> None:
    """The dedup as it was: every row through the window and the anti-join."""
    first, last, _ = store._usage_span(cur, staging, typed["timestamp"])
    source_action = typed.get("source_action", typed["action"])
    rows = (
        f"SELECT k.user_key, u.* FROM ("
        f" SELECT {typed['user_id']} AS user_id, {typed['timestamp']} AS ts,"
        f" coalesce(lower({typed['action']}), 'other') AS action,"
        f" {source_action} AS source_action,"
        f" {typed['object']} AS object, coalesce({typed['success']}, true) AS success,"
        f" CAST(? AS BIGINT) AS batch_id FROM {_quote(staging)} s) u"
        f" LEFT JOIN (SELECT d.user_id, {user_key_sql('d.user_id')} AS user_key"
        f"  FROM (SELECT DISTINCT {typed['user_id']} AS user_id FROM {_quote(staging)} s) d"
        f" ) k ON k.user_id = u.user_id"
    )
    stored_already = (
        "EXISTS (SELECT 1 FROM usage_events e WHERE e.ts BETWEEN ? AND ?"
        " AND e.user_key = n.user_key AND e.ts = n.ts AND e.action = n.action"
        " AND e.object IS NOT DISTINCT FROM n.object AND e.success = n.success)"
    )
    cur.execute(
        f"INSERT INTO usage_supply (batch_id, user_key, ts, action, object, success) "
        f"SELECT DISTINCT n.batch_id, n.user_key, n.ts, n.action, n.object, n.success"
        f" FROM ({rows}) n WHERE {stored_already}", [batch_id, first, last])
    cur.execute(
        f"INSERT INTO usage_events (user_key, user_id, ts, action, source_action, object,"
        f" success, batch_id) SELECT n.* FROM ({rows}) n WHERE NOT {stored_already}"
        f" QUALIFY row_number() OVER (PARTITION BY n.user_key, n.ts, n.action, n.object,"
        f" n.success) = 1", [batch_id, first, last])


#: Per id style: the people, and another spelling of a person that has the same key.
_PEOPLE: dict[str, tuple[list[str], Callable[[str], str]]] = {
    "salesforce": ([f"005A0000000{i:04d}AAA" for i in range(12)], lambda u: u[:15]),
    "email": ([f"person{i}@example.com" for i in range(12)], lambda u: u),
    "email_mixed": ([f"Person{i}@Example.com" for i in range(12)], lambda u: u.upper()),
    "mixed": ([f"005A0000000{i:04d}AAA" for i in range(4)]
              + [f"Person{i}@Example.com" for i in range(4)]
              + [f"{{0000000{i}-AAAA-BBBB-CCCC-DDDDEEEEFFFF}}" for i in range(4)],
              lambda u: u[:15] if u.startswith("005") else u.lower().strip("{}")),
}


#: The rule of store._CHEAP_KEYS each style's ids take (None: the key is joined on).
_RULES = {"salesforce": "first15", "email": "same", "email_mixed": "lower", "mixed": None}


def _events(rng: random.Random, count: int, day: int,
            people: list[str]) -> list[tuple[str, str, str, str, str]]:
    out: list[tuple[str, str, str, str, str]] = []
    for _ in range(count):
        minute = rng.randrange(6 * 60)
        out.append((rng.choice(people),
                    f"2026-10-{day + minute // 180:02d} {8 + minute % 180 // 60:02d}:"
                    f"{minute % 60:02d}:00",
                    rng.choice(["login", "View", "update"]),
                    rng.choice(["", "Account", "Lead"]),
                    rng.choice(["true", "false", ""])))
    return out


def _write(path: Path, rows: list[tuple[str, str, str, str, str]], rng: random.Random,
           other_spelling: Callable[[str], str]) -> Path:
    lines = []
    for user, ts, action, obj, success in rows:
        if rng.random() < 0.15:  # the same person, spelt another way
            user = other_spelling(user)
        lines.append(f"{user},{ts},{action},{obj},{success}")
    path.write_text("user_id,timestamp,action,object,success\n" + "\n".join(lines) + "\n",
                    encoding="utf-8")
    return path


def _files(tmp: Path, style: str = "salesforce") -> list[Path]:
    rng = random.Random(16)
    people, other_spelling = _PEOPLE[style]
    first = _events(rng, 400, 1, people)  # 1-2 October
    first += rng.sample(first, 30)  # exact repeats, shuffled in below
    rng.shuffle(first)
    second = rng.sample(first, 150) + _events(rng, 300, 2, people)  # overlaps on 2 October
    second += rng.sample(second, 25)
    rng.shuffle(second)
    third = rng.sample(second, 80)  # nothing new: every event stored already
    # Ties in random order, but no repeat and nothing stored in its span (20-21 October): no
    # candidate at all, so the file goes in without the exact comparison.
    # (one row per event as stored: action lower-cased, an empty outcome is a success)
    fourth = list({(e[0], e[1], e[2].lower(), e[3], e[4] or "true"): e
                   for e in _events(rng, 300, 20, people)}.values())
    return [_write(tmp / f"{name}.csv", rows, rng, other_spelling) for name, rows in
            (("first", first), ("second", second), ("third", third), ("fourth", fourth))]


def _load(path: Path, files: list[Path], tmp: Path) -> tuple[list[object], ...]:
    conn = db.connect(path)
    try:
        reports = [run_import(conn, inspect_file(conn, f, DatasetKind.USAGE, tmp),
                              imported_by="test", source="upload") for f in files]
        events = conn.execute(
            "SELECT user_key, ts, action, object, success, batch_id, count(*) FROM usage_events"
            " GROUP BY ALL ORDER BY ALL").fetchall()
        supply = conn.execute(
            "SELECT batch_id, user_key, ts, action, object, success, count(*)"
            " FROM usage_supply GROUP BY ALL ORDER BY ALL").fetchall()
    finally:
        conn.close()
    counts = [(r.rows_read, r.rows_loaded, r.duplicates_skipped, r.rows_rejected)
              for r in reports]
    return counts, events, supply


@pytest.mark.parametrize("style", list(_PEOPLE))
def test_shortcut_and_plain_dedup_store_the_same(tmp_path: Path, style: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files(tmp_path, style)
    rules: list[str | None] = []
    cheap_user_key = store.cheap_user_key
    monkeypatch.setattr(store, "cheap_user_key",
                        lambda *args: rules.append(cheap_user_key(*args)) or rules[-1])
    fast = _load(tmp_path / "fast.duckdb", files, tmp_path)
    # each style takes its own way to the person key, every file the same
    assert set(rules) == {_RULES[style]} and len(rules) == len(files)
    monkeypatch.setitem(store._INSERTS, DatasetKind.USAGE, _plain_insert_usage)
    plain = _load(tmp_path / "plain.duckdb", files, tmp_path)
    assert fast == plain
    counts, events, supply = fast
    # the files are the shapes meant: repeats in each, overlaps between them
    assert all(skipped > 0 for _, _, skipped, _ in counts[:3])
    assert counts[2][1] == 0  # the third file holds only stored events
    assert counts[3][2] == 0 and counts[3][1] == counts[3][0] > 250  # ties, no repeat
    assert all(n == 1 for *_, n in events)  # every event once
    assert {row[0] for row in supply} == {2, 3}  # second suppliers recorded for both


def test_a_hash_collision_is_still_told_apart(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Were every event to hash alike, all rows would be candidates: the exact comparison alone
    then decides, and the results stay the same."""
    files = _files(tmp_path)
    expected = _load(tmp_path / "real.duckdb", files, tmp_path)
    original = store._insert_usage

    def colliding(cur: duckdb.DuckDBPyConnection, staging: str, typed: dict[str, str],
                  batch_id: int) -> None:
        real_execute = cur.execute

        class Colliding:
            def execute(self, sql: str, params: object = None) -> object:
                sql = sql.replace("hash(CAST(n.user_key", "0 * hash(CAST(n.user_key")
                return real_execute(sql, params) if params is not None else real_execute(sql)

            def __getattr__(self, name: str) -> object:
                return getattr(cur, name)

        original(Colliding(), staging, typed, batch_id)  # type: ignore[arg-type]

    monkeypatch.setitem(store._INSERTS, DatasetKind.USAGE, colliding)
    assert _load(tmp_path / "colliding.duckdb", files, tmp_path) == expected
