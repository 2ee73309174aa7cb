"""The per-person-per-month activity table every adoption metric reads, and when to rebuild it.

Ten million events are reduced once to one row per person and month in the analysis time zone
(``activity_months``, migration 004): active days, successful events per action, distinct objects.
The table is rebuilt whenever the usage data or the time zone changes; a cheap fingerprint of the
usage batches tells. Uploads and deleted batches both change it, so the table can never be out of
date when a metric reads it. When the only change is new uploads, only the months their events
fall in are computed again (a month's row depends on that month's events alone); a deleted upload
or another time zone rebuilds everything. Which actions count as writes, the thresholds and
integration flags are applied when reading, so changing them needs no rebuild.
"""

from __future__ import annotations

import threading
import time
from datetime import date

import duckdb

from crm_dash.db import transaction
from crm_dash.metrics.definitions import load_definition

# Rebuilds within one process (the app's sessions share a connection) must not interleave.
_REBUILD_LOCK = threading.Lock()

_USAGE_VERSION_SQL = """
SELECT (SELECT count(*) || ':' || coalesce(max(batch_id), 0) || ':' || coalesce(sum(batch_id), 0)
        FROM import_batches WHERE kind = 'usage')
       || '/' || (SELECT count(*) FROM usage_events)
"""

_DATA_VERSION_SQL = """
SELECT (SELECT count(*) || ':' || coalesce(max(batch_id), 0) || ':' || coalesce(sum(batch_id), 0)
        FROM import_batches)
       || '/' || (SELECT count(*) FROM usage_events)
       || '/' || (SELECT count(*) || ':' || count(*) FILTER (WHERE is_integration) FROM users)
       || '/' || (SELECT count(*) || ':' || coalesce(CAST(max(set_at) AS VARCHAR), '')
                  FROM integration_overrides)
       || '/' || (SELECT coalesce(max(version), 0) FROM setting_versions)
"""

# One pass over the successful events: local calendar day, then per person and month.
_REBUILD_SQL = """
INSERT INTO activity_months
SELECT user_key,
       CAST(date_trunc('month', day) AS DATE) AS month,
       count(DISTINCT day) AS active_days,
       count(*) AS events,
       count(*) FILTER (WHERE action = 'login'),
       count(*) FILTER (WHERE action = 'view'),
       count(*) FILTER (WHERE action = 'create'),
       count(*) FILTER (WHERE action = 'update'),
       count(*) FILTER (WHERE action = 'delete'),
       count(*) FILTER (WHERE action = 'export'),
       count(*) FILTER (WHERE action = 'other'),
       count(DISTINCT lower(object)) AS objects,
       min(day) AS first_day,
       max(day) AS last_day
FROM (
    SELECT user_key, action, object,
           CAST(timezone(?, CAST(ts AS TIMESTAMPTZ)) AS DATE) AS day
    FROM usage_events
    WHERE success {events}
)
{months}
GROUP BY ALL
"""
# The local months the events of the batches after a given id fall in.
_NEW_MONTHS_SQL = """
SELECT CAST(date_trunc('month', CAST(timezone(?, CAST(min(ts) AS TIMESTAMPTZ)) AS DATE)) AS DATE),
       CAST(date_trunc('month', CAST(timezone(?, CAST(max(ts) AS TIMESTAMPTZ)) AS DATE)) AS DATE)
FROM usage_events WHERE batch_id > ?
"""


def usage_version(conn: duckdb.DuckDBPyConnection) -> str:
    """A cheap fingerprint of the usage data: changes with every upload or deleted batch."""
    row = conn.cursor().execute(_USAGE_VERSION_SQL).fetchone()
    assert row is not None
    return str(row[0])


def data_version(conn: duckdb.DuckDBPyConnection) -> str:
    """A cheap fingerprint of everything the metrics read: batches, flags, settings.

    Caches key on it, so a new upload, a deleted batch, an integration flag or a new setting
    version makes every page compute afresh.
    """
    row = conn.cursor().execute(_DATA_VERSION_SQL).fetchone()
    assert row is not None
    return str(row[0])


def _fingerprint(conn: duckdb.DuckDBPyConnection, time_zone: str) -> str:
    return f"{usage_version(conn)}@{time_zone}"


def _stored_fingerprint(conn: duckdb.DuckDBPyConnection) -> str | None:
    row = conn.cursor().execute("SELECT fingerprint FROM activity_state WHERE id = 1").fetchone()
    return None if row is None else str(row[0])


def refresh_activity(
    conn: duckdb.DuckDBPyConnection, time_zone: str, *, force: bool = False
) -> bool:
    """Rebuild ``activity_months`` if the usage data or the time zone changed; True if rebuilt."""
    if not force and _stored_fingerprint(conn) == _fingerprint(conn, time_zone):
        return False
    with _REBUILD_LOCK:
        fingerprint, stored = _fingerprint(conn, time_zone), _stored_fingerprint(conn)
        if not force and stored == fingerprint:
            return False  # another session rebuilt it while this one waited
        started = time.perf_counter()
        after = None if force else _only_added_after(conn, stored, fingerprint)
        with transaction(conn) as cur:
            cur.execute("SET enable_progress_bar = false")  # keeps the CLI's stdout clean
            span = None if after is None else cur.execute(
                _NEW_MONTHS_SQL, [time_zone, time_zone, after]).fetchone()
            if span is not None and span[0] is None:
                pass  # the new uploads brought no event (all stored already): nothing changes
            elif span is not None:
                first, last = span
                cur.execute("DELETE FROM activity_months WHERE month BETWEEN ? AND ?",
                            [first, last])
                # UTC instants a day around the local months, then the local months exactly
                cur.execute(
                    _REBUILD_SQL.format(
                        events="AND ts BETWEEN CAST(? AS TIMESTAMP) - INTERVAL 1 DAY"
                               " AND CAST(? AS TIMESTAMP) + INTERVAL 32 DAY",
                        months="WHERE CAST(date_trunc('month', day) AS DATE) BETWEEN ? AND ?"),
                    [time_zone, first, last, first, last])
            else:
                cur.execute("DELETE FROM activity_months")
                cur.execute(_REBUILD_SQL.format(events="", months=""), [time_zone])
            count_row = cur.execute("SELECT count(*) FROM activity_months").fetchone()
            assert count_row is not None
            cur.execute(
                "INSERT INTO activity_state (id, fingerprint, row_count, seconds)"
                " VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " fingerprint = excluded.fingerprint, row_count = excluded.row_count,"
                " seconds = excluded.seconds,"
                " refreshed_at = excluded.refreshed_at",
                [fingerprint, int(count_row[0]), time.perf_counter() - started],
            )
    return True


def _only_added_after(
    conn: duckdb.DuckDBPyConnection, stored: str | None, current: str
) -> int | None:
    """The highest usage batch id the stored table was built from, when the only change since
    then is usage batches added after it (same time zone, none deleted); else ``None``.

    Fingerprints read ``batches:max id:sum of ids/events@time zone``. Added batches only means:
    the batches after the old highest id account for the whole growth in count, id sum and
    events. A deletion lowers the count, so it never passes for an addition.
    """
    try:
        old_usage, old_zone = (stored or "").rsplit("@", 1)
        new_usage, new_zone = current.rsplit("@", 1)
        old_batches, old_events = old_usage.split("/")
        old_count, old_max, old_sum = (int(x) for x in old_batches.split(":"))
        new_batches, new_events = new_usage.split("/")
        new_count, _, new_sum = (int(x) for x in new_batches.split(":"))
    except ValueError:
        return None
    if old_zone != new_zone or old_count == 0:
        return None
    row = conn.cursor().execute(
        "SELECT count(*), coalesce(sum(batch_id), 0),"
        " (SELECT count(*) FROM usage_events WHERE batch_id > ?)"
        " FROM import_batches WHERE kind = 'usage' AND batch_id > ?", [old_max, old_max]
    ).fetchone()
    if row is None:
        return None
    added, added_sum, added_events = (int(x) for x in row)
    if (added, added_sum, added_events) != (new_count - old_count, new_sum - old_sum,
                                            int(new_events) - int(old_events)):
        return None
    return old_max


def prepare_activity(conn: duckdb.DuckDBPyConnection) -> bool:
    """Bring the activity table up to date right after the usage data changed (an import, a
    deleted batch), so the first page view afterwards does not pay for the rebuild."""
    return refresh_activity(conn, load_definition(conn).definition.time_zone)


def activity_span(conn: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """First and last local day with a successful event (from the activity table)."""
    row = conn.cursor().execute(
        "SELECT min(first_day), max(last_day) FROM activity_months"
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return row[0], row[1]
