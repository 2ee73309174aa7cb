"""Where things are: the database file and other settings that come from the environment.

Every setting is an environment variable, documented in the README (a test checks that).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from crm_dash.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Environment variables crm-dash reads, with their meaning (the README documents each).
ENV_VARS: dict[str, str] = {
    "CRM_DASH_DB": "Path of the DuckDB file (default data/crm.duckdb).",
    "CRM_DASH_COOKIE_KEY": "Secret that signs login cookies (default: generated per installation).",
    "CRM_DASH_SESSION_HOURS": "How long a login is remembered in the browser (default 8).",
}

DEFAULT_DB_PATH = Path("data") / "crm.duckdb"


def db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The database file: ``--db`` wins over ``CRM_DASH_DB``, which wins over the default."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("CRM_DASH_DB")
    if env:
        return Path(env)
    return DEFAULT_DB_PATH


def existing_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """:func:`db_path`, for commands that read data: a missing file is a clear error."""
    path = db_path(cli_value)
    if not path.exists():
        raise ConfigError(f"No database at {path}. Run `crm-dash demo` or import data first.")
    return path


DEFAULT_SESSION_HOURS = 8.0


def session_hours() -> float:
    """How long a login is remembered in the browser (``CRM_DASH_SESSION_HOURS``, default 8)."""
    raw = os.environ.get("CRM_DASH_SESSION_HOURS")
    if not raw:
        return DEFAULT_SESSION_HOURS
    try:
        hours = float(raw)
    except ValueError:
        raise ConfigError(f"CRM_DASH_SESSION_HOURS must be a number, not {raw!r}.") from None
    if not 0 < hours <= 24 * 30:
        raise ConfigError("CRM_DASH_SESSION_HOURS must be between 0 and 720 hours.")
    return hours


def cookie_key(database: Path) -> str:
    """The secret signing login cookies: ``CRM_DASH_COOKIE_KEY``, else a per-installation key.

    The generated key lives in ``.cookie_key`` beside the database (git-ignored), readable only
    by its owner, so that no two installations share a key and none ships in git.
    """
    env = os.environ.get("CRM_DASH_COOKIE_KEY")
    if env:
        if len(env) < 32:
            raise ConfigError("CRM_DASH_COOKIE_KEY must be at least 32 characters long.")
        return env
    path = database.parent / ".cookie_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it a moment ago
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
