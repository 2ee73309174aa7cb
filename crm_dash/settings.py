"""Versioned settings: every change is a new version (who, when, old, new); the latest wins.

Each setting is declared here with its default, so the pages can say which definition the numbers
use and the history of definitions stays visible.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from crm_dash.audit import log_event
from crm_dash.db import transaction
from crm_dash.errors import ConfigError

#: Known settings and their defaults.
DEFAULTS: dict[str, Any] = {
    "privacy.pseudonymise": False,
    # The smallest group executives see as its own aggregate (crm_dash.audience; at least 5).
    "privacy.min_group_size": 5,
    # The adoption definition (crm_dash.metrics.definitions.AdoptionDefinition validates them).
    "adoption.productive_min_active_days": 8,
    "adoption.productive_min_writes": 5,
    "adoption.sporadic_min_active_days": 2,
    "adoption.grace_days": 30,
    "adoption.time_zone": "Europe/Berlin",
    "adoption.write_actions": ["create", "update"],
    "adoption.integration_patterns": [],
    # Custom stage labels -> "open" | "won" | "lost" (crm_dash.metrics.pipeline.outcomes).
    "pipeline.stage_outcomes": {},
    # Which months the usage data covers completely (crm_dash.metrics.coverage): the holiday
    # calendar of "working days" ("DE" or "none"), a lead's "data complete up to" month
    # ("YYYY-MM"; "" = decided by the data), and leads' answers {"YYYY-MM": true | false}.
    "coverage.holidays": "DE",
    "coverage.complete_until": "",
    "coverage.answers": {},
}


@dataclass(frozen=True)
class SettingChange:
    """One version of a setting."""

    version: int
    key: str
    value: Any
    changed_by: str
    changed_at: datetime


def get_setting(conn: duckdb.DuckDBPyConnection, key: str) -> Any:
    """The current value of ``key`` (its default until someone changes it)."""
    if key not in DEFAULTS:
        raise ConfigError.says("error.setting.unknown", setting=key)
    row = conn.cursor().execute(
        "SELECT value FROM setting_versions WHERE key = ? ORDER BY version DESC LIMIT 1", [key]
    ).fetchone()
    return DEFAULTS[key] if row is None else json.loads(str(row[0]))


def set_setting(conn: duckdb.DuckDBPyConnection, key: str, value: Any, *, actor: str) -> bool:
    """Store a new version of ``key`` (and audit it); False when the value did not change."""
    old = get_setting(conn, key)
    if old == value:
        return False
    if type(value) is not type(DEFAULTS[key]):
        raise ConfigError.says("error.setting.wrong_type", setting=key,
                               type=type(DEFAULTS[key]).__name__, value=repr(value))
    with transaction(conn) as cur:
        cur.execute(
            "INSERT INTO setting_versions (key, value, changed_by) VALUES (?, ?, ?)",
            [key, json.dumps(value), actor],
        )
        log_event(cur, actor, "setting_change", key, {"old": old, "new": value})
    return True


def set_settings(
    conn: duckdb.DuckDBPyConnection, values: dict[str, Any], *, actor: str
) -> list[str]:
    """Store new versions of several settings in one transaction; returns the keys that changed.

    Either every change is stored (each as its own version, audited) or none is.
    """
    changed: dict[str, tuple[Any, Any]] = {}
    for key, value in values.items():
        old = get_setting(conn, key)
        if old == value:
            continue
        if type(value) is not type(DEFAULTS[key]):
            raise ConfigError.says("error.setting.wrong_type", setting=key,
                                   type=type(DEFAULTS[key]).__name__, value=repr(value))
        changed[key] = (old, value)
    if changed:
        with transaction(conn) as cur:
            for key, (old, value) in changed.items():
                cur.execute(
                    "INSERT INTO setting_versions (key, value, changed_by) VALUES (?, ?, ?)",
                    [key, json.dumps(value), actor],
                )
                log_event(cur, actor, "setting_change", key, {"old": old, "new": value})
    return list(changed)


def setting_history(conn: duckdb.DuckDBPyConnection, key: str) -> list[SettingChange]:
    """Every version of ``key``, newest first."""
    rows = conn.cursor().execute(
        "SELECT version, key, value, changed_by, changed_at FROM setting_versions"
        " WHERE key = ? ORDER BY version DESC",
        [key],
    ).fetchall()
    return [
        SettingChange(int(v), str(k), json.loads(str(val)), str(by), at)
        for v, k, val, by, at in rows
    ]
