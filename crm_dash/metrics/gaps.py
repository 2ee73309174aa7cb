"""Why a field has no value in the stored data: what a page says where a figure is unknown.

A figure that needs a field the data lacks is unknown, never 0. Whether the field is there is
read from the stored rows (any value at all); why it is not, from the import batches, which
remember the optional fields each upload left unmapped and the column that looked like one
(``import_batches.field_gaps``, written by :func:`crm_dash.importing.run.field_gaps`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import duckdb

from crm_dash.datasets import DatasetKind, field_label
from crm_dash.i18n import Language, fmt_int, t
from crm_dash.markdown import md_values

#: Where each dataset's current rows are, and each field's column there.
_TABLES: dict[DatasetKind, str] = {
    DatasetKind.USERS: "users",
    DatasetKind.USAGE: "usage_events",
    DatasetKind.PIPELINE: "opportunities",
    DatasetKind.TRAINING: "training_records",
}
_COLUMNS: dict[tuple[DatasetKind, str], str] = {
    (DatasetKind.USAGE, "timestamp"): "ts",
    (DatasetKind.TRAINING, "user"): "user_ref",
}
#: Fields whose column always holds a value (a default stands in when the file has none), so
#: only the uploads can tell whether they were there.
_DEFAULTED = {(DatasetKind.USERS, "is_integration"), (DatasetKind.USAGE, "success"),
              (DatasetKind.USAGE, "action")}

GapState = Literal["no_data", "unmapped", "not_in_export", "empty"]


@dataclass(frozen=True)
class FieldGap:
    """Why ``field`` of ``kind`` has no value.

    ``state``: ``no_data`` (nothing of the dataset uploaded), ``unmapped`` (the latest upload
    had a column that looked like the field, ``column``, but it was not mapped), ``not_in_export``
    (the latest upload had no such column), ``empty`` (the column was mapped but blank in every
    row). ``file_name`` is the latest upload's.
    """

    kind: DatasetKind
    field: str
    state: GapState
    column: str | None = None
    confidence: float | None = None
    file_name: str | None = None

    @property
    def message_key(self) -> str:
        """The i18n key of the sentence that says why and what to do."""
        return f"gap.{self.state}"


def field_gap(conn: duckdb.DuckDBPyConnection, kind: DatasetKind, field: str) -> FieldGap | None:
    """``None`` when the stored data of ``kind`` has a value for ``field``; otherwise why not."""
    cur = conn.cursor()
    latest = cur.execute(
        "SELECT file_name, field_gaps FROM import_batches WHERE kind = ?"
        " ORDER BY batch_id DESC LIMIT 1", [kind.value],
    ).fetchone()
    if latest is None:
        return FieldGap(kind, field, "no_data")
    file_name, raw = str(latest[0]), latest[1]
    gaps = json.loads(str(raw)) if raw else {}
    if (kind, field) in _DEFAULTED:
        present = field not in gaps
    else:
        column = _COLUMNS.get((kind, field), field)
        present = cur.execute(
            f"SELECT EXISTS (SELECT 1 FROM {_TABLES[kind]} WHERE {column} IS NOT NULL)"  # noqa: S608 (names from the tables above)
        ).fetchone() == (True,)
    if present:
        return None
    gap = gaps.get(field)
    if gap is None:
        return FieldGap(kind, field, "empty", file_name=file_name)
    if gap.get("column"):
        return FieldGap(kind, field, "unmapped", column=str(gap["column"]),
                        confidence=gap.get("confidence"), file_name=file_name)
    return FieldGap(kind, field, "not_in_export", file_name=file_name)


def field_gaps(
    conn: duckdb.DuckDBPyConnection, kind: DatasetKind, fields: tuple[str, ...] | list[str]
) -> dict[str, FieldGap]:
    """The gaps among ``fields`` of ``kind`` (fields with values are left out)."""
    found = {name: field_gap(conn, kind, name) for name in fields}
    return {name: gap for name, gap in found.items() if gap is not None}


def gap_text(gap: FieldGap, lang: Language, *, markdown: bool = True) -> str:
    """Why the field is missing and what to do, in a project lead's words: "The column
    'Abschlussdatum' of 'opps.csv' looks like the close date but is not mapped: load the file
    again and map it on Upload."

    Markdown by default, because pages are its readers: the column and the file name come from
    an upload and are escaped (:func:`crm_dash.markdown.md_escape`). ``markdown=False`` gives
    plain text (JSON, the command line)."""
    values: dict[str, object] = {
        "field": field_label(gap.kind, gap.field, lang), "column": gap.column or "",
        "file": gap.file_name or "", "dataset": t(f"dataset.{gap.kind.value}", lang),
        "pct": fmt_int(round(100 * gap.confidence), lang) if gap.confidence is not None else ""}
    return t(gap.message_key, lang, **(md_values(values) if markdown else values))
