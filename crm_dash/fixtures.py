"""Loading files in the generic CSV template (canonical headers, ISO dates, `,` delimiter).

Tests, docs and examples build databases from such files in ``tests/fixtures/generic``; the
browser and CLI importer handle every other export format.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from crm_dash.datasets import DatasetKind
from crm_dash.db import transaction
from crm_dash.store import BatchMeta, LoadResult, Source, load_rows, sha256_of


def load_generic_csv(
    conn: duckdb.DuckDBPyConnection,
    kind: DatasetKind,
    path: Path,
    *,
    imported_by: str = "fixture",
    source: Source = "fixture",
) -> LoadResult:
    """Load one generic-template CSV as a batch of ``kind``."""
    meta = BatchMeta(
        kind=kind, file_name=path.name, content_sha256=sha256_of(path.read_bytes()),
        imported_by=imported_by, source=source, preset="generic",
    )
    with transaction(conn) as cur:
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE crm_dash_generic_staging AS "
            "SELECT * FROM read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )
        return load_rows(cur, "crm_dash_generic_staging", meta)


def load_generic_folder(conn: duckdb.DuckDBPyConnection, folder: Path) -> dict[DatasetKind, int]:
    """Load ``users.csv``, ``usage.csv``, ``pipeline.csv``, ``training.csv`` where present."""
    loaded: dict[DatasetKind, int] = {}
    for kind in DatasetKind:
        path = folder / f"{kind.value}.csv"
        if path.exists():
            loaded[kind] = load_generic_csv(conn, kind, path).rows_loaded
    return loaded
