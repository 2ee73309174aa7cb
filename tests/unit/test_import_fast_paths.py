"""The shortcuts that keep a 10-million-row import fast give exactly the results of the slow way.

- Label fields (action, success, training kind and status, ...) are mapped through the distinct
  values the file holds, found for all label fields in one scan, compared as written (no
  ``lower`` per row), yes/no fields straight to BOOLEAN; many distinct values fall back to the
  lower-cased vocabulary.
- Whether rows of a usage file can repeat each other is first checked along the rows (instants
  that only rise or only fall are all distinct) before the distinct instants are counted.
- The content hash is computed while DuckDB reads the file; a file imported before is still
  never loaded again.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future
from pathlib import Path
from typing import Any, cast

import duckdb
import pandas as pd
import pytest

from crm_dash import store
from crm_dash.datasets import DatasetKind
from crm_dash.importing import sniff, validate
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.run import ImportReport, inspect_file, run_import
from crm_dash.store import BatchMeta, load_frame


class RecordingCursor:
    """A cursor that remembers the SQL it ran (the results are DuckDB's own)."""

    def __init__(self, real: duckdb.DuckDBPyConnection) -> None:
        self.real = real
        self.queries: list[str] = []

    def execute(self, sql: str, params: Any = None) -> duckdb.DuckDBPyConnection:
        self.queries.append(" ".join(sql.split()))
        return self.real.execute(sql, params) if params is not None else self.real.execute(sql)


def _import(conn: duckdb.DuckDBPyConnection, path: Path, kind: DatasetKind,
            tmp: Path) -> ImportReport:
    return run_import(conn, inspect_file(conn, path, kind, tmp), imported_by="test",
                      source="upload")


USAGE = (
    "user_id,timestamp,action,object,success\n"
    "005A00000000001AAA,2026-10-01T08:00:00Z,View,Account,TRUE\n"
    "005A00000000001AAA,2026-10-01T08:01:00Z,LOGIN,,False\n"
    "005A00000000002AAA,2026-10-01T08:02:00Z,Anmeldung,,ja\n"
    "005A00000000002AAA,2026-10-01T08:03:00Z,Export,Report,success\n"
    "005A00000000003AAA,2026-10-01T08:04:00Z,Lightning Ping,,erfolgreich\n"
    "005A00000000003AAA,2026-10-01T08:05:00Z,view,Lead,FAILED\n"
    "005A00000000003AAA,2026-10-01T08:06:00Z,,Lead,\n"
)
EXPECTED_USAGE = [
    ("view", "View", True), ("login", "LOGIN", False), ("login", "Anmeldung", True),
    ("export", "Export", True), ("other", "Lightning Ping", True), ("view", "view", False),
    ("other", None, False),
]
TRAINING = (
    "email,course,date,type,status\n"
    "anna@example.com,CRM Basics,2026-10-01,Kick-off,Completed\n"
    "ben@example.com,CRM Basics,2026-10-01,Key User,NO SHOW\n"
    "cem@example.com,CRM Basics,2026-10-01,Brown bag,Abgeschlossen\n"
    "dora@example.com,CRM Basics,2026-10-01,Webinar,vielleicht\n"
)


@pytest.mark.parametrize("route", ["as written", "lower-cased", "whole vocabulary"])
def test_label_values_map_the_same_on_every_route(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    if route == "lower-cased":  # too many values as written: counted again lower-cased
        monkeypatch.setattr(validate, "_MAX_RAW_LABELS", 2)
    elif route == "whole vocabulary":  # too many values even lower-cased
        monkeypatch.setattr(validate, "_MAX_PRESENT_LABELS", 1)
    usage = tmp_path / "usage.csv"
    usage.write_text(USAGE, encoding="utf-8")
    assert _import(conn, usage, DatasetKind.USAGE, tmp_path).rows_loaded == 7
    assert conn.execute(
        "SELECT action, source_action, success FROM usage_events ORDER BY ts"
    ).fetchall() == EXPECTED_USAGE

    training = tmp_path / "training.csv"
    training.write_text(TRAINING, encoding="utf-8")
    report = _import(conn, training, DatasetKind.TRAINING, tmp_path)
    assert (report.rows_loaded, report.rows_rejected) == (3, 1)
    assert report.rejects[["column", "value", "reason"]].values.tolist() == [
        ["status", "vielleicht", "label"]]
    assert conn.execute(
        "SELECT user_ref, kind, status FROM training_records ORDER BY user_ref"
    ).fetchall() == [("anna@example.com", "kickoff", "completed"),
                     ("ben@example.com", "key_user", "no_show"),
                     ("cem@example.com", "other", "completed")]


def test_label_values_come_from_one_scan_and_no_lower_per_row(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "usage.csv"
    path.write_text(USAGE, encoding="utf-8")
    inspection = inspect_file(conn, path, DatasetKind.USAGE, tmp_path)
    cur = conn.cursor()
    plans = validate.plan_fields(cur, inspection.source, DatasetKind.USAGE, inspection.headers,
                                 inspection.mapping, None)
    validate.build_typed(cur, inspection.source, DatasetKind.USAGE, plans, None)
    recorder = RecordingCursor(cur)
    staging = validate.plan_staging(cast(duckdb.DuckDBPyConnection, recorder),
                                    DatasetKind.USAGE, plans, None)
    assert len(recorder.queries) == 1 and "GROUPING SETS ((action), (success))" in \
        recorder.queries[0]
    labelled = [c for c in staging.columns if c.endswith((" AS action", " AS success"))]
    assert len(labelled) == 2
    assert all("CASE action WHEN" in c or "CASE success WHEN" in c for c in labelled)
    assert not any("lower(" in c for c in labelled)
    success = next(c for c in labelled if c.endswith(" AS success"))
    assert "THEN true" in success and "CAST(" not in success  # BOOLEAN without a cast per row


def _events(conn: duckdb.DuckDBPyConnection, minutes: list[int]) -> RecordingCursor:
    """A cursor holding ``crm_dash_span_test``: one event per minute offset, in this order."""
    cur = conn.cursor()
    cur.execute("CREATE OR REPLACE TEMP TABLE crm_dash_span_test (ts TIMESTAMP)")
    if minutes:
        cur.executemany(
            "INSERT INTO crm_dash_span_test VALUES (TIMESTAMP '2026-10-01' + to_minutes(?))",
            [[m] for m in minutes],
        )
    return RecordingCursor(cur)


@pytest.mark.parametrize(
    ("minutes", "may_repeat"),
    [
        ([1, 2, 3, 5, 8], False),  # rising: all distinct
        ([8, 5, 3, 2, 1], False),  # falling (newest first): the same
        ([4], False),
        ([], False),
        ([3, 1, 2, 5, 4], True),  # unordered: may repeat; the dedup's hash count decides
        ([1, 2, 3, 1], True),  # the first instant again at the end
        ([1, 2, 2, 3], True),  # two neighbours share an instant
        ([3, 2, 2, 1], True),
    ],
)
def test_usage_span_tells_whether_instants_may_repeat_in_one_pass(
    conn: duckdb.DuckDBPyConnection, minutes: list[int], may_repeat: bool
) -> None:
    recorder = _events(conn, minutes)
    first, last, repeats = store._usage_span(
        cast(duckdb.DuckDBPyConnection, recorder), "crm_dash_span_test", "s.ts")
    assert repeats is may_repeat
    assert len(recorder.queries) == 1  # one streaming pass; no count of distinct instants
    if minutes:
        expected = conn.execute(
            "SELECT TIMESTAMP '2026-10-01' + to_minutes(?), TIMESTAMP '2026-10-01' + to_minutes(?)",
            [min(minutes), max(minutes)],
        ).fetchone()
        assert (first, last) == expected
    else:
        assert (first, last) == (None, None)


@pytest.mark.parametrize("newest_first", [False, True])
def test_a_repeat_far_apart_in_a_time_ordered_file_counts_once(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, newest_first: bool
) -> None:
    rows = [
        "005A00000000001AAA,2026-10-01T08:00:00Z,login,",
        "005A00000000002AAA,2026-10-01T08:01:00Z,view,Account",
        "005A00000000001AAA,2026-10-01T08:02:00Z,update,Opportunity",
        "005A00000000001,2026-10-01T08:00:00Z,login,",  # the first event again, 15-char id
    ]
    if newest_first:
        rows = [rows[3], rows[2], rows[1], rows[0]]
    path = tmp_path / "usage.csv"
    path.write_text("user_id,timestamp,action,object\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    report = _import(conn, path, DatasetKind.USAGE, tmp_path)
    assert (report.rows_read, report.rows_loaded, report.duplicates_skipped) == (4, 3, 1)


def test_a_time_ordered_frame_loads_whole(conn: duckdb.DuckDBPyConnection) -> None:
    frame = pd.DataFrame({
        "user_id": ["005A00000000001AAA", "005A00000000001AAA", "005A00000000002AAA"],
        "timestamp": ["2026-10-01T08:00:00Z", "2026-10-01T09:00:00+02:00",
                      "2026-10-01T08:00:01Z"],  # the second is 07:00 UTC: not in file order
        "action": ["Login", "view", "view"],
    })
    meta = BatchMeta(kind=DatasetKind.USAGE, file_name="f.csv", content_sha256="x",
                     imported_by="test")
    result = load_frame(conn, frame, meta)
    assert (result.rows_loaded, result.duplicates_skipped) == (3, 0)
    assert conn.execute("SELECT action FROM usage_events ORDER BY ts").fetchall() == [
        ("view",), ("login",), ("view",)]


# The content hash is computed in a background thread while DuckDB reads the file.

class LateDigest(Future[str]):
    """A hash that is never ready before someone waits for it; records when that happens."""

    def __init__(self, path: Path, events: list[str]) -> None:
        super().__init__()
        self.path, self.events = path, events

    def done(self) -> bool:
        return False

    def result(self, timeout: float | None = None) -> str:
        self.events.append("hash awaited")
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What happened, in order: the hash awaited, the file read into DuckDB."""
    happened: list[str] = []
    monkeypatch.setattr(sniff, "hash_in_background", lambda path: LateDigest(path, happened))
    build_typed = validate.build_typed

    def reading(*args: Any, **kwargs: Any) -> None:
        happened.append("file read")
        build_typed(*args, **kwargs)

    monkeypatch.setattr(validate, "build_typed", reading)
    return happened


def test_the_hash_is_the_files_sha256_and_a_refused_file_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "usage.csv"
    path.write_text(USAGE, encoding="utf-8")
    scan = sniff.scan_file(path)
    assert scan.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert scan.sha256_ready and scan.encoding == "utf-8"

    started: list[Future[str]] = []
    real = sniff.hash_in_background
    monkeypatch.setattr(sniff, "hash_in_background",
                        lambda p: started.append(real(p)) or started[-1])
    broken = tmp_path / "nul.csv"
    broken.write_bytes(b"user_id,timestamp\n" + b"005A00000000001AAA,2026-10-01\n" * 1000
                       + b"x\x00y,2026-10-01\n")
    with pytest.raises(ImportProblem, match="NUL") as problem:
        sniff.scan_file(broken)
    assert problem.value.code == "nul_bytes"
    assert len(started) == 1
    assert started[0].cancelled() or started[0].done()  # cancelled, or finished before that


def test_a_new_file_is_read_while_it_is_hashed(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, events: list[str]
) -> None:
    path = tmp_path / "usage.csv"
    path.write_text(USAGE, encoding="utf-8")
    assert _import(conn, path, DatasetKind.USAGE, tmp_path).rows_loaded == 7
    assert events[:2] == ["file read", "hash awaited"]
    assert conn.execute("SELECT content_sha256 FROM import_batches").fetchone() == (
        hashlib.sha256(path.read_bytes()).hexdigest(),)


def test_a_renamed_copy_whose_hash_comes_late_is_still_not_loaded_again(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, events: list[str]
) -> None:
    path = tmp_path / "usage.csv"
    path.write_text(USAGE, encoding="utf-8")
    first = _import(conn, path, DatasetKind.USAGE, tmp_path)
    copy = tmp_path / "copy.csv"
    copy.write_bytes(path.read_bytes())
    again = _import(conn, copy, DatasetKind.USAGE, tmp_path)
    assert (again.status, again.batch_id, again.rows_read, again.rows_loaded) == (
        "already_imported", first.batch_id, 0, 0)
    # Even a mapping that could not be loaded: the file was imported before, that is the news.
    inspection = inspect_file(conn, copy, DatasetKind.USAGE, tmp_path)
    report = run_import(conn, inspection, mapping={}, imported_by="test", source="upload")
    assert (report.status, report.batch_id) == ("already_imported", first.batch_id)
    assert conn.execute("SELECT count(*) FROM usage_events").fetchone() == (7,)


def test_a_file_name_imported_before_waits_for_the_hash_before_reading(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, events: list[str]
) -> None:
    path = tmp_path / "usage.csv"
    path.write_text(USAGE, encoding="utf-8")
    first = _import(conn, path, DatasetKind.USAGE, tmp_path)
    events.clear()
    again = _import(conn, path, DatasetKind.USAGE, tmp_path)
    assert (again.status, again.batch_id) == ("already_imported", first.batch_id)
    assert events == ["hash awaited"]  # told at once, nothing read
