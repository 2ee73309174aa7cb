"""One write of dataset rows at a time per database file, within this process.

DuckDB runs transactions under snapshot isolation: two imports that each check "is this event
stored already?" before either commits both see "no", and both store it. Nothing but an order
between them prevents that, so every Load and every deleted upload takes this lock around its
duplicate check and its writes. (Another process cannot write at all while the app holds the
file: DuckDB allows one writing process.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

_LOCKS: dict[str, threading.RLock] = {}
_GUARD = threading.Lock()


def database_file(conn: duckdb.DuckDBPyConnection) -> str:
    """The file of ``conn``'s database (``":memory:"`` for an in-memory one)."""
    row = conn.cursor().execute(
        "SELECT coalesce(path, ':memory:') FROM duckdb_databases()"
        " WHERE database_name = current_database()"
    ).fetchone()
    return str(row[0]) if row else ":memory:"


@contextmanager
def import_lock(conn: duckdb.DuckDBPyConnection,
                on_wait: Callable[[], object] | None = None) -> Iterator[None]:
    """Hold the lock of ``conn``'s database file; ``on_wait`` is called once when another
    import holds it (to say "another import is running, this one starts when it ends")."""
    with _GUARD:
        lock = _LOCKS.setdefault(database_file(conn), threading.RLock())
    if not lock.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
