"""Benchmark: importing usage CSVs of the shapes users export, crm-dash vs DuckDB's own CTAS.

    .venv/bin/python bench/import_benchmark.py              # 10 million rows, 3 rounds, all shapes
    .venv/bin/python bench/import_benchmark.py --rows 1000000 --repeat 1 --shapes b,e

Generates, with DuckDB SQL (``COPY ... TO``, seeded hashes, so every run writes the same bytes),
one usage file per shape into a temporary folder (issue 16):

- ``a``, the benchmark's original file: generic template, Salesforce-style 18-character ids of
  2,000 people, ISO timestamps with milliseconds and ``Z``, unique and strictly increasing (the
  "ordered instants" fast path), a ``success`` column;
- ``b``, a generic-template export as people have them: ``user_id`` (e-mail addresses of 5,000
  people), ``timestamp`` to the second (``2025-03-04 10:11:12``, office hours over 2025, so
  several people share a second), ``action``, ``object``; rows in random order; about 0.1 % of
  the rows repeated exactly elsewhere in the file;
- ``c``, a Salesforce EventLogFile Login log (FORMATS.md, 2023 layout): the 28 upper-case
  columns, every value quoted, 15-character ``USER_ID`` (18 in ``USER_ID_DERIVED``),
  ``TIMESTAMP`` as ``yyyyMMddHHmmss.SSS`` (``TIMESTAMP_DERIVED`` ISO), 5,000 people of whom 250
  log in as integrations (OAuth token calls), 3 % failed logins; rows in time order (instants to
  the millisecond, a few shared);
- ``d``, a Dynamics 365 audit export (API): ``auditid`` (GUID), ``createdon`` ISO UTC to the
  second, ``operation`` codes 1-4, ``action`` (1/2/3, 64/65 for sign-ins), ``objecttypecode``,
  ``objectid``, ``userid`` (GUIDs of 5,000 people), ``callinguserid``, ``attributemask``,
  ``transactionid``; newest first;
- ``e``, the next export of shape ``b``: the same generator continued for another ``--rows``
  events, starting with the last month (December 2025) of shape ``b``'s file, so about 8.5 % of
  its rows are events stored already. It is imported on top of shape ``b``'s file: a database
  holding that import (and its activity rebuild) is prepared once, untimed, and each round
  imports ``e`` into a fresh copy of it. Only the second import is timed; its yardstick is the
  CTAS of the second file.

Every shape is recognised by crm-dash without ``--preset`` or ``--map`` (c and d by their
presets, ``salesforce_eventlog_login`` and ``dynamics_audit``); the mapping each import used is
checked against the intended one and a different mapping stops the benchmark.

Then each route runs in its own process on a fresh database file, round after round, shapes and
routes interleaved:

- ``duckdb-ctas``: ``CREATE TABLE usage AS SELECT * FROM read_csv(file)`` (the yardstick);
- ``crm-dash``: ``crm-dash import FILE --kind usage`` (hash, detection, validation in DuckDB,
  rejects, deduplication, one transaction), then, in the same process and timed on its own, the
  activity rebuild the app runs after a usage upload (``prepare_activity``);
- ``pandas`` (only with ``--routes``, and only for shapes whose headers are crm-dash's field
  names: a, b, e): ``pandas.read_csv`` and :func:`crm_dash.store.load_frame`.

Each figure is the route's own work (from the first statement to the database closed), the median
over the rounds. Peak memory is the process's maximum resident set size: for crm-dash at the end
of the import (``getrusage`` in the child, before the rebuild) and for the whole child including
the rebuild (``wait4``); for the other routes ``wait4``. No ``memory_limit`` is set: DuckDB's
default (80 % of the machine's memory) applies, in crm-dash as in the CTAS. The targets of
issue 16: shapes a, c, d at most 1.5x the CTAS of the same file, b and e at most 2x; below 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROUTES = ("duckdb-ctas", "crm-dash", "pandas")
DEFAULT_ROUTES = ("duckdb-ctas", "crm-dash")
TARGET_MEMORY_MB = 1024
SEED = 16  # mixed into every hash: change it for other (equally deterministic) files
PEOPLE = 5_000  # shapes b to e
DAYS = 365  # shape b spans 2025; e continues it
OVERLAP_DAYS = 31  # e starts with b's December


def generate_a(path: Path, rows: int) -> None:
    """A usage log of ``rows`` events by 2,000 people over a year (the original file)."""
    import duckdb

    conn = duckdb.connect()
    conn.execute(  # our own temporary path and an int, no input from anyone
        f"""COPY (
          SELECT '005Dn' || lpad(CAST(i % 2000 AS VARCHAR), 10, '0') || 'IAK' AS user_id,
            strftime(TIMESTAMP '2025-01-01' + to_milliseconds(i * 3100 + i % 997),
                     '%Y-%m-%dT%H:%M:%S.%gZ') AS timestamp,
            ['login', 'view', 'view', 'view', 'update', 'create', 'export'][i % 7 + 1] AS action,
            ['Account', 'Contact', 'Opportunity', 'Lead', 'Report'][i % 5 + 1] AS object,
            CASE WHEN i % 97 = 0 THEN 'false' ELSE 'true' END AS success
          FROM range({int(rows)}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')"""  # noqa: S608
    )
    conn.close()


def _h(tag: str, column: str = "i") -> str:
    """A seeded 63-bit hash of ``column`` for one purpose (``tag``), as a BIGINT SQL term."""
    return f"CAST(hash({column}, {SEED}, '{tag}') >> 1 AS BIGINT)"


def _generic_events(path: Path, first: int, count: int, rows: int) -> None:
    """Events ``first`` to ``first + count`` of the generic-template stream (shapes b and e).

    Event ``i`` falls on day ``i * 365 // rows`` of 2025 (later days run into 2026), at a
    hashed second of office hours (08:00-17:00), so about 0.8 events share each second; its
    person, action and object are hashed from ``i``, so the same event is the same row in every
    file that holds it. About 0.1 % of the events are written twice; the file is in random order.
    """
    import duckdb

    conn = duckdb.connect()
    conn.execute(  # our own temporary path and ints, no input from anyone
        f"""COPY (
          WITH ev AS (
            SELECT i FROM range({int(first)}, {int(first) + int(count)}) t(i)
          ), copies AS (
            SELECT i, 0 AS copy FROM ev
            UNION ALL SELECT i, 1 FROM ev WHERE {_h('dup')} % 1000 = 0
          )
          SELECT 'person' || lpad(CAST({_h('user')} % {PEOPLE} AS VARCHAR), 4, '0')
                   || '@example.com' AS user_id,
            strftime(TIMESTAMP '2025-01-01'
                       + to_days(CAST(i * {DAYS} // {int(rows)} AS INTEGER))
                       + to_seconds(CAST(28800 + {_h('second')} % 32400 AS BIGINT)),
                     '%Y-%m-%d %H:%M:%S') AS timestamp,
            ['login', 'view', 'view', 'view', 'view', 'update', 'update', 'create', 'export',
             'delete'][{_h('action')} % 10 + 1] AS action,
            ['Account', 'Contact', 'Opportunity', 'Lead', 'Case', 'Report', 'Dashboard']
              [{_h('object')} % 7 + 1] AS object
          FROM copies
          ORDER BY hash(i, copy, {SEED}, 'order')
        ) TO '{path}' (HEADER, DELIMITER ',')"""  # noqa: S608
    )
    conn.close()


def generate_b(path: Path, rows: int) -> None:
    """Shape b: ``rows`` events of 2025 (plus about 0.1 % exact repeats), random order."""
    _generic_events(path, 0, rows, rows)


def overlap_start(rows: int) -> int:
    """The first event of shape e: the first of shape b's last ``OVERLAP_DAYS`` days."""
    return -(-(DAYS - OVERLAP_DAYS) * rows // DAYS)  # ceiling: its day is the first of them


def generate_e(path: Path, rows: int) -> None:
    """Shape e: the next ``rows`` events, from the start of shape b's last month on."""
    _generic_events(path, overlap_start(rows), rows, rows)


SF_LOGIN_COLUMNS = (
    "EVENT_TYPE", "TIMESTAMP", "REQUEST_ID", "ORGANIZATION_ID", "USER_ID", "RUN_TIME", "CPU_TIME",
    "URI", "SESSION_KEY", "LOGIN_KEY", "USER_TYPE", "REQUEST_STATUS", "DB_TOTAL_TIME",
    "LOGIN_TYPE", "BROWSER_TYPE", "API_TYPE", "API_VERSION", "USER_NAME", "TLS_PROTOCOL",
    "CIPHER_SUITE", "AUTHENTICATION_METHOD_REFERENCE", "LOGIN_SUB_TYPE", "TIMESTAMP_DERIVED",
    "USER_ID_DERIVED", "CLIENT_IP", "URI_ID_DERIVED", "LOGIN_STATUS", "SOURCE_IP",
)


def generate_c(path: Path, rows: int) -> None:
    """Shape c: a Salesforce EventLogFile Login log of ``rows`` logins over 2025."""
    import duckdb

    conn = duckdb.connect()
    conn.execute(  # our own temporary path and ints, no input from anyone
        f"""COPY (
          WITH ev AS (
            SELECT i, {_h('user')} % {PEOPLE} AS person,
              TIMESTAMP '2025-01-01' + to_days(CAST(i * {DAYS} // {int(rows)} AS INTEGER))
                + to_milliseconds(CAST({_h('ms')} % 86400000 AS BIGINT)) AS ts
            FROM range({int(rows)}) t(i)
          ), logins AS (
            SELECT *, person < {PEOPLE // 20} AS integration, {_h('fail')} % 100 < 3 AS failed,
              '005Dn' || lpad(CAST(person AS VARCHAR), 10, '0') AS uid
            FROM ev
          )
          SELECT 'Login' AS EVENT_TYPE,
            strftime(ts, '%Y%m%d%H%M%S.%g') AS TIMESTAMP,
            '4' || printf('%016x', {_h('request')}) || 'ABC' AS REQUEST_ID,
            '00D5g000004XyZ1' AS ORGANIZATION_ID,
            uid AS USER_ID,
            CAST({_h('run')} % 400 + 20 AS VARCHAR) AS RUN_TIME,
            CAST({_h('run')} % 90 + 5 AS VARCHAR) AS CPU_TIME,
            CASE WHEN integration THEN '/services/oauth2/token' ELSE '/index.jsp' END AS URI,
            CASE WHEN failed THEN '' ELSE printf('%016x', {_h('session')}) END AS SESSION_KEY,
            CASE WHEN failed THEN '' ELSE printf('%016x', {_h('login')}) END AS LOGIN_KEY,
            'Standard' AS USER_TYPE,
            '' AS REQUEST_STATUS,
            CAST({_h('db')} % 5000000 AS VARCHAR) AS DB_TOTAL_TIME,
            CASE WHEN integration THEN 'i' ELSE 'A' END AS LOGIN_TYPE,
            CASE WHEN integration THEN 'Go-http-client/1.1'
                 ELSE ['Chrome 131', 'Edge 131', 'Firefox 133', 'Safari 18']
                        [{_h('browser')} % 4 + 1] END AS BROWSER_TYPE,
            CASE WHEN integration THEN 'f' ELSE '' END AS API_TYPE,
            CASE WHEN integration THEN '59.0' ELSE '9998.0' END AS API_VERSION,
            'person' || lpad(CAST(person AS VARCHAR), 4, '0') || '@example.com' AS USER_NAME,
            'TLS 1.3' AS TLS_PROTOCOL,
            'TLS_AES_256_GCM_SHA384' AS CIPHER_SUITE,
            CASE WHEN integration THEN '' ELSE 'pwd' END AS AUTHENTICATION_METHOD_REFERENCE,
            '' AS LOGIN_SUB_TYPE,
            strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS TIMESTAMP_DERIVED,
            uid || 'IAA' AS USER_ID_DERIVED,
            '10.' || CAST(person // 256 % 256 AS VARCHAR) || '.' || CAST(person % 256 AS VARCHAR)
              || '.' || CAST({_h('ip')} % 250 + 1 AS VARCHAR) AS CLIENT_IP,
            '' AS URI_ID_DERIVED,
            CASE WHEN failed THEN 'LOGIN_ERROR_INVALID_PASSWORD' ELSE 'LOGIN_NO_ERROR' END
              AS LOGIN_STATUS,
            '203.0.113.' || CAST(person % 250 + 1 AS VARCHAR) AS SOURCE_IP
          FROM logins
          ORDER BY ts
        ) TO '{path}' (HEADER, DELIMITER ',', FORCE_QUOTE *)"""  # noqa: S608
    )
    conn.close()


def generate_d(path: Path, rows: int) -> None:
    """Shape d: a Dynamics 365 audit export (API) of ``rows`` entries over 2025, newest first."""
    import duckdb

    conn = duckdb.connect()
    conn.execute(  # our own temporary path and ints, no input from anyone
        f"""COPY (
          WITH people AS (
            SELECT p,
              printf('%08x-%04x-%04x-%04x-%012x', hash(p, {SEED}, 'g1') % 4294967296,
                     hash(p, {SEED}, 'g2') % 65536, 16384 + hash(p, {SEED}, 'g3') % 4096,
                     32768 + hash(p, {SEED}, 'g4') % 16384,
                     hash(p, {SEED}, 'g5') % 281474976710656) AS guid
            FROM range({PEOPLE}) t(p)
          ), ev AS (
            SELECT i, {_h('user')} % {PEOPLE} AS person, {_h('op')} % 100 AS roll,
              TIMESTAMP '2025-01-01' + to_days(CAST(i * {DAYS} // {int(rows)} AS INTEGER))
                + to_seconds(CAST(25200 + {_h('second')} % 39600 AS BIGINT)) AS ts
            FROM range({int(rows)}) t(i)
          ), audit AS (
            SELECT ev.*, people.guid AS userid,
              CASE WHEN roll < 10 THEN 1 WHEN roll < 65 THEN 2 WHEN roll < 70 THEN 3 ELSE 4 END
                AS operation,
              CASE WHEN roll < 10 THEN 1 WHEN roll < 65 THEN 2 WHEN roll < 70 THEN 3
                   WHEN roll < 95 THEN 64 ELSE 65 END AS action
            FROM ev JOIN people ON people.p = ev.person
          )
          SELECT
            printf('%08x-%04x-%04x-%04x-%012x', {_h('a1')} % 4294967296, {_h('a2')} % 65536,
                   16384 + {_h('a3')} % 4096, 32768 + {_h('a4')} % 16384,
                   {_h('a5')} % 281474976710656) AS auditid,
            strftime(ts, '%Y-%m-%dT%H:%M:%SZ') AS createdon,
            operation,
            action,
            CASE WHEN action >= 64 THEN 'systemuser'
                 ELSE ['account', 'contact', 'opportunity', 'lead', 'incident']
                        [{_h('object')} % 5 + 1] END AS objecttypecode,
            CASE WHEN action >= 64 THEN userid
                 ELSE printf('%08x-%04x-%04x-%04x-%012x', {_h('o1')} % 4294967296,
                             {_h('o2')} % 65536, 16384 + {_h('o3')} % 4096,
                             32768 + {_h('o4')} % 16384, {_h('o5')} % 281474976710656) END
              AS objectid,
            userid,
            NULL AS callinguserid,
            CASE WHEN operation = 2 THEN ',' || CAST({_h('mask')} % 60 + 1 AS VARCHAR) || ','
                   || CAST({_h('mask2')} % 60 + 61 AS VARCHAR) || ',' END
              AS attributemask,
            printf('%08x-%04x-%04x-%04x-%012x', {_h('t1')} % 4294967296, {_h('t2')} % 65536,
                   16384 + {_h('t3')} % 4096, 32768 + {_h('t4')} % 16384,
                   {_h('t5')} % 281474976710656) AS transactionid
          FROM audit
          ORDER BY ts DESC, i DESC
        ) TO '{path}' (HEADER, DELIMITER ',')"""  # noqa: S608
    )
    conn.close()


@dataclass(frozen=True)
class Shape:
    """One kind of file: how to write it, what crm-dash must make of it, its target ratio."""

    key: str
    title: str
    generate: Callable[[Path, int], None]
    target_ratio: float
    mapping: dict[str, str]  # field -> column crm-dash must map without --map
    preset: str = "generic"  # the layout crm-dash must recognise (import_batches.preset)
    import_args: tuple[str, ...] = ()  # --preset / --map, if a shape needed them (none does)
    base: str | None = None  # the shape whose file is imported first, untimed

    def file_name(self) -> str:
        return f"{self.key}.csv"

    @property
    def canonical(self) -> bool:
        """Whether the headers are crm-dash's field names (the pandas route needs that)."""
        return all(name == column for name, column in self.mapping.items())


SHAPES: dict[str, Shape] = {s.key: s for s in (
    Shape("a", "original: ordered unique instants", generate_a, 1.5,
          {"user_id": "user_id", "timestamp": "timestamp", "action": "action",
           "object": "object", "success": "success"}),
    Shape("b", "generic template, seconds, random order, ties, 0.1 % repeats", generate_b, 2.0,
          {"user_id": "user_id", "timestamp": "timestamp", "action": "action",
           "object": "object"}),
    Shape("c", "Salesforce EventLogFile Login, 28 quoted columns", generate_c, 1.5,
          {"user_id": "USER_ID_DERIVED", "timestamp": "TIMESTAMP_DERIVED",
           "action": "EVENT_TYPE", "success": "LOGIN_STATUS"}, "salesforce_eventlog_login"),
    Shape("d", "Dynamics audit, GUIDs, operation codes", generate_d, 1.5,
          {"user_id": "userid", "timestamp": "createdon", "action": "operation",
           "object": "objecttypecode"}, "dynamics_audit"),
    Shape("e", "next export of b, one month overlap, on top of b", generate_e, 2.0,
          {"user_id": "user_id", "timestamp": "timestamp", "action": "action",
           "object": "object"}, base="b"),
)}


def _import(csv_path: Path, db_path: Path, extra: list[str]) -> dict[str, object]:
    """``crm-dash import FILE --kind usage --json`` in this process; its JSON report."""
    from contextlib import redirect_stdout
    from io import StringIO

    from crm_dash.cli import main

    out = StringIO()
    with redirect_stdout(out):
        code = main(["import", str(csv_path), "--kind", "usage", "--db", str(db_path), "--json",
                     *extra])
    report: dict[str, object] = json.loads(out.getvalue())
    if code != 0 or report["status"] != "loaded":
        raise SystemExit(f"import of {csv_path.name} failed: {json.dumps(report)[:2000]}")
    return report


def _rebuild(db_path: Path) -> tuple[float, str]:
    """Seconds of the activity rebuild the app runs after a usage upload, and the layout
    (preset) the import recognised (read after the clock stopped)."""
    from crm_dash import db
    from crm_dash.metrics.activity import prepare_activity

    started = time.perf_counter()
    conn = db.connect(db_path)
    rebuilt = prepare_activity(conn)
    seconds = time.perf_counter() - started
    row = conn.execute("SELECT preset FROM import_batches ORDER BY batch_id DESC LIMIT 1"
                       ).fetchone()
    conn.close()
    if not rebuilt:
        raise SystemExit("the activity table was not rebuilt after the import")
    return seconds, str(row[0] if row else None)


def run_route(route: str, csv_path: Path, db_path: Path, extra: list[str]) -> dict[str, object]:
    """The work of one route (runs in a child process); returns its own timing.

    Modules are imported before the clock starts: the figures are about the work on the file.
    """
    import duckdb
    import pandas as pd

    from crm_dash import db
    from crm_dash.cli import main  # noqa: F401  (imported before the clock, like the others)
    from crm_dash.datasets import DatasetKind
    from crm_dash.metrics.activity import prepare_activity  # noqa: F401
    from crm_dash.store import BatchMeta, load_frame, sha256_of

    result: dict[str, object] = {}
    start = time.perf_counter()
    if route == "duckdb-ctas":
        conn = duckdb.connect(str(db_path))
        conn.execute("CREATE TABLE usage AS SELECT * FROM read_csv(?)", [str(csv_path)])
        conn.close()
    elif route in ("crm-dash", "setup"):
        report = _import(csv_path, db_path, extra)
        result["seconds"] = time.perf_counter() - start
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result["activity_seconds"], result["preset"] = _rebuild(db_path)
        result.update({k: report[k] for k in ("rows_read", "rows_loaded", "duplicates_skipped",
                                               "rows_rejected")})
        result["mapping"] = {name: evidence["column"] if isinstance(evidence, dict) else evidence
                             for name, evidence in dict(report["mapping"]).items()}  # type: ignore[call-overload]
        return result
    elif route == "pandas":
        frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        conn = db.connect(db_path)
        meta = BatchMeta(kind=DatasetKind.USAGE, file_name=csv_path.name,
                         content_sha256=sha256_of(csv_path.read_bytes()), imported_by="bench",
                         source="cli")
        result["rows_loaded"] = load_frame(conn, frame, meta).rows_loaded
        conn.close()
    else:
        raise SystemExit(f"unknown route {route}")
    result["seconds"] = time.perf_counter() - start
    return result


def measure(route: str, shape: Shape, workdir: Path, round_no: int,
            base_db: Path | None = None) -> dict[str, object]:
    """One route on one shape's file in a fresh process: its result, with ``rss_mb`` (wait4).

    ``base_db`` (shape e, not for the CTAS): the database is a fresh copy of it. Linux carries a
    process's peak resident size over ``fork`` and ``exec``, so the parent never loads data
    itself (the files are generated in children too): otherwise every child would report at
    least the parent's peak.
    """
    db_path = workdir / f"{shape.key}-{route}-{round_no}.duckdb"
    if base_db is not None and route != "duckdb-ctas":
        shutil.copyfile(base_db, db_path)
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", route, "--csv", str(workdir / shape.file_name()),
         "--db", str(db_path), "--extra", json.dumps(list(shape.import_args))],
        stdout=subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent,
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{route} on shape {shape.key} failed with exit code {child.returncode}")
    if route != "setup":
        _remove_database(db_path)
    result: dict[str, object] = json.loads(output)
    result["rss_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    if route in ("crm-dash", "setup"):
        expected = SHAPES[shape.key].mapping
        if result["mapping"] != expected or result["preset"] != shape.preset:
            raise SystemExit(f"shape {shape.key}: crm-dash read it as {result['preset']} and "
                             f"mapped {result['mapping']}, the benchmark means {shape.preset} "
                             f"and {expected}")
    return result


def _remove_database(db_path: Path) -> None:
    for leftover in (db_path, Path(f"{db_path}.wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(Path(f"{db_path}.tmp"), ignore_errors=True)


class _TimedCursor:
    """A DuckDB connection or cursor that adds each statement's time to ``phases``, under the
    crm-dash function that ran it (profiling only: nothing else changes)."""

    def __init__(self, real: object, phases: dict[str, float]) -> None:
        self._real = real
        self._phases = phases

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)

    def cursor(self) -> _TimedCursor:
        return _TimedCursor(self._real.cursor(), self._phases)  # type: ignore[attr-defined]

    def execute(self, sql: str, *args: object) -> object:
        import inspect

        caller = next((f"{Path(f.filename).stem}.{f.function}" for f in inspect.stack(0)[1:]
                       if "crm_dash" in f.filename and not f.filename.endswith("db.py")),
                      "?")
        words = " ".join(sql.split())
        head = " ".join(words.split()[:4]) if len(words) > 40 else words
        started = time.perf_counter()
        result = self._real.execute(sql, *args)  # type: ignore[attr-defined]
        label = f"sql  {caller}: {head[:48]}"
        self._phases[label] = self._phases.get(label, 0.0) + time.perf_counter() - started
        return self if result is self._real else result


def profile_import(csv_path: Path, db_path: Path, extra: list[str]) -> dict[str, float]:
    """The seconds of each step of one import and the activity rebuild after it (a child).

    Python steps are timed by wrapping crm-dash's functions, SQL statements by a cursor that
    times each (named after the crm-dash function that ran it). Steps nest (``inspect_file``
    holds the scan, the layout and the sample), the hash runs in a thread of its own beside the
    rest and only the wait for it is on the clock: the figures are not meant to add up.
    """
    import crm_dash.cli.imports as import_cli
    from crm_dash import db
    from crm_dash.importing import run, sniff
    from crm_dash.metrics import activity

    phases: dict[str, float] = {}

    def timed(name: str, func: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
        return wrapper

    real_connect = db.connect
    open_db = timed("py   db.connect (open, migrate)", real_connect)
    setattr(db, "connect",  # noqa: B010  (patched for this child only)
            lambda *a, **k: _TimedCursor(open_db(*a, **k), phases))
    for name in ("scan_file", "detect_layout", "sample_profiles", "propose", "inspect_file",
                 "_lines", "describe_mapping", "run_import"):
        setattr(run, name, timed(f"py   {name}", getattr(run, name)))
    for name in ("inspect_file", "run_import"):  # the CLI's own references
        setattr(import_cli, name, getattr(run, name))
    digest = vars(sniff.FileScan)["sha256"]
    setattr(sniff.FileScan, "sha256",  # noqa: B010
            property(timed("py   wait for the SHA-256 thread", digest.fget)))
    started = time.perf_counter()
    report = _import(csv_path, db_path, extra)
    phases["TOTAL import"] = time.perf_counter() - started
    conn = _TimedCursor(real_connect(db_path), phases)
    started = time.perf_counter()
    activity.prepare_activity(conn)  # type: ignore[arg-type]
    phases["TOTAL activity rebuild"] = time.perf_counter() - started
    conn.close()  # type: ignore[operator]
    phases["rows loaded"] = float(report["rows_loaded"])  # type: ignore[arg-type]
    phases["repeats skipped"] = float(report["duplicates_skipped"])  # type: ignore[arg-type]
    return phases


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds per route (median)")
    parser.add_argument("--shapes", default=",".join(SHAPES),
                        help=f"comma-separated subset of {', '.join(SHAPES)}")
    parser.add_argument("--routes", default=",".join(DEFAULT_ROUTES),
                        help=f"comma-separated subset of {', '.join(ROUTES)} "
                             f"(default {','.join(DEFAULT_ROUTES)})")
    parser.add_argument("--profile", action="store_true",
                        help="instead of the table: the seconds of each step of one crm-dash "
                             "import per shape (its SQL statements, hashing, sniffing, the "
                             "activity rebuild)")
    parser.add_argument("--keep", metavar="DIR", type=Path,
                        help="write the files into DIR (kept) instead of a temporary folder")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--extra", default="[]", help=argparse.SUPPRESS)
    parser.add_argument("--shape", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "generate":
        SHAPES[args.shape].generate(Path(args.csv), args.rows)
        return 0
    if args.child == "profile":
        print(json.dumps(profile_import(Path(args.csv), Path(args.db), json.loads(args.extra))))
        return 0
    if args.child:
        print(json.dumps(run_route(args.child, Path(args.csv), Path(args.db),
                                   json.loads(args.extra))))
        return 0

    shapes = [SHAPES[s] for s in args.shapes.split(",") if s]
    routes = [r for r in args.routes.split(",") if r]
    unknown = [r for r in routes if r not in ROUTES]
    if unknown:
        parser.error(f"unknown route(s) {', '.join(unknown)}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return run(args, shapes, routes, args.keep)
    with tempfile.TemporaryDirectory(prefix="crm-dash-bench-") as tmp:
        return run(args, shapes, routes, Path(tmp))


def run(args: argparse.Namespace, shapes: list[Shape], routes: list[str], workdir: Path) -> int:
    """Generate the files, prepare the bases, run the rounds and print the table."""
    needed = {s.key for s in shapes} | {s.base for s in shapes if s.base}
    sizes: dict[str, float] = {}
    rounds = ("one profiled import per shape" if args.profile else
              f"{args.repeat} round(s), shapes and routes interleaved")
    print(f"{args.rows:,} rows per shape; {os.cpu_count()} CPUs; {rounds}; "
          f"{time.strftime('%Y-%m-%d %H:%M %Z')}", flush=True)
    for key in sorted(needed):
        path = workdir / SHAPES[key].file_name()
        started = time.perf_counter()
        if not path.exists():  # in a child: the parent stays small (see measure)
            subprocess.run([sys.executable, __file__, "--child", "generate", "--csv", str(path),
                            "--shape", key, "--rows", str(args.rows)], check=True)
        sizes[key] = path.stat().st_size / 2**20
        print(f"  shape {key}: {sizes[key]:,.0f} MB CSV in {time.perf_counter() - started:.1f} s",
              flush=True)
    bases: dict[str, Path] = {}
    for shape in shapes:
        if shape.base and shape.base not in bases:
            started = time.perf_counter()
            setup = measure("setup", SHAPES[shape.base], workdir, 0)
            bases[shape.base] = workdir / f"{shape.base}-setup-0.duckdb"
            print(f"  base for shape {shape.key}: shape {shape.base} imported "
                  f"({setup['rows_loaded']:,} rows) and activity rebuilt in "
                  f"{time.perf_counter() - started:.1f} s (untimed)", flush=True)

    if args.profile:
        for shape in shapes:
            result = measure("profile", shape, workdir, 0, bases.get(shape.base or ""))
            print(f"\nshape {shape.key} ({shape.title}), {args.rows:,} rows; peak "
                  f"{float(str(result.pop('rss_mb'))):,.0f} MB\n\n| step | s |\n|---|---:|")
            steps = {step: float(str(value)) for step, value in result.items()}
            for step, value in sorted(steps.items(), key=lambda kv: -kv[1]):
                if step.startswith(("rows", "repeats")):
                    print(f"| {step} | {value:,.0f} |")
                elif value >= 0.05 or step.startswith("TOTAL"):
                    print(f"| {step} | {value:,.2f} |")
        for base_db in bases.values():
            _remove_database(base_db)
        return 0
    results: dict[tuple[str, str], list[dict[str, object]]] = {
        (s.key, r): [] for s in shapes for r in routes}
    for round_no in range(args.repeat):
        for shape in shapes:
            for route in routes:
                if route == "pandas" and not shape.canonical:
                    continue  # pandas.read_csv does no mapping
                base = bases.get(shape.base) if shape.base else None
                result = measure(route, shape, workdir, round_no, base)
                results[(shape.key, route)].append(result)
                extra = ""
                if route == "crm-dash":
                    extra = (f"  import peak {result['peak_mb']:,.0f} MB  rebuild "
                             f"{result['activity_seconds']:.2f} s  "
                             f"{result['rows_loaded']:,} loaded  "
                             f"{result['duplicates_skipped']:,} repeats")
                print(f"  round {round_no + 1}: {shape.key} {route:<12} "
                      f"{result['seconds']:7.2f} s  {result['rss_mb']:7,.0f} MB{extra}",
                      flush=True)
    for base_db in bases.values():
        _remove_database(base_db)
    print()
    print(table(args, shapes, routes, results, sizes))
    return 0


def _seconds(results: list[dict[str, object]], key: str = "seconds") -> float:
    return _median([float(r[key]) for r in results])  # type: ignore[arg-type]


def _peak(results: list[dict[str, object]], key: str) -> float:
    return max(float(r[key]) for r in results)  # type: ignore[arg-type]


def table(args: argparse.Namespace, shapes: list[Shape], routes: list[str],
          results: dict[tuple[str, str], list[dict[str, object]]],
          sizes: dict[str, float]) -> str:
    """The markdown table, the worst ratio and the verdicts."""
    lines = [
        "| shape | CSV MB | CTAS s | crm-dash s | vs CTAS | import peak MB | peak with rebuild MB "
        "| rows loaded | repeats skipped | rejected | activity rebuild s"
        + (" | pandas s | pandas MB" if "pandas" in routes else "") + " | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
        + ("|---:|---:" if "pandas" in routes else "") + "|---|",
    ]
    ratios: dict[str, float] = {}
    verdicts: list[str] = []
    for shape in shapes:
        ctas = results.get((shape.key, "duckdb-ctas"))
        ours = results.get((shape.key, "crm-dash"))
        base = _seconds(ctas) if ctas else None
        cells = [f"{shape.key}: {shape.title}", f"{sizes[shape.key]:,.0f}",
                 f"{base:.2f}" if base else "–"]
        target = (f"<= {shape.target_ratio:g}x, < {TARGET_MEMORY_MB / 1024:g} GB")
        if ours:
            seconds = _seconds(ours)
            peak = _peak(ours, "peak_mb")
            last = ours[-1]
            cells += [f"{seconds:.2f}", f"{seconds / base:.2f}x" if base else "–",
                      f"{peak:,.0f}", f"{_peak(ours, 'rss_mb'):,.0f}",
                      f"{last['rows_loaded']:,}", f"{last['duplicates_skipped']:,}",
                      f"{last['rows_rejected']:,}", f"{_seconds(ours, 'activity_seconds'):.2f}"]
            if base:
                ratios[shape.key] = seconds / base
                met = seconds / base <= shape.target_ratio and peak < TARGET_MEMORY_MB
                verdict = "met" if met else "MISSED"
                target += f": {verdict}"
                verdicts.append(f"shape {shape.key}: {verdict} ({seconds / base:.2f}x "
                                f"<= {shape.target_ratio:g}x? {peak:,.0f} MB < "
                                f"{TARGET_MEMORY_MB:,} MB?)")
        else:
            cells += ["–"] * 8
        if "pandas" in routes:
            theirs = results[(shape.key, "pandas")]
            cells += ([f"{_seconds(theirs):.2f}", f"{_peak(theirs, 'rss_mb'):,.0f}"] if theirs
                      else ["–", "–"])
        cells.append(target)
        lines.append("| " + " | ".join(cells) + " |")
    if ratios:
        worst = max(ratios, key=lambda k: ratios[k])
        lines += ["", f"worst ratio: shape {worst} ({SHAPES[worst].title}), "
                      f"{ratios[worst]:.2f}x DuckDB's CTAS", ""]
        lines += [f"target {v}" for v in verdicts]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
