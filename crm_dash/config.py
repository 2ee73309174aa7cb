"""Where things are: the database file and other settings that come from the environment.

Every setting is an environment variable, documented in docs/configuration.md (a test checks
that).
"""

from __future__ import annotations

import os
import secrets
import shlex
import stat
import time
from pathlib import Path

from crm_dash.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Environment variables crm-dash reads, with their meaning (docs/configuration.md documents each).
ENV_VARS: dict[str, str] = {
    "CRM_DASH_DB": "Path of the DuckDB file (default data/crm.duckdb).",
    "CRM_DASH_COOKIE_KEY": "Secret keying the stored hashes of login cookies (default: generated "
    "per installation).",
    "CRM_DASH_SESSION_HOURS": "How long a login lasts at most, from the login (default 8).",
    "CRM_DASH_MEMORY_MB": "Memory DuckDB may hold before it spills to the folder beside the "
    "database (default 640).",
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
        raise ConfigError.says("error.config.no_database", path=str(path))
    return path


DEFAULT_SESSION_HOURS = 8.0


def session_hours() -> float:
    """How long a login lasts at most, counted from the login (``CRM_DASH_SESSION_HOURS``,
    default 8); the server's cap for every session (crm_dash.sessions)."""
    raw = os.environ.get("CRM_DASH_SESSION_HOURS")
    if not raw:
        return DEFAULT_SESSION_HOURS
    try:
        hours = float(raw)
    except ValueError:
        raise ConfigError.says("error.config.session_hours_number", value=raw) from None
    if not 0 < hours <= 24 * 30:
        raise ConfigError.says("error.config.session_hours_range", max=24 * 30)
    return hours


#: DuckDB's memory limit in MB. With Python, Streamlit and the CSV reader's buffers on top,
#: a 10-million-row import stays under 1 GB of resident memory (docs/performance.md).
DEFAULT_MEMORY_MB = 640


def memory_mb() -> int:
    """How much memory DuckDB may hold, in MB (``CRM_DASH_MEMORY_MB``, default 640); beyond it
    joins, aggregates and temp tables spill to ``<db>.tmp`` instead of growing."""
    raw = os.environ.get("CRM_DASH_MEMORY_MB")
    if not raw:
        return DEFAULT_MEMORY_MB
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError.says("error.config.memory_number", value=raw) from None
    if value < 128:
        raise ConfigError.says("error.config.memory_min", min=128)
    return value


MIN_COOKIE_KEY_CHARS = 32
_KEY_FILE_WAIT_SECONDS = 2.0


def cookie_key(database: Path) -> str:
    """The secret keying the stored hashes of login cookies and grants (crm_dash.sessions):
    ``CRM_DASH_COOKIE_KEY``, else a per-installation key.

    The generated key lives in ``.cookie_key`` beside the database (git-ignored), readable only
    by its owner, so that no two installations share a key and none ships in git. An existing
    key file is checked, never silently replaced: a key shorter than 32 characters, or (on
    POSIX) a file other users may access, is a :class:`ConfigError` saying what to do.
    """
    env = os.environ.get("CRM_DASH_COOKIE_KEY")
    if env:
        if len(env) < MIN_COOKIE_KEY_CHARS:
            raise ConfigError.says("error.config.cookie_key_short", min=MIN_COOKIE_KEY_CHARS)
        return env
    path = database.parent / ".cookie_key"
    if path.exists():
        return _read_key_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it a moment ago
        return _read_key_file(path, wait=True)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def _read_key_file(path: Path, *, wait: bool = False) -> str:
    """The key in an existing ``.cookie_key``, after checking its length and permissions.

    With ``wait``, give a process that has just created the file a moment to write the key.
    """
    deadline = time.monotonic() + (_KEY_FILE_WAIT_SECONDS if wait else 0.0)
    while True:
        try:
            key = path.read_text(encoding="ascii").strip()
        except UnicodeDecodeError:
            key = ""
        if len(key) >= MIN_COOKIE_KEY_CHARS or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    if len(key) < MIN_COOKIE_KEY_CHARS:
        raise ConfigError.says("error.config.cookie_file_short", path=str(path),
                               found=len(key), min=MIN_COOKIE_KEY_CHARS,
                               quoted=shlex.quote(str(path)))
    if os.name == "posix":  # Windows has no such mode bits; its ACLs are not checked here
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise ConfigError.says("error.config.cookie_file_open", path=str(path),
                                   mode=f"{mode:04o}", quoted=shlex.quote(str(path)))
    return key
