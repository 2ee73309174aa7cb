"""A database file of its own for one import's typed rows, beside the database.

DuckDB keeps temp tables uncompressed in memory: the typed rows of a 10-million-row usage file
take about 650 MB there and spill beyond the memory cap (``CRM_DASH_MEMORY_MB``), so every later
scan of them (labels, rejects, dedup, insert) reads them back. In a database file of their own
they are stored compressed, as the events are (about 100 MB for the same file), and each scan
reads a fraction of that: the import of such a file takes about 1.5 s less, and a 50-million-row
file no longer spills its typed rows at all.

The file lives in the database's spill folder (``<db>.tmp``, private to the owner, see
:func:`crm_dash.db.make_private`) under a name with the process id, is attached under that name
for the import only, and is dropped, detached and deleted when the import ends. Files left by a
process that died meanwhile are deleted by the next import. An in-memory database has no folder:
its imports keep the temp table.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from crm_dash.db import spill_directory

#: The typed table's name inside the scratch database.
TABLE = "typed_rows"
_A_DAY = 24 * 3600
_NAME = re.compile(r"crm_dash_scratch_(\d+)_[0-9a-f]{12}\.duckdb(\.wal)?")


@contextmanager
def scratch_table(cur: duckdb.DuckDBPyConnection) -> Iterator[str | None]:
    """The qualified name for one import's typed table in a scratch database of its own, or
    ``None`` for an in-memory database; afterwards the table and the file are gone."""
    row = cur.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if row is None or not row[0]:
        yield None
        return
    folder = spill_directory(Path(str(row[0])))
    folder.mkdir(mode=0o700, exist_ok=True)
    remove_stale(folder)
    alias = f"crm_dash_scratch_{os.getpid()}_{uuid.uuid4().hex[:12]}"
    path = folder / f"{alias}.duckdb"
    cur.execute(f"ATTACH ? AS {alias}", [str(path)])
    try:
        yield f"{alias}.main.{TABLE}"
    finally:
        # Dropping first leaves the detach nothing to write (a checkpoint of the table would).
        with suppress(duckdb.Error):
            cur.execute(f"DROP TABLE IF EXISTS {alias}.main.{TABLE}")
        with suppress(duckdb.Error):
            cur.execute(f"DETACH DATABASE IF EXISTS {alias}")
        for file in (path, path.with_name(path.name + ".wal")):
            file.unlink(missing_ok=True)


def remove_stale(folder: Path) -> list[Path]:
    """Delete the scratch files in ``folder`` whose process has ended; the files deleted."""
    removed = []
    for file in folder.iterdir():
        match = _NAME.fullmatch(file.name)
        if match is None or _in_use(file, int(match.group(1))):
            continue
        with suppress(FileNotFoundError):
            file.unlink()
            removed.append(file)
    return removed


def _in_use(file: Path, pid: int) -> bool:
    """Whether the import of process ``pid`` may still use ``file``."""
    if pid == os.getpid():
        return True
    if os.name == "nt":  # no signal 0 there (it would stop the process): by age instead
        with suppress(FileNotFoundError):
            return time.time() - file.stat().st_mtime < _A_DAY
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True
