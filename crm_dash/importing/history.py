"""The import history: every batch, deleting one batch, and integration accounts set by hand."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from crm_dash.audit import log_event
from crm_dash.datasets import DatasetKind
from crm_dash.db import transaction
from crm_dash.errors import CrmDashError
from crm_dash.locks import import_lock
from crm_dash.store import exclusive_rows, remove_batch_rows


def import_batches(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every batch, newest first: id, file, dataset, preset, source, who, when, row counts."""
    return conn.cursor().execute(
        "SELECT batch_id, file_name, kind, preset, source, imported_by, imported_at, rows_read,"
        " rows_loaded, rows_rejected, duplicates_skipped FROM import_batches"
        " ORDER BY batch_id DESC"
    ).df()


@dataclass(frozen=True)
class BatchRows:
    """How many rows a batch holds now (what deleting it removes)."""

    batch_id: int
    kind: DatasetKind
    file_name: str
    rows: int


def batch_rows(conn: duckdb.DuckDBPyConnection, batch_id: int) -> BatchRows:
    """The rows only this batch supplied (what deleting it removes): rows another upload also
    supplied stay, and so do people another roster lists."""
    cur = conn.cursor()
    row = cur.execute(
        "SELECT kind, file_name FROM import_batches WHERE batch_id = ?", [batch_id]
    ).fetchone()
    if row is None:
        raise CrmDashError.says("error.history.no_upload", title_key="imports.title",
                                batch=str(batch_id))
    kind = DatasetKind(row[0])
    return BatchRows(batch_id=batch_id, kind=kind, file_name=str(row[1]),
                     rows=exclusive_rows(cur, kind, batch_id))


def delete_batch(conn: duckdb.DuckDBPyConnection, batch_id: int, actor: str) -> BatchRows:
    """Remove a batch and what only it supplied, in one transaction, with an audit event.

    Runs under the database's import lock, so that no Load sees half of it (see
    :func:`crm_dash.store.remove_batch_rows` for what stays)."""
    with import_lock(conn):
        before = batch_rows(conn, batch_id)
        with transaction(conn) as cur:
            remove_batch_rows(cur, before.kind, batch_id)
            cur.execute("DELETE FROM import_batches WHERE batch_id = ?", [batch_id])
            log_event(cur, actor, "delete_batch", str(batch_id), {
                "file": before.file_name, "kind": before.kind.value,
                "rows_removed": before.rows,
            })
    return before


def roster_people(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The roster for flagging integration accounts: key, name, e-mail, flag, set by hand."""
    return conn.cursor().execute(
        "SELECT u.user_key, coalesce(u.name, u.user_id) AS name, u.email, u.is_integration,"
        " o.is_integration IS NOT NULL AS by_hand FROM users u"
        " LEFT JOIN integration_overrides o USING (user_key) ORDER BY name"
    ).df()


def confirm_integrations(
    conn: duckdb.DuckDBPyConnection, user_keys: set[str], actor: str
) -> int:
    """Confirm recognised integration accounts: each becomes a decision by hand (audited), so a
    later roster that says otherwise does not undo it. Returns how many were confirmed."""
    current = {str(k) for (k,) in conn.cursor().execute(
        "SELECT user_key FROM users WHERE is_integration").fetchall()}
    wanted = user_keys & current
    if not wanted:
        return 0
    with transaction(conn) as cur:
        for key in sorted(wanted):
            cur.execute(
                "INSERT INTO integration_overrides (user_key, is_integration, set_by)"
                " VALUES (?, true, ?) ON CONFLICT (user_key) DO NOTHING", [key, actor])
        log_event(cur, actor, "flag_integration", None, {"integration": sorted(wanted),
                                                         "person": []})
    return len(wanted)


def set_integration_accounts(
    conn: duckdb.DuckDBPyConnection, user_keys: set[str], actor: str
) -> int:
    """Make exactly ``user_keys`` the integration accounts; returns how many people changed.

    Each change is remembered as a decision by hand, so a later roster upload keeps it.
    """
    with transaction(conn) as cur:
        current = dict(cur.execute("SELECT user_key, is_integration FROM users").fetchall())
        unknown = user_keys - current.keys()
        if unknown:
            raise CrmDashError.says("error.integration.not_in_roster",
                                    title_key="error.title.integration_accounts",
                                    keys=", ".join(sorted(unknown)))
        changes = {key: key in user_keys for key, flag in current.items()
                   if flag != (key in user_keys)}
        for key, flag in changes.items():
            cur.execute(
                "INSERT INTO integration_overrides (user_key, is_integration, set_by)"
                " VALUES (?, ?, ?) ON CONFLICT (user_key) DO UPDATE SET"
                " is_integration = excluded.is_integration, set_by = excluded.set_by,"
                " set_at = excluded.set_at",
                [key, flag, actor],
            )
            cur.execute("UPDATE users SET is_integration = ? WHERE user_key = ?", [flag, key])
        if changes:
            log_event(cur, actor, "flag_integration", None, {
                "integration": sorted(k for k, f in changes.items() if f),
                "person": sorted(k for k, f in changes.items() if not f),
            })
    return len(changes)

