"""The DuckDB store: opening the file, applying numbered migrations, transactions.

One connection per process (the UI caches it, the CLI opens it once); every unit of work takes its
own ``cursor()`` and materialises its result before the cursor is dropped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb

from crm_dash import config
from crm_dash.errors import DatabaseBusy, DatabaseError

_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered schema change shipped in ``crm_dash/sql``."""

    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """All shipped migrations, in the order they are applied."""
    found: list[Migration] = []
    for entry in resources.files("crm_dash.sql").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise DatabaseError.says("error.database.migration_numbers",
                                 numbers=", ".join(str(v) for v in versions))
    return found


def applied_versions(conn: duckdb.DuckDBPyConnection) -> list[int]:
    """Versions recorded in ``schema_migrations``."""
    cur = conn.cursor()
    rows = cur.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    return [int(r[0]) for r in rows]


def migrate(conn: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations the database has not seen yet, each in its own transaction.

    Returns the versions applied now.
    """
    cur = conn.cursor()
    cur.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT CAST(current_timestamp AS TIMESTAMP))"
    )
    done = set(applied_versions(conn))
    applied: list[int] = []
    for migration in migrations():
        if migration.version in done:
            continue
        with transaction(conn) as tx:
            tx.execute(migration.sql)
            tx.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                [migration.version, migration.name],
            )
        applied.append(migration.version)
    return applied


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (or create) the database file and bring its schema up to date.

    The session time zone is UTC: every stored timestamp is UTC, and conversion to the time
    zone of the analysis happens in the metric queries.
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
        _private_umask()
    try:
        conn = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseBusy.says("error.database.busy", path=str(path)) from exc
        raise DatabaseError.says("error.database.cannot_open",
                                 title_key="error.title.database_unavailable",
                                 path=str(path), detail=str(exc)) from exc
    conn.execute("SET TimeZone = 'UTC'")
    if not read_only:
        make_private(path)
        conn.execute("SET temp_directory = ?", [str(spill_directory(path).resolve())])
        conn.execute("SET memory_limit = ?", [f"{config.memory_mb()}MB"])
        migrate(conn)
    return conn


#: Modes of what holds the data: password hashes, the pseudonym key and personal data.
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def spill_directory(path: Path) -> Path:
    """The folder where DuckDB spills what does not fit in memory: ``<db>.tmp`` beside it."""
    return path.with_name(path.name + ".tmp")


def make_private(path: Path) -> None:
    """Only the owner may read the database, its WAL and its spill folder (whatever the umask).

    The spill folder is created here, 0700, before DuckDB would create it with the umask's mode.
    """
    for file in (path, path.with_name(path.name + ".wal")):
        if file.exists():
            file.chmod(PRIVATE_FILE)
    spill = spill_directory(path)
    spill.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    spill.chmod(PRIVATE_FOLDER)


def _private_umask() -> None:
    """Files this process creates from now on are its user's alone.

    DuckDB deletes the WAL at every checkpoint and creates it again at the next write with the
    process's umask, so a chmod after the fact cannot keep it private; the umask can. It is
    process-wide: everything crm-dash writes (CSV copies, exports) holds the same data.
    """
    current = os.umask(0o077)
    os.umask(current | 0o077)


@contextmanager
def transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor inside ``BEGIN``/``COMMIT``; anything raised rolls the whole unit back."""
    cur = conn.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    else:
        cur.execute("COMMIT")


def get_meta(conn: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A fact about this installation from ``app_meta`` (``None`` when unset)."""
    row = conn.cursor().execute("SELECT value FROM app_meta WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def set_meta(cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """Record a fact about this installation (inside the caller's transaction)."""
    cur.execute(
        "INSERT INTO app_meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def is_demo(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether this database holds the generated demo company."""
    return get_meta(conn, "demo") == "true"
