"""One data snapshot per data version, and the one cache of everything derived from it.

A :class:`Snapshot` names the database, its data version (:func:`crm_dash.metrics.activity.
data_version`: batches, usage rows, integration flags, setting versions) and the day it is read
on. Functions decorated with :func:`per_version` take it as their first argument and compute once
per (database, version, day, arguments): an upload, a deleted batch, a new flag or a new setting
computes afresh; every other call is a dictionary look-up. Results are shared between callers and
sessions, so they are read-only by contract: a caller that needs a changed frame copies it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

import duckdb

from crm_dash import config
from crm_dash.metrics.activity import data_version

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Snapshot:
    """The database as one page run reads it.

    ``db``: the database file (the cache's namespace); ``version``: its data version;
    ``today``: the day figures are computed for (the latest complete month depends on it).
    """

    conn: duckdb.DuckDBPyConnection = field(compare=False, hash=False, repr=False)
    db: str
    version: str
    today: date

    @property
    def key(self) -> tuple[str, str, date]:
        """What identifies the snapshot's data in a cache."""
        return (self.db, self.version, self.today)


def snapshot(conn: duckdb.DuckDBPyConnection, *, db: str | None = None,
             today: date | None = None) -> Snapshot:
    """The snapshot of ``conn``'s database now (``db`` defaults to the configured file)."""
    return Snapshot(conn=conn, db=db if db is not None else str(config.db_path()),
                    version=data_version(conn), today=today or date.today())


_CACHES: list[Callable[[], None]] = []


def per_version(max_entries: int = 8
                ) -> Callable[[Callable[Concatenate[Snapshot, P], R]],
                              Callable[Concatenate[Snapshot, P], R]]:
    """Cache a function of a snapshot per data version and arguments (all hashable).

    Keeps the ``max_entries`` most recently used results. Two sessions asking at once for the
    same missing entry may both compute it; the result is the same.
    """
    def decorate(fn: Callable[Concatenate[Snapshot, P], R]
                 ) -> Callable[Concatenate[Snapshot, P], R]:
        entries: OrderedDict[Hashable, R] = OrderedDict()
        lock = threading.Lock()

        @wraps(fn)
        def cached(snap: Snapshot, /, *args: P.args, **kwargs: P.kwargs) -> R:
            key = (snap.key, args, tuple(sorted(kwargs.items())))
            with lock:
                if key in entries:
                    entries.move_to_end(key)
                    return entries[key]
            value = fn(snap, *args, **kwargs)
            with lock:
                entries[key] = value
                entries.move_to_end(key)
                while len(entries) > max_entries:
                    entries.popitem(last=False)
            return value

        def clear() -> None:
            with lock:
                entries.clear()

        cached.cache_clear = clear  # type: ignore[attr-defined]
        _CACHES.append(clear)
        return cached

    return decorate


def clear_caches() -> None:
    """Forget every cached result (tests; Streamlit's "Clear caches" does not reach here)."""
    for clear in _CACHES:
        clear()
