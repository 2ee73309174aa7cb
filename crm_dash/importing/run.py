"""One import: inspect a file, propose a mapping, check it, and load it as one transaction.

:func:`inspect_file` is cheap (one pass for the hash and encoding, a sample for the dialect) and
proposes the mapping. :func:`run_import` does the real work: read, type and validate the file in
DuckDB (into temp tables of its own cursor), then, in one transaction, load the valid rows through
:func:`crm_dash.store.load_rows` and record the audit event. With ``commit=False`` it rolls that
transaction back and returns what a load *would* do, which is what the upload page shows before
the user decides.
"""

from __future__ import annotations

import csv
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd

from crm_dash.audit import log_event
from crm_dash.datasets import DATASETS, DatasetKind, field_label, normalise_header
from crm_dash.db import is_demo
from crm_dash.errors import Share
from crm_dash.i18n import Language, fmt_int, t
from crm_dash.importing import validate
from crm_dash.importing.evidence import (
    FIGURE_FIELDS,
    Evidence,
    Proposal,
    implied_constants,
    propose,
)
from crm_dash.importing.mappings import RememberedMapping, recall_mapping, remember_mapping
from crm_dash.importing.presets import (
    Preset,
    detect_preset,
    other_kind_preset,
    preset_named,
    presets_for,
)
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.scratch import scratch_table
from crm_dash.importing.sniff import (
    FileScan,
    Layout,
    detect_layout,
    scan_file,
    transcode_to_utf8,
    with_file_name_stamp,
)
from crm_dash.importing.values import ValueProfile, profile
from crm_dash.importing.workbook import (
    SheetInfo,
    is_workbook,
    workbook_digest,
    workbook_to_csv,
)
from crm_dash.locks import import_lock
from crm_dash.markdown import md_values
from crm_dash.store import BatchMeta, Source, load_rows, user_key_sql

Status = Literal["ready", "loaded", "already_imported", "failed"]
MAX_REJECTS_KEPT = 100_000  # on screen and in the CSV download; the count is always complete
JSON_REJECTS = 100
CHECK_BATCH_ID = -1  # the batch number of a check, which is always rolled back


@dataclass(frozen=True)
class Inspection:
    """What a file is, and the mapping proposed for it."""

    kind: DatasetKind
    file_name: str
    scan: FileScan
    layout: Layout
    source: validate.CsvSource
    preset: Preset | None
    mapping: dict[str, str]
    remembered: RememberedMapping | None
    other_kind: Preset | None
    proposal: Proposal
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    sheet: SheetInfo | None = None  # a workbook's sheet: where its rows and cells are

    @property
    def headers(self) -> tuple[str, ...]:
        return self.layout.headers

    def header_named(self, column: str) -> str:
        """The file's header that ``column`` (typed by someone, as in ``--map``) means.

        A header spelled exactly so wins; otherwise the one header that equals ``column`` when
        case and surrounding spaces are ignored (compared like preset signatures). With none or
        several such headers ``column`` comes back unchanged, and the mapping check names the
        headers found.
        """
        if column in self.headers:
            return column
        wanted = normalise_header(column)
        found = [h for h in self.headers if normalise_header(h) == wanted]
        return found[0] if len(found) == 1 else column

    @property
    def constants(self) -> dict[str, str]:
        """Values of fields the file has no column for, implied by its layout: the preset's
        (every LoginHistory row is a login), or what the evidence implies
        (:func:`crm_dash.importing.evidence.implied_constants`)."""
        implied = implied_constants(self.kind, self.proposal, self.file_name)
        return {**implied, **(self.preset.constants if self.preset else {})}

    def missing_fields(self, mapping: dict[str, str] | None = None) -> list[str]:
        """Required fields that ``mapping`` (default: the proposed one) leaves open."""
        mapping = self.mapping if mapping is None else mapping
        constants = self.constants
        return [f for f in DATASETS[self.kind].required_fields
                if f not in mapping and f not in constants]


@dataclass
class ImportReport:
    """What an import did (or, for a check, would do)."""

    kind: DatasetKind
    file_name: str
    status: Status
    batch_id: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    duplicates_skipped: int = 0
    rejects: pd.DataFrame = field(default_factory=lambda: _empty_rejects())
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    formats: dict[str, str] = field(default_factory=dict)
    problem: ImportProblem | None = None
    mapping: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> its evidence
    unmapped_fields: list[str] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    unknown_labels: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)

    @property
    def reject_rate(self) -> float:
        return self.rows_rejected / self.rows_read if self.rows_read else 0.0

    def rejects_table(self, lang: Language) -> pd.DataFrame:
        """Rejects as shown and downloaded: line (a workbook's cell, ``Sheet1!C17``), column,
        value, reason in ``lang``."""
        frame = self.rejects
        where: dict[str, Any] = (
            {t("import.col.cell", lang): frame["cell"]} if "cell" in frame
            else {t("import.col.line", lang): frame["line"].astype("int64")})
        return pd.DataFrame({
            **where,
            t("import.col.column", lang): frame["column"],
            t("import.col.value", lang): frame["value"],
            t("import.col.reason", lang): [
                reason_text(code, fmt, lang) for code, fmt in zip(
                    frame["reason"], frame["format"], strict=True)
            ],
        })

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json`` payload."""
        table = self.rejects.head(JSON_REJECTS)
        return {
            "batch_id": self.batch_id,
            "kind": self.kind.value,
            "status": "failed" if self.status == "ready" else self.status,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "duplicates_skipped": self.duplicates_skipped,
            "mapping": self.mapping,
            "unmapped_fields": self.unmapped_fields,
            "unused_columns": self.unused_columns,
            "warnings": [n.text(self.kind, "en") for n in self.notices],
            "usage_not_in_roster": next(
                ({k: n.values[k] for k in ("ids", "events", "total")}
                 | {"share": round(int(n.values["events"]) / int(n.values["total"]), 4)}
                 for n in self.notices if n.code == "usage_not_in_roster"), None),
            "rejects": [
                {"line": int(r["line"]), "column": r["column"], "value": r["value"],
                 "reason": reason_text(str(r["reason"]), str(r["format"]), "en")}
                | ({"cell": r["cell"]} if "cell" in r else {})
                for r in table.to_dict("records")
            ],
        }


@dataclass(frozen=True)
class Notice:
    """Something about a file's mapping or values a person should check before loading."""

    code: str  # catalog key import.notice.<code>
    field_name: str
    values: dict[str, str | int] = field(default_factory=dict)

    def text(self, kind: DatasetKind, lang: Language, *, markdown: bool = False) -> str:
        """The notice in words; with ``markdown``, every value (column names and labels from
        the file) escaped for a Markdown element (:func:`crm_dash.markdown.md_escape`)."""
        values = dict(self.values)
        if "fallback" in values:
            values["fallback"] = t(f"import.notice.fallback.{values['fallback']}", lang)
        if "other" in values:
            values["other"] = field_label(kind, str(values["other"]), lang)
        values = {k: fmt_int(v, lang) if isinstance(v, int) else v for k, v in values.items()}
        values["field"] = field_label(kind, self.field_name, lang)
        return t(f"import.notice.{self.code}", lang,
                 **(md_values(values) if markdown else values))


def evidence_text(evidence: Evidence, lang: Language, *, markdown: bool = False) -> str:
    """One reason of a match in words; with ``markdown``, its values (a header, a user name)
    escaped for a Markdown element."""
    values = dict(evidence.values)
    if "what" in values:
        values["what"] = t(f"import.evidence.what.{values['what']}", lang)
    if "preset" in values:
        values["preset"] = t(f"import.preset.{values['preset']}", lang)
    return t(f"import.evidence.{evidence.code}", lang,
             **(md_values(values) if markdown else values))


#: What an unknown label counts as until someone says what it means (flags: no).
LABEL_FALLBACK = {"action": "other", "kind": "other", "status": "reject"}


def mapping_notices(
    inspection: Inspection,
    mapping: dict[str, str],
    unknown: dict[str, list[tuple[str, int]]] | None = None,
) -> list[Notice]:
    """What to check: unsure proposals, columns that look like an open figure field, and
    labels nobody knows the meaning of."""
    proposal = inspection.proposal
    confirmed = inspection.remembered.mapping if inspection.remembered is not None else {}
    notices: list[Notice] = []
    fields_of: dict[str, list[str]] = {}
    for name, column in mapping.items():
        fields_of.setdefault(column, []).append(name)
        match = proposal.match(name, column)
        if confirmed.get(name) == column:
            continue  # a lead confirmed it for this layout
        if proposal.mapping.get(name) == column and match.level == "unsure":
            notices.append(Notice("unsure", name, {"column": column,
                                                   "pct": round(100 * match.confidence)}))
        roster = next((e for e in match.evidence if e.code == "values_roster"), None)
        if roster is not None and int(roster.values["pct"]) < 50:
            notices.append(Notice("not_in_roster", name, {"column": column,
                                                          "pct": int(roster.values["pct"])}))
    for column, names in fields_of.items():
        shared = set(names) <= {"is_closed", "is_won"} or set(names) == {"user_id", "email"}
        if len(names) > 1 and not shared:
            notices.append(Notice("column_twice", names[1], {
                "column": column, "other": names[0]}))
    constants = inspection.constants
    for name in FIGURE_FIELDS[inspection.kind]:
        if name in mapping or name in constants:
            continue
        candidates = proposal.candidates(name, mapping)
        if candidates:
            notices.append(Notice("candidate", name, {
                "column": candidates[0].column, "pct": round(100 * candidates[0].confidence)}))
    for name, labels in (unknown or {}).items():
        listed = ", ".join(f"'{label}' ({rows})" for label, rows in labels[:8])
        more = len(labels) - 8
        notices.append(Notice("unknown_labels", name, {
            "labels": listed + (f" +{more}" if more > 0 else ""), "n": len(labels),
            "column": mapping.get(name, ""), "fallback": LABEL_FALLBACK.get(name, "no")}))
    return notices


def match_reasons(inspection: Inspection, name: str, column: str) -> list[Evidence]:
    """Why ``column`` fills ``name``: who confirmed or chose it, then the match's evidence."""
    reasons = list(inspection.proposal.match(name, column).evidence)
    remembered = inspection.remembered
    if remembered is not None and remembered.mapping.get(name) == column:
        reasons.insert(0, Evidence("remembered", {"who": remembered.confirmed_by}))
    elif inspection.proposal.mapping.get(name) != column:
        reasons.insert(0, Evidence("chosen"))
    return reasons


def describe_mapping(report: ImportReport, inspection: Inspection, mapping: dict[str, str]) -> None:
    """Fill ``report``'s mapping (``{field: {"column", "confidence", "level", "evidence"}}``,
    evidence in English as the CLI's JSON gives it), unmapped fields and unused columns."""
    proposal = inspection.proposal
    report.mapping = {}
    for name, column in mapping.items():
        match = proposal.match(name, column)
        report.mapping[name] = {
            "column": column, "confidence": match.confidence, "level": match.level or "none",
            "evidence": [evidence_text(e, "en") for e in match_reasons(inspection, name, column)],
        }
    constants = inspection.constants
    report.unmapped_fields = [f for f in DATASETS[inspection.kind].field_names
                              if f not in mapping and f not in constants]
    report.unused_columns = proposal.unused_columns(mapping)


def field_gaps(inspection: Inspection, report: ImportReport) -> dict[str, dict[str, Any]]:
    """The optional fields ``report`` leaves unmapped, each with the column that looked like
    it (the mapper's best candidate at confidence >= 0.4) or none: what the batch remembers so
    that pages can say why a figure is blank ("map column 'X'" or "add the column")."""
    mapping = {name: str(entry["column"]) for name, entry in report.mapping.items()}
    gaps: dict[str, dict[str, Any]] = {}
    for name in report.unmapped_fields:
        candidates = inspection.proposal.candidates(name, mapping)
        best = candidates[0] if candidates else None
        gaps[name] = {"column": best.column if best else None,
                      "confidence": round(best.confidence, 2) if best else None}
    return gaps


def _empty_rejects() -> pd.DataFrame:
    return pd.DataFrame({"line": pd.Series(dtype="int64"), "column": [], "field": [],
                         "value": [], "reason": [], "format": []})


def reason_text(code: str, fmt: str, lang: Language) -> str:
    """A reject reason in words."""
    return t(f"import.reason.{code}", lang, format=fmt)


def inspect_file(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    kind: DatasetKind,
    workdir: Path,
    *,
    file_name: str | None = None,
    preset_name: str | None = None,
    sheet: str | None = None,
) -> Inspection:
    """Detect encoding, dialect, header and preset of ``path`` and propose a mapping.

    Copies that DuckDB can read (UTF-8, without the footer) are written into ``workdir``; a
    workbook's sheet (``sheet``, default the first visible one with data) becomes such a copy
    (:mod:`crm_dash.importing.workbook`), and everything after that is the CSV's way.
    A mapping remembered for this header layout wins over the preset's own.
    """
    sheet_info: SheetInfo | None = None
    if is_workbook(path, file_name):
        readable = workdir / f"sheet-{uuid.uuid4().hex}.csv"
        digest = workbook_digest(path, sheet)
        sheet_info = workbook_to_csv(path, readable, sheet=sheet)
        scan = FileScan(size=path.stat().st_size, encoding="utf-8", digest=digest)
    else:
        scan = scan_file(path)
        readable = path
    if sheet_info is None and scan.encoding in ("cp1252", "utf-16"):
        readable = workdir / f"{scan.sha256}.utf8.csv"
        if not readable.exists():
            transcode_to_utf8(path, scan.encoding, readable)
    # The path may be a temp copy: a date in the name the user gave counts (an export stamp).
    layout = with_file_name_stamp(detect_layout(readable), file_name or path.name)
    source = _csv_source(readable, layout, workdir, scan)
    if sheet_info is not None:
        source = replace(source, workbook=True)
    preset = _preset(kind, layout.headers, preset_name)
    remembered = recall_mapping(conn, kind, layout.headers) if preset_name is None else None
    if remembered is not None and remembered.preset:
        preset = _preset(kind, layout.headers, remembered.preset, strict=False) or preset
    profiles, roster = sample_profiles(conn, source, layout.headers, kind)
    proposal = propose(
        kind, layout.headers, profiles,
        preset.picks(layout.headers) if preset is not None else None,
        preset.name if preset is not None else None, roster,
    )
    constants = preset.constants if preset is not None else {}
    mapping = {f: c for f, c in proposal.mapping.items() if f not in constants}
    if remembered is not None:
        mapping = dict(remembered.mapping)
    return Inspection(
        kind=kind, file_name=file_name or path.name, scan=scan, layout=layout, source=source,
        preset=preset, mapping=mapping, remembered=remembered,
        other_kind=other_kind_preset(kind, layout.headers), proposal=proposal,
        value_labels=dict(remembered.value_labels) if remembered is not None else {},
        sheet=sheet_info,
    )


PROFILE_ROWS = 1000


def sample_profiles(
    conn: duckdb.DuckDBPyConnection, source: validate.CsvSource, headers: tuple[str, ...],
    kind: DatasetKind,
) -> tuple[dict[str, ValueProfile], dict[str, float] | None]:
    """A value profile per column from the first :data:`PROFILE_ROWS` rows of the file, and
    for a file about people's work (usage, pipeline, training) the share of each column's
    values that name someone in the roster (``None`` while there is no roster).

    A file DuckDB cannot read gets no profiles here: the check reports why, with its lines.
    """
    cur = conn.cursor()
    try:
        rows = cur.execute(f"SELECT * FROM {source.read_sql()} LIMIT {PROFILE_ROWS}",
                           [str(source.path)]).fetchall()
        profiles = {h: profile([r[i] for r in rows]) for i, h in enumerate(headers)}
        roster = None if kind == DatasetKind.USERS else _roster_shares(cur, headers, rows,
                                                                        profiles)
    except duckdb.Error:
        return {}, None
    finally:
        cur.close()
    return profiles, roster


def _roster_shares(
    cur: duckdb.DuckDBPyConnection, headers: tuple[str, ...], rows: list[Any],
    profiles: dict[str, ValueProfile],
) -> dict[str, float] | None:
    """``{column: share of its values that are a roster person's id, e-mail or name}`` for the
    columns whose values could name a person; ``None`` when the roster is empty."""
    found = cur.execute("SELECT count(*) FROM users").fetchone()
    if not found or not found[0]:
        return None
    columns, values = [], []
    for i, header in enumerate(headers):
        prof = profiles[header]
        if max(prof.share("email"), prof.share("id"), prof.share("token"),
               prof.share("person")) < 0.5:
            continue
        for row in rows:
            if row[i] is not None and str(row[i]).strip():
                columns.append(i)
                values.append(str(row[i]).strip())
    if not values:
        return {}
    shares = cur.execute(
        f"SELECT c, avg(CASE WHEN k IN (SELECT user_key FROM users)"
        f" OR lower(v) IN (SELECT lower(email) FROM users WHERE email IS NOT NULL)"
        f" OR lower(regexp_replace(v, '^([^,]+),\\s*(.+)$', '\\2 \\1'))"
        f" IN (SELECT lower(regexp_replace(trim(name), '^([^,]+),\\s*(.+)$', '\\2 \\1'))"
        f" FROM users WHERE name IS NOT NULL)"  # "Müller, Jürgen" is "Jürgen Müller"
        f" THEN 1.0 ELSE 0.0 END) FROM (SELECT c, v, {user_key_sql('v')} AS k"
        f" FROM (SELECT unnest(?::INTEGER[]) AS c, unnest(?::VARCHAR[]) AS v)) GROUP BY c",
        [columns, values],
    ).fetchall()
    return {headers[int(c)]: float(share) for c, share in shares}


def named_preset(kind: DatasetKind, name: str) -> Preset:
    """The preset ``name`` of ``kind``; an :class:`ImportProblem` listing the known ones when
    there is no such preset."""
    try:
        return preset_named(kind, name)
    except KeyError:
        raise ImportProblem("unknown_preset", name=name, kind=kind.value,
                            known=", ".join(p.name for p in presets_for(kind))) from None


def _preset(
    kind: DatasetKind, headers: tuple[str, ...], name: str | None, *, strict: bool = True
) -> Preset | None:
    if name is None:
        return detect_preset(kind, headers)
    try:
        return named_preset(kind, name)
    except ImportProblem:
        if not strict:
            return None
        raise


def _csv_source(
    readable: Path, layout: Layout, workdir: Path, scan: FileScan
) -> validate.CsvSource:
    """The file DuckDB reads: the file itself, or the data part of it when a footer must go
    (named by the content hash, which only then is waited for)."""
    width = len(layout.headers)
    size = readable.stat().st_size
    if layout.data_end >= size:
        return validate.CsvSource(readable, skip=layout.preamble_lines, line_offset=0,
                                  delimiter=layout.delimiter, width=width)
    cut = workdir / f"{scan.sha256}.data.csv"
    with readable.open("rb") as src, cut.open("wb") as dst:
        src.seek(layout.data_start)
        remaining = layout.data_end - layout.data_start
        while remaining > 0 and (chunk := src.read(min(remaining, 8 << 20))):
            dst.write(chunk)
            remaining -= len(chunk)
    return validate.CsvSource(cut, skip=0, line_offset=layout.preamble_lines,
                              delimiter=layout.delimiter, width=width)


def already_imported(
    conn: duckdb.DuckDBPyConnection, kind: DatasetKind, sha256: str
) -> int | None:
    """The batch that loaded this very file as ``kind`` before, if any."""
    row = conn.cursor().execute(
        "SELECT min(batch_id) FROM import_batches WHERE content_sha256 = ? AND kind = ?",
        [sha256, kind.value],
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def run_import(
    conn: duckdb.DuckDBPyConnection,
    inspection: Inspection,
    *,
    imported_by: str,
    source: Source,
    mapping: dict[str, str] | None = None,
    commit: bool = True,
    max_reject_rate: float | None = None,
    remember: bool = False,
    value_labels: dict[str, dict[str, str]] | None = None,
    on_wait: Callable[[], object] | None = None,
) -> ImportReport:
    """Check and (with ``commit``) load the file of ``inspection`` as one batch.

    Rows with rejected values are left out; with ``max_reject_rate`` set, more rejected rows
    than that share fail the whole import. Everything happens in one transaction: the batch, its
    rows, the remembered mapping and the audit event are written together or not at all. Imports
    into one database take turns (:func:`crm_dash.locks.import_lock`); ``on_wait`` is called
    when this one has to wait for another.
    """
    kind = inspection.kind
    if is_demo(conn):  # made-up people and published passwords: never mixed with real data
        raise ImportProblem("demo_database")
    mapping = dict(inspection.mapping if mapping is None else mapping)
    value_labels = inspection.value_labels if value_labels is None else value_labels
    report = ImportReport(kind=kind, file_name=inspection.file_name, status="ready")
    describe_mapping(report, inspection, mapping)
    report.notices = mapping_notices(inspection, mapping)
    # The content hash is computed while DuckDB reads the file (sniff.hash_in_background). It
    # is awaited up front when it is known already or when this file name was imported before
    # (a re-run over the same files hears "already imported" at once), else after the reading:
    # either way a file imported before is never loaded again.
    awaited = inspection.scan.sha256_ready or _name_seen(conn, kind, inspection.file_name)
    if awaited and (previous := already_imported(conn, kind, inspection.scan.sha256)) is not None:
        return _already_imported_report(inspection, previous)
    # Reading and checking need no transaction (only temp objects of this cursor); the writes
    # that follow are one transaction on the same cursor, committed or rolled back whole.
    cur = conn.cursor()
    try:
        with scratch_table(cur) as typed_table:
            try:
                _check_mapping(inspection, mapping)
                _check(cur, inspection, mapping, report, max_reject_rate, value_labels,
                       typed_table)
            except ImportProblem:
                if not awaited and (previous := already_imported(
                        conn, kind, inspection.scan.sha256)) is not None:
                    return _already_imported_report(inspection, previous)
                raise
            if not awaited and (previous := already_imported(
                    conn, kind, inspection.scan.sha256)) is not None:
                return _already_imported_report(inspection, previous)
            if report.status == "failed":
                return report
            # One writer at a time per database: the duplicate check and the insert must see
            # every earlier import committed (crm_dash.locks), and so must "was this file
            # loaded before?".
            with import_lock(conn, on_wait):
                if (previous := already_imported(conn, kind, inspection.scan.sha256)) is not None:
                    return _already_imported_report(inspection, previous)
                _write(cur, inspection, report, imported_by, source, commit=commit,
                       remembered=(mapping, value_labels) if commit and remember else None)
    finally:
        cur.close()
    return report


def _write(
    cur: duckdb.DuckDBPyConnection,
    inspection: Inspection,
    report: ImportReport,
    imported_by: str,
    source: Source,
    *,
    commit: bool,
    remembered: tuple[dict[str, str], dict[str, dict[str, str]]] | None,
) -> None:
    """The batch, its rows and (``remembered``) the mapping, in one transaction: committed, or
    rolled back for a check."""
    cur.execute("BEGIN TRANSACTION")
    try:
        _load(cur, inspection, report, imported_by, source, check_only=not commit)
        if remembered is not None:
            mapping, value_labels = remembered
            remember_mapping(cur, inspection.kind, inspection.headers, mapping,
                             inspection.preset.name if inspection.preset else None,
                             imported_by, value_labels)
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    if commit:
        cur.execute("COMMIT")
        report.status = "loaded"
    else:
        cur.execute("ROLLBACK")
        report.batch_id = None  # rolled back: that batch does not exist


def _name_seen(conn: duckdb.DuckDBPyConnection, kind: DatasetKind, file_name: str) -> bool:
    """Whether a batch of ``kind`` came from a file of this name."""
    row = conn.cursor().execute(
        "SELECT count(*) FROM import_batches WHERE kind = ? AND file_name = ?",
        [kind.value, file_name],
    ).fetchone()
    return bool(row and row[0])


def _already_imported_report(inspection: Inspection, batch_id: int) -> ImportReport:
    return ImportReport(kind=inspection.kind, file_name=inspection.file_name,
                        status="already_imported", batch_id=batch_id)


def _check_mapping(inspection: Inspection, mapping: dict[str, str]) -> None:
    fields = set(DATASETS[inspection.kind].field_names)
    unknown_fields = sorted(set(mapping) - fields)
    if unknown_fields:
        raise ImportProblem("unknown_fields", fields=", ".join(unknown_fields),
                            known=", ".join(sorted(fields)))
    unknown_headers = sorted(set(mapping.values()) - set(inspection.headers))
    if unknown_headers:
        raise ImportProblem("unknown_headers", columns=", ".join(unknown_headers),
                            headers=", ".join(inspection.headers))
    missing = inspection.missing_fields(mapping)
    if missing:
        raise ImportProblem("missing_fields", fields=", ".join(missing),
                            headers=", ".join(inspection.headers))


def _check(
    cur: duckdb.DuckDBPyConnection,
    inspection: Inspection,
    mapping: dict[str, str],
    report: ImportReport,
    max_reject_rate: float | None,
    value_labels: dict[str, dict[str, str]],
    typed_table: str | None = None,
) -> None:
    """Read, type and validate the file in DuckDB (into ``typed_table``, see
    :func:`validate.build_typed`); fill counts, rejects, unknown labels and preview."""
    kind = inspection.kind
    plans = validate.plan_fields(cur, inspection.source, kind, inspection.headers, mapping,
                                 inspection.preset, inspection.constants)
    report.formats = {p.spec.name: p.format_label for p in plans if p.format_label}
    validate.build_typed(cur, inspection.source, kind, plans, inspection.preset,
                         into=typed_table)
    staging = validate.plan_staging(cur, kind, plans, inspection.preset, value_labels)
    report.unknown_labels = staging.unknown
    report.notices = mapping_notices(inspection, mapping, staging.unknown)
    report.rows_read, report.rows_rejected = validate.reject_counts(cur, staging)
    if report.rows_read == 0:
        raise ImportProblem("header_only")
    validate.create_staging(cur, staging, any_rejects=report.rows_rejected > 0)
    rejects = validate.reject_rows(cur, plans, staging, MAX_REJECTS_KEPT)
    if inspection.sheet is not None:
        _workbook_places(inspection, inspection.sheet, rejects)
    else:
        rejects.insert(0, "line", _lines(inspection, report.rows_read, rejects["ordinal"]))
    report.rejects = rejects.drop(columns=["ordinal"])
    report.preview = cur.execute(f"SELECT * FROM {validate.STAGING} LIMIT 20").df()
    if kind == DatasetKind.USAGE and (notice := usage_roster_notice(cur)) is not None:
        # The exact count over every row replaces the estimate from the sample of 1,000.
        report.notices = [n for n in report.notices
                          if (n.code, n.field_name) != ("not_in_roster", "user_id")]
        report.notices.append(notice)
    if report.rows_read == report.rows_rejected:
        report.status = "failed"
        report.problem = ImportProblem("all_rejected", rows=report.rows_read)
    elif max_reject_rate is not None and report.reject_rate > max_reject_rate:
        report.status = "failed"
        report.problem = ImportProblem(
            "too_many_rejects", rejected=report.rows_rejected, rows=report.rows_read,
            rate=Share(report.reject_rate), limit=Share(max_reject_rate),
        )


_USAGE_ROSTER_SQL = f"""
SELECT count(*) FILTER (WHERE u.user_key IS NULL),
       coalesce(sum(n) FILTER (WHERE u.user_key IS NULL), 0), coalesce(sum(n), 0)
FROM (SELECT {user_key_sql('user_id')} AS user_key, sum(n) AS n
      FROM (SELECT user_id, count(*) AS n FROM {validate.STAGING} GROUP BY user_id) GROUP BY 1) s
LEFT JOIN users u USING (user_key)
"""


def usage_roster_notice(cur: duckdb.DuckDBPyConnection) -> Notice | None:
    """The staged usage rows' user ids that name nobody in the roster (by ``user_key``, as the
    figures match them): how many ids and which share of the events, before anything is
    loaded. ``None`` while the roster is empty or every id is on it. One aggregate over the
    staged rows, grouped by the raw id first so the join key is computed once per id."""
    if cur.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone() != (True,):
        return None
    row = cur.execute(_USAGE_ROSTER_SQL).fetchone()
    if row is None or not row[0]:
        return None
    ids, events, total = int(row[0]), int(row[1]), int(row[2])
    return Notice("usage_not_in_roster", "user_id", {
        "ids": ids, "events": events, "total": total,
        "pct": round(100 * events / total) if total else 0})


def _load(
    cur: duckdb.DuckDBPyConnection,
    inspection: Inspection,
    report: ImportReport,
    imported_by: str,
    source: Source,
    *,
    check_only: bool,
) -> None:
    """Write the batch: rows through the store, integration flags set by hand, audit event.

    A check (rolled back afterwards) uses a placeholder batch number, so it draws none.
    """
    kind = inspection.kind
    meta = BatchMeta(
        kind=kind, file_name=inspection.file_name, content_sha256=inspection.scan.sha256,
        imported_by=imported_by, source=source,
        preset=inspection.preset.name if inspection.preset else None,
        rows_read=report.rows_read, rows_rejected=report.rows_rejected,
        batch_id=CHECK_BATCH_ID if check_only else None,
        export_date=inspection.layout.stamp, field_gaps=field_gaps(inspection, report),
    )
    result = load_rows(cur, validate.STAGING, meta)
    report.batch_id = result.batch_id
    report.rows_loaded = result.rows_loaded
    report.duplicates_skipped = result.duplicates_skipped
    if kind == DatasetKind.USERS:
        cur.execute(
            "UPDATE users SET is_integration = o.is_integration FROM integration_overrides o"
            " WHERE users.user_key = o.user_key AND users.batch_id = ?",
            [result.batch_id],
        )
    log_event(cur, imported_by, "import", str(result.batch_id), {
        "file": inspection.file_name, "kind": kind.value, "sha256": inspection.scan.sha256,
        "preset": meta.preset, "source": source, "rows_read": report.rows_read,
        "rows_loaded": report.rows_loaded, "rows_rejected": report.rows_rejected,
        "duplicates_skipped": report.duplicates_skipped,
    })


def _workbook_places(inspection: Inspection, sheet: SheetInfo, rejects: pd.DataFrame) -> None:
    """A workbook's rejects: ``line`` is the Excel row, ``cell`` the cell as Excel names it
    (``Sheet1!C17``). The sheet's copy has one line per record (blank rows left out), so the
    header is record ``header_line - 1`` and row ``n`` of the data record ``header + 1 + n``."""
    header_record = inspection.layout.header_line - 1
    column_of = {h: i for i, h in enumerate(inspection.layout.headers)}
    records = [header_record + 1 + int(o) for o in rejects["ordinal"]]
    rows = sheet.record_rows
    rejects.insert(0, "line", [rows[r] if r < len(rows) else 0 for r in records])
    rejects.insert(1, "cell", [
        sheet.cell(r, column_of.get(str(c), 0)) for r, c in zip(
            records, rejects["column"], strict=True)])


def _lines(inspection: Inspection, rows: int, ordinals: pd.Series) -> list[int]:
    """Line numbers (as a text editor shows them) of the rows with these ordinals.

    Usually row ``n`` is on line ``header + 1 + n``; blank lines or line breaks inside quoted
    values shift that, which the line count of the data part tells. Then the rows are counted
    once more with Python's csv module (streaming), only to number the rejected ones.
    """
    if ordinals.empty:
        return []
    src = inspection.source
    header_line = src.line_offset + src.skip + 1
    newlines, last = 0, b"\n"
    with src.path.open("rb") as handle:
        while chunk := handle.read(8 << 20):
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    physical = newlines - src.skip + (0 if last == b"\n" else 1)
    if physical == rows + 1:
        return [header_line + 1 + int(o) for o in ordinals]
    wanted = {int(o) for o in ordinals}
    found: dict[int, int] = {}
    csv.field_size_limit(sys.maxsize)
    with src.path.open("r", encoding="utf-8-sig", newline="") as text:
        for _ in range(src.skip):
            text.readline()
        reader = csv.reader(text, delimiter=src.delimiter, quotechar='"')
        next(reader, None)  # the header
        ordinal, line = 0, reader.line_num + 1
        for row in reader:
            if row:
                if ordinal in wanted:
                    found[ordinal] = header_line - 1 + line
                ordinal += 1
            line = reader.line_num + 1
    return [found.get(int(o), 0) for o in ordinals]
