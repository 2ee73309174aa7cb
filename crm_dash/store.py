"""The one write path for dataset rows: a batch record plus its rows, in one transaction.

Callers (the importer, the demo, test fixtures) hand over rows with canonical column names; this
module adds the batch, computes join keys, skips rows that are already stored and upserts the
roster. Nothing here loops over rows in Python.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import duckdb
import pandas as pd

from crm_dash.datasets import DATASETS, DatasetKind, DatasetSpec, FieldType
from crm_dash.db import transaction
from crm_dash.errors import ImportRejected

Source = Literal["upload", "cli", "demo", "fixture"]


_GUID = "[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}"


def user_key_sql(column: str) -> str:
    """SQL expression giving the join key of a user reference in ``column``.

    Salesforce user ids (prefix 005) come in 15- and 18-character forms; the first 15 characters
    identify the record. E-mails and Dynamics GUIDs (with or without braces) compare
    case-insensitively. Anything else is trimmed.
    ``column`` must be a quoted identifier produced by this package, never user input.
    """
    value = f"trim(CAST({column} AS VARCHAR))"
    guid = f"trim({value}, '{{}}')"
    return (
        f"CASE WHEN regexp_full_match({value}, '005[0-9A-Za-z]{{12}}([0-9A-Za-z]{{3}})?')"
        f" THEN left({value}, 15)"
        f" WHEN contains({value}, '@') THEN lower({value})"
        f" WHEN regexp_full_match({guid}, '{_GUID}') THEN lower({guid})"
        f" ELSE {value} END"
    )


@dataclass(frozen=True)
class BatchMeta:
    """Where a batch came from and who brought it."""

    kind: DatasetKind
    file_name: str
    content_sha256: str
    imported_by: str
    source: Source = "upload"
    preset: str | None = None
    rows_read: int | None = None
    rows_rejected: int = 0
    # Set only by a check that is rolled back afterwards, so that it draws no batch number.
    batch_id: int | None = None
    export_date: date | None = None  # a date the export carries (title line, footer, name)
    # Optional fields left unmapped: {field: {"column": best candidate or None, "confidence"}}.
    field_gaps: dict[str, dict[str, Any]] | None = None


@dataclass(frozen=True)
class LoadResult:
    """What a load did."""

    batch_id: int
    rows_loaded: int
    duplicates_skipped: int


def sha256_of(data: bytes) -> str:
    """Content hash that recognises a file uploaded twice."""
    return hashlib.sha256(data).hexdigest()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


_ABSENT = "CAST(NULL AS "  # how _typed_columns writes a field the staging relation lacks


def _typed_columns(spec: DatasetSpec, present: dict[str, str]) -> dict[str, str]:
    """``{field: SQL expression}`` casting each canonical column of the staging relation.

    ``present`` maps the staging columns to their DuckDB types.
    """
    exprs: dict[str, str] = {}
    for field in spec.fields:
        sql_type = field.type.duckdb_type
        if present.get(field.name) == "TIMESTAMP":  # typed already (the importer): no detour
            exprs[field.name] = f"s.{_quote(field.name)}"
        elif field.name in present and field.type == FieldType.TIMESTAMP:
            # Through TIMESTAMPTZ so that values with an offset land in UTC (session zone).
            exprs[field.name] = f"CAST(CAST(s.{_quote(field.name)} AS TIMESTAMPTZ) AS TIMESTAMP)"
        elif field.name in present:
            exprs[field.name] = f"CAST(s.{_quote(field.name)} AS {sql_type})"
        else:
            exprs[field.name] = f"{_ABSENT}{sql_type})"
    return exprs


def load_rows(
    cur: duckdb.DuckDBPyConnection, staging: str, meta: BatchMeta
) -> LoadResult:
    """Load the canonical rows of relation ``staging`` as one new batch.

    Must run inside a transaction on ``cur`` (see :func:`crm_dash.db.transaction`); ``staging``
    is a table or view name created by crm-dash on that cursor.
    """
    spec = DATASETS[meta.kind]
    columns = {
        str(r[0]): str(r[1])
        for r in cur.execute(f"SELECT * FROM {_quote(staging)} LIMIT 0").description or []
    }
    missing = [f for f in spec.required_fields if f not in columns]
    if missing:
        raise ImportRejected.says("error.import.required_missing", fields=", ".join(missing))
    rows_read = meta.rows_read
    if rows_read is None:
        count = cur.execute(f"SELECT count(*) FROM {_quote(staging)}").fetchone()
        rows_read = int(count[0]) if count else 0
    batch_row = cur.execute(
        "INSERT INTO import_batches (batch_id, kind, file_name, content_sha256, preset, source,"
        " imported_by, rows_read, rows_rejected, export_date, field_gaps)"
        " VALUES (coalesce(?, nextval('import_batch_id_seq')), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING batch_id",
        [
            meta.batch_id, meta.kind.value, meta.file_name, meta.content_sha256, meta.preset,
            meta.source, meta.imported_by, rows_read, meta.rows_rejected, meta.export_date,
            None if meta.field_gaps is None else json.dumps(meta.field_gaps, sort_keys=True),
        ],
    ).fetchone()
    assert batch_row is not None
    batch_id = int(batch_row[0])
    typed = _typed_columns(spec, columns)
    if meta.kind == DatasetKind.USAGE and "source_action" in columns:
        typed["source_action"] = "s.source_action"  # the action as the source wrote it
    insert = _INSERTS[meta.kind]
    before = _table_count(cur, spec.table)
    insert(cur, staging, typed, batch_id)
    after = _table_count(cur, spec.table)
    loaded = after - before if meta.kind != DatasetKind.USERS else _batch_count(cur, batch_id)
    candidates = rows_read - meta.rows_rejected
    skipped = max(candidates - loaded, 0)
    cur.execute(
        "UPDATE import_batches SET rows_loaded = ?, duplicates_skipped = ? WHERE batch_id = ?",
        [loaded, skipped, batch_id],
    )
    return LoadResult(batch_id=batch_id, rows_loaded=loaded, duplicates_skipped=skipped)


def load_frame(
    conn: duckdb.DuckDBPyConnection, frame: pd.DataFrame, meta: BatchMeta
) -> LoadResult:
    """Load a DataFrame with canonical column names as one batch, in its own transaction."""
    with transaction(conn) as cur:  # a cursor of its own: the registration dies with it
        cur.register("crm_dash_staging_frame", frame)
        return load_rows(cur, "crm_dash_staging_frame", meta)


def _table_count(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    row = cur.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()
    return int(row[0]) if row else 0


def _batch_count(cur: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    row = cur.execute("SELECT count(*) FROM users WHERE batch_id = ?", [batch_id]).fetchone()
    return int(row[0]) if row else 0


def _insert_users(
    cur: duckdb.DuckDBPyConnection, staging: str, typed: dict[str, str], batch_id: int
) -> None:
    # A roster export updates people by id; people missing from a newer export stay (leavers
    # keep their history). Within one file the last row for an id wins. Only the columns the
    # file has are updated: a narrower export never blanks what an earlier one said.
    key = user_key_sql(typed["user_id"])
    cols = [c for c in typed if c != "is_integration"]
    select = ", ".join(f"{typed[c]} AS {c}" for c in cols)
    present = [c for c in typed if not typed[c].startswith(_ABSENT)]
    updates = ", ".join(f"{c} = excluded.{c}" for c in [*present, "batch_id"])
    cur.execute(
        f"INSERT INTO users (user_key, {', '.join(cols)}, is_integration, batch_id) "
        f"SELECT {key} AS user_key, {select}, coalesce({typed['is_integration']}, false), ? "
        f"FROM {_quote(staging)} s WHERE {typed['user_id']} IS NOT NULL "
        f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY 1) = 1 "
        f"ON CONFLICT (user_key) DO UPDATE SET {updates}",
        [batch_id],
    )
    # The version this upload gives, so that deleting it can fold the others again.
    cur.execute(
        f"INSERT INTO user_versions (batch_id, user_key, {', '.join(cols)}, is_integration) "
        f"SELECT ?, {key}, {select}, {typed['is_integration']} "
        f"FROM {_quote(staging)} s WHERE {typed['user_id']} IS NOT NULL "
        f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY 1) = 1",
        [batch_id],
    )
    cur.execute("UPDATE import_batches SET roster_columns = ? WHERE batch_id = ?",
                [json.dumps([c for c in present if c != "user_id"]), batch_id])


def _insert_usage(
    cur: duckdb.DuckDBPyConnection, staging: str, typed: dict[str, str], batch_id: int
) -> None:
    # Overlapping exports share events: an event already stored (same person, instant, action,
    # object and outcome) is skipped, so activity is never counted twice, and rows of one file
    # that are the same event count once. Only stored events in the batch's time span can
    # match, and rows can only repeat each other when they share an instant: checking both
    # first spares a fresh file in time order the dedup altogether (see _usage_span).
    #
    # Otherwise the exact comparison is kept for the few rows that can need it. Each event gets
    # a 64-bit hash of its five columns; the "candidate instants" are those of the (hash,
    # instant) pairs that occur twice among the file's rows and the stored events of the span.
    # Two equal events share hash and instant, so a row at no candidate instant is neither
    # repeated nor stored, and goes in as it is (a join on instants against a small set, no
    # second hashing). The rows at candidate instants (true repeats, stored events, their
    # neighbours in the same second, the rare hash collision) are set aside and compared
    # column by column, as before.
    first, last, may_repeat = _usage_span(cur, staging, typed["timestamp"])  # in file order
    with _any_order(cur):
        _insert_usage_rows(cur, staging, typed, batch_id, (first, last), may_repeat=may_repeat)


def _insert_usage_rows(
    cur: duckdb.DuckDBPyConnection, staging: str, typed: dict[str, str], batch_id: int,
    span: tuple[object, object], *, may_repeat: bool,
) -> None:
    """The rows of :func:`_insert_usage`, each event once, in the ``span`` of the file."""
    first, last = span
    stored = cur.execute(
        "SELECT count(*) FROM usage_events WHERE ts BETWEEN ? AND ?", [first, last]
    ).fetchone()
    overlaps = bool(stored and stored[0])
    rows = _usage_rows(cur, staging, typed)  # parameter: the batch id
    insert = ("INSERT INTO usage_events (user_key, user_id, ts, action, source_action, object,"
              " success, batch_id) ")
    if not overlaps and not may_repeat:
        cur.execute(f"{insert}SELECT n.* FROM ({rows}) n", [batch_id])
        return
    # typed alike on both sides, or equal events would hash apart
    event_hash = ("hash(CAST(n.user_key AS VARCHAR), CAST(n.ts AS TIMESTAMP),"
                  " CAST(n.action AS VARCHAR), CAST(n.object AS VARCHAR),"
                  " CAST(n.success AS BOOLEAN))")
    pairs = f"SELECT {event_hash} AS h, n.ts FROM ({rows}) n"
    params: list[object] = [batch_id]
    if overlaps:
        pairs += (f" UNION ALL SELECT {event_hash}, n.ts FROM usage_events n"
                  " WHERE n.ts BETWEEN ? AND ?")
        params += [first, last]
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {_CANDIDATE_INSTANTS} AS SELECT DISTINCT ts"
                f" FROM ({pairs}) GROUP BY h, ts HAVING count(*) > 1", params)
    found = cur.execute(f"SELECT count(*) FROM {_CANDIDATE_INSTANTS}").fetchone()
    if not (found and found[0]):
        # No row repeats another, none can equal a stored event: the file goes in as it is.
        cur.execute(f"DROP TABLE {_CANDIDATE_INSTANTS}")
        cur.execute(f"{insert}SELECT n.* FROM ({rows}) n", [batch_id])
        return
    # The candidate rows, compared exactly (before this batch's other rows are stored, so
    # that "stored already" means stored by earlier uploads), each marked once.
    stored_already = (
        "EXISTS (SELECT 1 FROM usage_events e WHERE e.ts BETWEEN ? AND ?"
        " AND e.user_key = n.user_key AND e.ts = n.ts AND e.action = n.action"
        " AND e.object IS NOT DISTINCT FROM n.object AND e.success = n.success)"
        if overlaps else "false"
    )
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE {_CANDIDATE_ROWS} AS"
        f" SELECT n.*, {stored_already} AS stored FROM ({rows}) n"
        f" SEMI JOIN {_CANDIDATE_INSTANTS} c ON c.ts = n.ts",
        [first, last, batch_id] if overlaps else [batch_id])
    # Events stored already (by another upload) are supplied by this one too: recorded, so that
    # deleting that upload leaves them in place (see remove_batch_rows).
    cur.execute(
        "INSERT INTO usage_supply (batch_id, user_key, ts, action, object, success) "
        "SELECT DISTINCT n.batch_id, n.user_key, n.ts, n.action, n.object, n.success"
        f" FROM {_CANDIDATE_ROWS} n WHERE n.stored")
    cur.execute(
        f"{insert}SELECT DISTINCT ON (n.user_key, n.ts, n.action, n.object, n.success)"
        " n.* EXCLUDE (stored)"
        f" FROM {_CANDIDATE_ROWS} n WHERE NOT n.stored")
    # The rows no other row and no stored event can equal.
    cur.execute(
        f"{insert}SELECT n.* FROM ({rows}) n ANTI JOIN {_CANDIDATE_INSTANTS} c"
        f" ON c.ts = n.ts", [batch_id])
    cur.execute(f"DROP TABLE {_CANDIDATE_ROWS}")
    cur.execute(f"DROP TABLE {_CANDIDATE_INSTANTS}")


@contextmanager
def _any_order(cur: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Statements on ``cur`` may write their rows in any order.

    By default DuckDB keeps the order of the input across its threads; for a large insert that
    leaves the row groups to be written again at the next checkpoint (about 2 s per ten
    million events, paid when the import closes the database). The events have no order of
    their own (nothing reads them by position), so the insert lets it go. Only this cursor's
    session changes, and only for the block.
    """
    row = cur.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
    before = bool(row[0]) if row else True
    cur.execute("SET SESSION preserve_insertion_order = false")
    try:
        yield
    finally:
        with suppress(duckdb.Error):  # an aborted transaction refuses it; the error is raised
            cur.execute(f"SET SESSION preserve_insertion_order = {str(before).lower()}")


def _usage_rows(cur: duckdb.DuckDBPyConnection, staging: str, typed: dict[str, str]) -> str:
    """SQL of the staged usage rows as stored (``?``: the batch id), with their ``user_key``.

    The key is computed once per distinct id and joined on, unless a rule of
    :data:`_CHEAP_KEYS` gives it for every id of the file (see :func:`cheap_user_key`).
    """
    user_id = typed["user_id"]
    source_action = typed.get("source_action", typed["action"])
    columns = (
        f"{user_id} AS user_id, {typed['timestamp']} AS ts,"
        f" coalesce(lower({typed['action']}), 'other') AS action,"
        f" {source_action} AS source_action,"
        f" {typed['object']} AS object, coalesce({typed['success']}, true) AS success,"
        f" CAST(? AS BIGINT) AS batch_id"
    )
    rule = cheap_user_key(cur, staging, user_id)
    if rule is not None:
        key = _CHEAP_KEYS[rule].replace("$id", user_id)
        return f"SELECT {key} AS user_key, {columns} FROM {_quote(staging)} s"
    return (
        f"SELECT k.user_key, u.* FROM (SELECT {columns} FROM {_quote(staging)} s) u"
        f" LEFT JOIN (SELECT d.user_id, {user_key_sql('d.user_id')} AS user_key"
        f"  FROM (SELECT DISTINCT {user_id} AS user_id FROM {_quote(staging)} s) d)"
        f" k ON k.user_id = u.user_id"
    )


#: Per-row rules that give :func:`user_key_sql` for most exports: e-mails already in lower case
#: and ids written as the key ("same"), e-mails in mixed case ("lower"), Salesforce ids in their
#: 15- and 18-character forms ("first15").
_CHEAP_KEYS = {"same": "$id", "lower": "lower($id)", "first15": "left($id, 15)"}


def cheap_user_key(cur: duckdb.DuckDBPyConnection, staging: str, user_id: str) -> str | None:
    """The rule of :data:`_CHEAP_KEYS` that gives every distinct id of ``staging`` its key, or
    ``None`` (then the key is joined on).

    :func:`user_key_sql` is a few regular expressions per value; it costs little once per
    distinct id, but the join of every row to its key costs half a second per ten million
    rows. The check runs on the distinct ids, so a rule is taken only where it is exact.
    ``user_id`` is the SQL of the id over the alias ``s``.
    """
    checks = ", ".join(f"bool_and({user_key_sql('d.user_id')} = {rule.replace('$id', 'd.user_id')})"
                       for rule in _CHEAP_KEYS.values())
    found = cur.execute(
        f"SELECT {checks} FROM (SELECT DISTINCT {user_id} AS user_id FROM {_quote(staging)} s) d"
    ).fetchone()
    assert found is not None  # an aggregate: one row
    return next((name for name, exact in zip(_CHEAP_KEYS, found, strict=True)
                 if exact is not False), None)


_CANDIDATE_INSTANTS = "crm_dash_usage_candidate_instants"
_CANDIDATE_ROWS = "crm_dash_usage_candidate_rows"


def _usage_span(
    cur: duckdb.DuckDBPyConnection, staging: str, ts_sql: str
) -> tuple[object, object, bool]:
    """``(first, last, whether two rows may share an instant)`` of the events in ``staging``.

    Logs are mostly written in time order. Along the rows in the order the scan delivers them
    (``lag`` over the whole relation: each row but the first has exactly one predecessor, a
    single chain), instants that only ever rise, or only ever fall, are all distinct; that check
    streams and costs next to nothing. When it fails (a shared instant, an unordered file), rows
    may repeat: whether any does is found by the candidates' hash count (see _insert_usage),
    which the dedup needs anyway, rather than by counting the distinct instants first.
    """
    row = cur.execute(
        f"SELECT min(ts), max(ts), count(*), count(*) FILTER (WHERE ts > prev),"
        f" count(*) FILTER (WHERE ts < prev)"
        f" FROM (SELECT {ts_sql} AS ts, lag({ts_sql}) OVER () AS prev FROM {_quote(staging)} s)"
    ).fetchone()
    assert row is not None
    first, last, rows, rising, falling = row
    return first, last, not (rows <= 1 or rising == rows - 1 or falling == rows - 1)


def _insert_pipeline(
    cur: duckdb.DuckDBPyConnection, staging: str, typed: dict[str, str], batch_id: int
) -> None:
    # Each pipeline export is a snapshot; the `opportunities` view shows the latest one.
    cols = list(typed)
    cur.execute(
        f"INSERT INTO opportunity_snapshots ({', '.join(cols)}, owner_key, batch_id) "
        f"SELECT DISTINCT ON ({typed['opportunity_id']}) "
        f"{', '.join(typed[c] for c in cols)}, {user_key_sql(typed['owner'])}, ? "
        f"FROM {_quote(staging)} s",
        [batch_id],
    )


def _insert_training(
    cur: duckdb.DuckDBPyConnection, staging: str, typed: dict[str, str], batch_id: int
) -> None:
    # LMS exports overlap too: the same person, course, date and status is stored once; a
    # record stored already is recorded as supplied by this upload as well.
    cur.execute(
        f"INSERT INTO training_supply (batch_id, user_key, course, date, status) "
        f"SELECT DISTINCT CAST(? AS BIGINT), n.* FROM ("
        f"  SELECT {user_key_sql(typed['user'])} AS user_key, {typed['course']} AS course,"
        f"  {typed['date']} AS date, {typed['status']} AS status FROM {_quote(staging)} s) n "
        f"WHERE EXISTS (SELECT 1 FROM training_records t WHERE t.user_key = n.user_key"
        f" AND t.course = n.course AND t.date = n.date"
        f" AND t.status IS NOT DISTINCT FROM n.status)",
        [batch_id],
    )
    cur.execute(
        f"INSERT INTO training_records (user_ref, user_key, course, date, kind, status, score,"
        f" batch_id) "
        f"SELECT n.* FROM ("
        f"  SELECT {typed['user']} AS user_ref, {user_key_sql(typed['user'])} AS user_key,"
        f"  {typed['course']} AS course, {typed['date']} AS date, {typed['kind']} AS kind,"
        f"  {typed['status']} AS status, CAST({typed['score']} AS DOUBLE) AS score,"
        f"  CAST(? AS BIGINT) AS batch_id FROM {_quote(staging)} s) n "
        f"WHERE NOT EXISTS (SELECT 1 FROM training_records t WHERE t.user_key = n.user_key"
        f" AND t.course = n.course AND t.date = n.date"
        f" AND t.status IS NOT DISTINCT FROM n.status) "
        f"QUALIFY row_number() OVER (PARTITION BY n.user_key, n.course, n.date, n.status) = 1",
        [batch_id],
    )


_INSERTS = {
    DatasetKind.USERS: _insert_users,
    DatasetKind.USAGE: _insert_usage,
    DatasetKind.PIPELINE: _insert_pipeline,
    DatasetKind.TRAINING: _insert_training,
}


# ---- removing an upload ---------------------------------------------------------------------

#: The columns that make two rows the same row, for the datasets that skip stored rows.
_SAME_ROW: dict[DatasetKind, tuple[str, tuple[str, ...]]] = {
    DatasetKind.USAGE: ("usage_supply", ("user_key", "ts", "action", "object", "success")),
    DatasetKind.TRAINING: ("training_supply", ("user_key", "course", "date", "status")),
}
#: The roster's columns as the versions keep them, folded in upload order.
_ROSTER_COLUMNS = ("user_id", "name", "email", "department", "team", "role", "manager_id",
                   "license_type", "license_cost_monthly", "start_date", "end_date",
                   "is_integration")


def _same(keys: tuple[str, ...], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{k} IS NOT DISTINCT FROM {right}.{k}" for k in keys)


def exclusive_rows(cur: duckdb.DuckDBPyConnection, kind: DatasetKind, batch_id: int) -> int:
    """How many stored rows only ``batch_id`` supplied: what deleting it removes."""
    table = DATASETS[kind].table
    if kind in _SAME_ROW:
        supply, keys = _SAME_ROW[kind]
        sql = (f"SELECT count(*) FROM {table} e WHERE e.batch_id = ? AND NOT EXISTS ("
               f"SELECT 1 FROM {supply} s WHERE s.batch_id <> ? AND {_same(keys, 's', 'e')})")
        row = cur.execute(sql, [batch_id, batch_id]).fetchone()
    elif kind == DatasetKind.USERS:  # people no other roster upload lists
        row = cur.execute(
            "SELECT count(DISTINCT user_key) FROM user_versions v WHERE batch_id = ? AND NOT"
            " EXISTS (SELECT 1 FROM user_versions o WHERE o.user_key = v.user_key"
            " AND o.batch_id <> v.batch_id)", [batch_id]).fetchone()
    else:
        row = cur.execute(f"SELECT count(*) FROM {table} WHERE batch_id = ?",
                          [batch_id]).fetchone()
    return int(row[0]) if row else 0


def remove_batch_rows(cur: duckdb.DuckDBPyConnection, kind: DatasetKind, batch_id: int) -> None:
    """Remove what upload ``batch_id`` brought, and nothing another upload also supplied.

    Must run inside a transaction on ``cur``. Events and training records another upload
    supplied too (skipped there as already stored) pass to the earliest such upload. A roster
    upload's people are not removed: ``users`` is folded again from the remaining roster
    versions, so people return to their state in the previous roster, and only people no other
    roster lists leave. Pipeline snapshots are per upload: the previous snapshot shows again.
    Afterwards the stored rows equal those of importing the remaining uploads afresh, in order.
    """
    table = DATASETS[kind].table
    if kind in _SAME_ROW:
        supply, keys = _SAME_ROW[kind]
        cur.execute(
            f"UPDATE {table} e SET batch_id = s.owner FROM ("
            f" SELECT {', '.join(keys)}, min(batch_id) AS owner FROM {supply}"
            f" WHERE batch_id <> ? GROUP BY ALL) s "
            f"WHERE e.batch_id = ? AND {_same(keys, 'e', 's')}",
            [batch_id, batch_id],
        )
        cur.execute(f"DELETE FROM {supply} WHERE batch_id = ?", [batch_id])
        # A supplier that now holds the row is no longer a second supplier of it.
        cur.execute(
            f"DELETE FROM {supply} s WHERE EXISTS (SELECT 1 FROM {table} e"
            f" WHERE e.batch_id = s.batch_id AND {_same(keys, 'e', 's')})"
        )
    cur.execute(f"DELETE FROM {table} WHERE batch_id = ?", [batch_id])
    if kind == DatasetKind.USERS:
        cur.execute("DELETE FROM user_versions WHERE batch_id = ?", [batch_id])
        _fold_roster(cur, exclude=batch_id)


def _fold_roster(cur: duckdb.DuckDBPyConnection, exclude: int) -> None:
    """Rebuild ``users`` from the roster versions of every upload but ``exclude``: per person
    and column the value of the latest upload that had the column (as each import updated it),
    then the integration flags set by hand."""
    batches = cur.execute(
        "SELECT batch_id, roster_columns FROM import_batches WHERE kind = 'users'"
        " AND batch_id <> ?", [exclude]).fetchall()
    having: dict[str, list[int]] = {c: [] for c in _ROSTER_COLUMNS}
    for batch, raw in batches:
        columns = set(json.loads(raw)) | {"user_id"} if raw else set(_ROSTER_COLUMNS)
        for column in columns & set(having):
            having[column].append(int(batch))
    # A file without the flag column loads people as no integration account (the import's
    # coalesce); the flags set by hand are applied after the fold.
    given = {c: f"v.{c}" for c in _ROSTER_COLUMNS}
    given["is_integration"] = "coalesce(v.is_integration, false)"
    values = [f"arg_max_null({given[c]}, v.batch_id) FILTER (WHERE list_contains(?, v.batch_id))"
              for c in _ROSTER_COLUMNS]
    values[-1] = f"coalesce({values[-1]}, false)"
    cur.execute("DELETE FROM users")
    cur.execute(
        f"INSERT INTO users (user_key, {', '.join(_ROSTER_COLUMNS)}, batch_id) "
        f"SELECT v.user_key, {', '.join(values)}, max(v.batch_id) "
        f"FROM user_versions v GROUP BY v.user_key",
        [having[c] for c in _ROSTER_COLUMNS],
    )
    cur.execute(
        "UPDATE users SET is_integration = o.is_integration FROM integration_overrides o"
        " WHERE users.user_key = o.user_key"
    )
