"""The audit log: who did what, when. Written inside the transaction of the change it records."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd


def log_event(
    cur: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Record one event, e.g. ``log_event(cur, "anna", "login")``."""
    cur.execute(
        "INSERT INTO audit_log (actor, action, target, details) VALUES (?, ?, ?, ?)",
        [actor, action, target, json.dumps(details, ensure_ascii=False, default=str)
         if details else None],
    )


def audit_events(
    conn: duckdb.DuckDBPyConnection,
    *,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 500,
) -> pd.DataFrame:
    """The latest events, newest first, optionally for one actor or one action."""
    return conn.cursor().execute(
        "SELECT logged_at, actor, action, target, details FROM audit_log"
        " WHERE (? IS NULL OR actor = ?) AND (? IS NULL OR action = ?)"
        " ORDER BY id DESC LIMIT ?",
        [actor, actor, action, action, limit],
    ).df()


def audit_actions(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Distinct actions on record (for filters)."""
    rows = conn.cursor().execute("SELECT DISTINCT action FROM audit_log ORDER BY 1").fetchall()
    return [str(r[0]) for r in rows]
