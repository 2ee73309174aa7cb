"""Remembered column mappings: confirmed once, reused for every file with the same header."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from crm_dash.datasets import DATASETS, DatasetKind, normalise_header


@dataclass(frozen=True)
class RememberedMapping:
    """A mapping confirmed for one header layout."""

    preset: str | None
    mapping: dict[str, str]
    confirmed_by: str
    confirmed_at: datetime
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> label -> value


def header_fingerprint(headers: list[str] | tuple[str, ...]) -> str:
    """Identifies a header layout: the normalised names, in order."""
    joined = "\x1f".join(normalise_header(h) for h in headers)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def recall_mapping(
    conn: duckdb.DuckDBPyConnection, kind: DatasetKind, headers: list[str] | tuple[str, ...]
) -> RememberedMapping | None:
    """The mapping confirmed for this header layout and dataset, if any still fits it."""
    row = conn.cursor().execute(
        "SELECT preset, mapping, confirmed_by, confirmed_at, value_labels FROM import_mappings"
        " WHERE fingerprint = ? AND kind = ?",
        [header_fingerprint(headers), kind.value],
    ).fetchone()
    if row is None:
        return None
    mapping = {str(k): str(v) for k, v in json.loads(row[1]).items()}
    fields = set(DATASETS[kind].field_names)
    if not set(mapping) <= fields or not set(mapping.values()) <= set(headers):
        return None
    labels = {str(f): {str(k): str(v) for k, v in chosen.items()}
              for f, chosen in json.loads(row[4] or "{}").items() if f in fields}
    return RememberedMapping(
        preset=row[0], mapping=mapping, confirmed_by=str(row[2]), confirmed_at=row[3],
        value_labels=labels,
    )


def remember_mapping(
    cur: duckdb.DuckDBPyConnection,
    kind: DatasetKind,
    headers: list[str] | tuple[str, ...],
    mapping: dict[str, str],
    preset: str | None,
    confirmed_by: str,
    value_labels: dict[str, dict[str, str]] | None = None,
) -> None:
    """Store the mapping (and the meaning of labels) a user confirmed, inside the caller's
    transaction."""
    cur.execute(
        "INSERT INTO import_mappings (fingerprint, kind, headers, preset, mapping, confirmed_by,"
        " value_labels) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint, kind) DO UPDATE"
        " SET headers = excluded.headers, preset = excluded.preset, mapping = excluded.mapping,"
        " confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at,"
        " value_labels = excluded.value_labels",
        [
            header_fingerprint(headers), kind.value, json.dumps(list(headers), ensure_ascii=False),
            preset, json.dumps(mapping, ensure_ascii=False), confirmed_by,
            json.dumps(value_labels or {}, ensure_ascii=False),
        ],
    )
