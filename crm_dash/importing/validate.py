"""Typed rows and rejects, computed in DuckDB in one pass over the file.

The file is read with ``read_csv`` (every column as text, the detected delimiter); one
``CREATE TABLE`` (in the import's scratch database, :mod:`crm_dash.importing.scratch`) casts
each mapped column in its detected format. Label columns (actions,
statuses, yes/no) are mapped onto canonical values in the view of the rows to load, through the
few distinct values the file holds; why a value cannot be used is a SQL expression over the same
table, so valid rows and rejects are queries on it: no Python loop ever sees the rows.

Column names in the SQL are positional (``c0``, ``c1``, ...): the file's own header names never
reach SQL text; they travel as ``?`` parameters where a reject names its column. The distinct
label values do, as SQL string literals with their quotes doubled (:func:`labels.sql_literal`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from crm_dash.datasets import DATASETS, DatasetKind, FieldSpec, FieldType, normalise_header
from crm_dash.importing import labels as lbl
from crm_dash.importing.parse import (
    ValueFormat,
    date_sql,
    detect_date_format,
    detect_number_format,
    is_plain_yes_no,
    number_sql,
)
from crm_dash.importing.presets import Preset
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.sniff import MAX_LINE_BYTES, line_at_offset

TYPED = "crm_dash_import_typed"  # a temp view of the typed rows (see build_typed)
_TYPED_ROWS = "crm_dash_import_typed_rows"  # the temp table behind it without a scratch file
STAGING = "crm_dash_import_staging"
SAMPLE_ROWS = 20_000
YES_NO_LABEL = "yes/no (true/false, ja/nein, 1/0)"

# What DuckDB raises for a file it cannot read. NotImplementedException: a record longer than the
# parallel reader's buffer (a quoted value over many physical lines; :class:`LineLengths`
# refuses long physical lines before DuckDB reads the file).
_UNREADABLE = (duckdb.InvalidInputException, duckdb.ConversionException,
               duckdb.NotImplementedException)

# Values outside the labels: the default, or a reject when ``None``.
_UNKNOWN_LABEL: dict[tuple[DatasetKind, str], str | None] = {
    (DatasetKind.USAGE, "action"): "other",
    (DatasetKind.TRAINING, "kind"): "other",
    (DatasetKind.TRAINING, "status"): None,
}
# Owners and learners of deactivated accounts: "anna@x.com (Deactivated User)".
_DEACTIVATED = r"\s*\((deactivated user|deaktivierte[rn]? benutzer|inactive|inaktiv)\)$"


@dataclass(frozen=True)
class CsvSource:
    """A UTF-8 file DuckDB reads, and where its lines are in the file the user has."""

    path: Path
    skip: int  # lines before the header in ``path``
    line_offset: int  # lines of the user's file before the first line of ``path``
    delimiter: str
    width: int
    #: A workbook's sheet (:mod:`crm_dash.importing.workbook`): plain numbers in a date column
    #: may be Excel serial dates.
    workbook: bool = False

    def read_sql(self, *, diagnose: bool = False) -> str:
        """``read_csv(?, ...)``: every column as text; ``?`` is the path."""
        columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(self.width))
        delimiter = {"\t": "\\t"}.get(self.delimiter, self.delimiter)
        extra = (
            ", ignore_errors = true, store_rejects = true,"
            " rejects_table = 'crm_dash_csv_errors', rejects_scan = 'crm_dash_csv_scans'"
            if diagnose else ""
        )
        return (
            f"read_csv(?, header = true, skip = {int(self.skip)}, delim = E'{delimiter}',"
            f" quote = '\"', escape = '\"', auto_detect = false, columns = {{{columns}}},"
            f" max_line_size = {MAX_LINE_BYTES}, encoding = 'utf-8'{extra})"
        )


@dataclass(frozen=True)
class FieldPlan:
    """How one canonical field is filled: from which column, in which format."""

    spec: FieldSpec
    header: str | None
    column: int | None
    fmt: ValueFormat | None = None
    strict_yes_no: bool = False
    constant: str | None = None
    first_column: int | None = None  # action only: the column whose codes decide first
    trim: bool = True  # values padded with spaces (trimming ten million values costs)

    @property
    def format_label(self) -> str | None:
        if self.fmt is not None:
            return self.fmt.label
        return YES_NO_LABEL if self.strict_yes_no else None


def plan_fields(
    cur: duckdb.DuckDBPyConnection,
    source: CsvSource,
    kind: DatasetKind,
    headers: tuple[str, ...],
    mapping: Mapping[str, str],
    preset: Preset | None,
    constants: Mapping[str, str] | None = None,
) -> list[FieldPlan]:
    """One plan per canonical field, formats decided from a sample of the file; a field without
    a column takes its value from ``constants`` (default: the preset's), if there.

    A column is trimmed only if its sample shows padded values: the CSV reader keeps spaces,
    and trimming every value of ten million rows is a third of the typing work.
    """
    spec = DATASETS[kind]
    index = {h: i for i, h in enumerate(headers)}
    samples = _samples(cur, source, sorted({index[h] for h in mapping.values()}))
    plans: list[FieldPlan] = []
    for f in spec.fields:
        header = mapping.get(f.name)
        column = index[header] if header is not None else None
        if constants is None:
            constants = preset.constants if preset is not None else {}
        constant = constants.get(f.name) if header is None else None
        fmt: ValueFormat | None = None
        strict = False
        if column is not None:
            sample = samples.get(column, [])
            if f.type in (FieldType.DATE, FieldType.TIMESTAMP):
                fmt = detect_date_format(sample)
                if source.workbook and any(_PLAIN_NUMBER.fullmatch(v.strip()) for v in sample):
                    fmt = serial_date_format(fmt, plausible=_all_serial(cur, source, column))
            elif f.type == FieldType.DECIMAL:
                fmt = detect_number_format(sample, decimal_comma_hint=source.delimiter == ";")
            elif f.type == FieldType.BOOLEAN and f.name != "success":
                strict = is_plain_yes_no(sample)
        first = None
        if f.name == "action" and preset is not None and preset.action_first is not None:
            first = next((i for i, h in enumerate(headers)
                          if normalise_header(h) == preset.action_first[0]), None)
        padded = column is not None and any(v != v.strip() for v in samples.get(column, []))
        plans.append(FieldPlan(f, header, column, fmt, strict, constant, first, padded))
    return plans


def serial_date_format(fmt: ValueFormat, *, plausible: bool) -> ValueFormat:
    """A workbook's date column that holds plain numbers: read them as Excel serial dates when
    every one lies in 1990-2100 (besides the text dates in ``fmt``), else they stay rejects
    whose reason says why."""
    from crm_dash.importing.workbook import serial_date_sql

    if not plausible:
        return ValueFormat(fmt.key, f"{fmt.label}; {SERIAL_OUTSIDE_LABEL}", fmt.sql)
    return ValueFormat("excel_serial", f"{fmt.label} / {SERIAL_LABEL}",
                       f"coalesce({fmt.sql}, {serial_date_sql('$v')})")


def _all_serial(cur: duckdb.DuckDBPyConnection, source: CsvSource, column: int) -> bool:
    """Whether every plain number in the column (all rows, in DuckDB) is a plausible Excel
    serial date."""
    from crm_dash.importing.workbook import SERIAL_MAX, SERIAL_MIN

    v = f"trim(c{column})"
    row = _read(cur, source, f"SELECT bool_and(TRY_CAST({v} AS DOUBLE) BETWEEN {SERIAL_MIN}"
                f" AND {SERIAL_MAX + 1}) FROM {source.read_sql()}"
                f" WHERE regexp_full_match({v}, '[0-9]+(\\.[0-9]+)?')")
    return bool(row and row[0][0])


_PLAIN_NUMBER = re.compile(r"\d+(\.\d+)?")
SERIAL_LABEL = "Excel serial date (1990-2100)"
SERIAL_OUTSIDE_LABEL = "numbers here are no Excel serial dates: not all lie in 1990-2100"


def _samples(
    cur: duckdb.DuckDBPyConnection, source: CsvSource, columns: list[int]
) -> dict[int, list[str]]:
    """Up to :data:`SAMPLE_ROWS` values per column (as written) from the top of the file.

    A column without a value at the top is sampled further down (this reads on until values
    appear).
    """
    if not columns:
        return {}
    select = ", ".join(f"c{i}" for i in columns)
    rows = _read(cur, source, f"SELECT {select} FROM {source.read_sql()} LIMIT {SAMPLE_ROWS}")
    samples = {c: [str(r[k]) for r in rows if r[k] is not None] for k, c in enumerate(columns)}
    for column, values in samples.items():
        if not any(v.strip() for v in values):
            found = _read(cur, source, f"SELECT c{column} FROM {source.read_sql()}"
                          f" WHERE nullif(trim(c{column}), '') IS NOT NULL LIMIT 1000")
            values.extend(str(r[0]) for r in found)
    return samples


def _read(cur: duckdb.DuckDBPyConnection, source: CsvSource, query: str) -> list[Any]:
    """Rows of a query over the file; a file DuckDB cannot read becomes an ImportProblem."""
    try:
        return cur.execute(query, [str(source.path)]).fetchall()
    except _UNREADABLE as exc:
        raise diagnose(cur, source, exc) from None


def _value(column: int, trim: bool = True) -> str:
    return f"nullif(trim(r.c{column}), '')" if trim else f"r.c{column}"


def _labels(kind: DatasetKind, name: str, preset: Preset | None) -> dict[str, str] | None:
    """The labels of a field whose values are words mapped onto canonical ones, else ``None``."""
    base = lbl.FIELD_LABELS.get((kind, name))
    if base is None:
        return None
    labels = dict(base)
    if preset is not None:
        labels.update(preset.values.get(name, {}))
    return labels


def _stage_one_sql(kind: DatasetKind, plan: FieldPlan) -> str:
    """SQL for the typed table's column of a mapped field (label fields stay text here)."""
    assert plan.column is not None
    f, v = plan.spec, _value(plan.column, plan.trim)
    if f.type in (FieldType.DATE, FieldType.TIMESTAMP) and plan.fmt is not None:
        expr = date_sql(plan.fmt, v)
        return f"CAST({expr} AS DATE)" if f.type == FieldType.DATE else expr
    if f.type == FieldType.DECIMAL and plan.fmt is not None:
        return number_sql(plan.fmt, v)
    if (kind, f.name) in ((DatasetKind.PIPELINE, "owner"), (DatasetKind.TRAINING, "user")):
        return f"regexp_replace({v}, '{_DEACTIVATED}', '', 'i')"
    if f.name == "currency":  # Dynamics exports the currency's name: "Euro"
        return lbl.case_sql(v, lbl.CURRENCY_NAMES, v)
    return v


def build_typed(
    cur: duckdb.DuckDBPyConnection,
    source: CsvSource,
    kind: DatasetKind,
    plans: list[FieldPlan],
    preset: Preset | None,
    *,
    into: str | None = None,
) -> None:
    """Read the file once into a table of typed values (label fields still as text), seen
    through the temp view :data:`TYPED`.

    The table is ``into`` (a table of a scratch database, see :mod:`scratch`: stored
    compressed) or else a temp table. A date or number field also gets ``r_<field>``: the value
    as written, on rows where it does not parse only. Column ``ordinal`` is the record's
    position in the file.
    """
    values: list[str] = []
    kept: list[str] = []
    for plan in plans:
        if plan.column is None:
            continue
        name = plan.spec.name
        values.append(f"{_stage_one_sql(kind, plan)} AS {name}")
        kept.append(name)
        if plan.fmt is not None:
            values.append(f"{_value(plan.column, plan.trim)} AS v_{name}")
            kept.append(f"CASE WHEN {name} IS NULL THEN v_{name} END AS r_{name}")
    action = next((p for p in plans if p.spec.name == "action"), None)
    if action is not None and action.column is not None and action.first_column is not None:
        values.append(f"{_value(action.first_column)} AS action_first")
        kept.append("action_first")
    if not values:
        values.append("NULL AS nothing")
        kept.append("nothing")
    table = into or _TYPED_ROWS
    cur.execute(f"DROP VIEW IF EXISTS {TYPED}")
    cur.execute(f"DROP TABLE IF EXISTS {table}")
    try:
        cur.execute(  # in file order: rowid is the record's position
            f"CREATE {'TABLE' if into else 'TEMP TABLE'} {table} AS SELECT {', '.join(kept)}"
            f" FROM (SELECT {', '.join(values)} FROM {source.read_sql()} r) t",
            [str(source.path)],
        )
    except _UNREADABLE as exc:
        raise diagnose(cur, source, exc) from None
    cur.execute(f"CREATE OR REPLACE TEMP VIEW {TYPED} AS SELECT rowid AS ordinal, * FROM {table}")


@dataclass(frozen=True)
class Check:
    """A way a field's value is rejected: SQL for the reason code and for the raw value."""

    reason_sql: str
    raw_sql: str


@dataclass(frozen=True)
class Staging:
    """The canonical columns handed to the store, and the checks a valid row passes."""

    columns: list[str]
    checks: dict[str, Check]
    unknown: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # label -> rows


_MAX_PRESENT_LABELS = 64  # more distinct values than this: the whole vocabulary as CASE


def plan_staging(
    cur: duckdb.DuckDBPyConnection,
    kind: DatasetKind,
    plans: list[FieldPlan],
    preset: Preset | None,
    value_labels: Mapping[str, Mapping[str, str]] | None = None,
) -> Staging:
    """The canonical columns over the typed table, label fields mapped onto canonical values.

    Label fields are mapped through the distinct values that occur in the file (a few, mostly),
    which keeps the ``CASE`` short for ten million rows; Python only sees those distinct values,
    found for all label fields in one scan of the typed table. ``value_labels`` are a person's
    choices for labels the vocabulary does not know (``{field: {label: canonical}}``); the
    labels still unknown are listed in :attr:`Staging.unknown`.
    """
    columns: list[str] = []
    checks: dict[str, Check] = {}
    unknown: dict[str, list[tuple[str, int]]] = {}
    by_name = {p.spec.name: p for p in plans}
    present = _present_values(cur, [p.spec.name for p in plans if p.column is not None
                                    and _labels(kind, p.spec.name, preset) is not None])
    for plan in plans:
        name = plan.spec.name
        if plan.column is None:
            if plan.constant is not None:
                columns.append(f"{lbl.sql_literal(plan.constant)} AS {name}")
            continue
        if plan.fmt is not None:
            required = f" WHEN {name} IS NULL THEN 'required'" if plan.spec.required else ""
            checks[name] = Check(f"CASE WHEN r_{name} IS NOT NULL THEN 'format'{required} END",
                                 f"r_{name}")
        elif plan.spec.required:
            checks[name] = Check(f"CASE WHEN {name} IS NULL THEN 'required' END", "NULL")
        labels = _labels(kind, name, preset)
        if labels is None:
            columns.append(name)
            continue
        chosen = (value_labels or {}).get(name, {})
        labels.update({label.strip().lower(): value for label, value in chosen.items()})
        if present[name] is not None:
            unknown[name] = [(label, rows) for label, rows in unknown_labels(
                labels, present[name] or []) if not (name == "is_integration"
                                                     and lbl.integration_phrase(label))]
        expr, rejects = _label_sql(cur, kind, plan, labels, present[name])
        if rejects:
            checks[name] = Check(f"CASE WHEN {name} IS NOT NULL AND ({expr}) IS NULL THEN"
                                 f" '{'format' if plan.strict_yes_no else 'label'}' END", name)
        if name == "action":
            if plan.first_column is not None and preset is not None and preset.action_first:
                expr = lbl.case_sql("action_first", preset.action_first[1], expr)
            columns.append(f"{name} AS source_action")
        if name == "is_integration":
            expr = f"coalesce({expr}, false)"
        columns.append(f"{expr} AS {name}")
    if kind == DatasetKind.USERS:
        columns = _integration_from_roles(columns, by_name)
    return Staging(columns=columns, checks=checks,
                   unknown={n: v for n, v in unknown.items() if v})


def unknown_labels(
    labels: Mapping[str, str], present: list[tuple[str, str, int]]
) -> list[tuple[str, int]]:
    """The values of ``present`` that no label resolves, with their rows, most frequent first
    (spellings that differ only in case or spaces are one)."""
    counts: dict[str, int] = {}
    spellings: dict[str, list[tuple[int, str]]] = {}
    for raw, low, rows in present:
        if lbl.resolve_label(labels, raw) is None:
            key = low.strip()
            counts[key] = counts.get(key, 0) + rows
            spellings.setdefault(key, []).append((-rows, raw.strip()))
    shown = {k: min(v)[1] for k, v in spellings.items()}  # the most frequent spelling
    return sorted(((shown[k], n) for k, n in counts.items()), key=lambda kv: (-kv[1], kv[0]))


_MAX_RAW_LABELS = 1024  # distinct values as written; more: found again lower-cased


def _present_values(
    cur: duckdb.DuckDBPyConnection, names: list[str]
) -> dict[str, list[tuple[str, str, int]] | None]:
    """``{field: [(value as written, lower-cased, rows), ...]}`` for the label fields
    ``names``.

    One scan of the typed table groups every field at once (``GROUPING SETS``), on the values as
    written: lower-casing happens on the few distinct values, not on every row. A field with more
    than :data:`_MAX_RAW_LABELS` distinct values gets ``None``.
    """
    if not names:
        return {}
    which = " ".join(f"WHEN grouping({n}) = 0 THEN {i}" for i, n in enumerate(names))
    sets = ", ".join(f"({n})" for n in names)
    rows = cur.execute(
        f"SELECT f, v, lower(v), n FROM (SELECT CASE {which} END AS f,"
        f" coalesce({', '.join(names)}) AS v, count(*) AS n FROM {TYPED}"
        f" GROUP BY GROUPING SETS ({sets}))"
        f" WHERE v IS NOT NULL QUALIFY row_number() OVER (PARTITION BY f) <= {_MAX_RAW_LABELS + 1}"
    ).fetchall()
    found: dict[str, list[tuple[str, str, int]] | None] = {n: [] for n in names}
    for index, raw, lowered, count in rows:
        values = found[names[int(index)]]
        assert values is not None
        values.append((str(raw), str(lowered), int(count)))
    return {n: None if v is not None and len(v) > _MAX_RAW_LABELS else v
            for n, v in found.items()}


def _label_sql(
    cur: duckdb.DuckDBPyConnection,
    kind: DatasetKind,
    plan: FieldPlan,
    labels: dict[str, str],
    present: list[tuple[str, str, int]] | None,
) -> tuple[str, bool]:
    """SQL mapping a label column onto canonical values, and whether unknown values fail.

    ``present`` are the column's distinct values (as written, lower-cased), ``None`` when there
    are too many to list. With at most :data:`_MAX_PRESENT_LABELS` lower-cased values, the
    ``CASE`` lists the values as written (no ``lower`` per row), matched without case and the
    spaces around them; with more, the whole vocabulary is matched on ``lower(value)``.
    """
    name = plan.spec.name
    by_value: dict[str, str] | None = None
    if present is not None and len({low for _, low, _ in present}) <= _MAX_PRESENT_LABELS:
        by_value = {raw: canonical for raw, _, _ in present
                    if (canonical := lbl.resolve_label(labels, raw)) is not None}
    elif present is None:  # too many values as written: count them lower-cased
        rows = cur.execute(
            f"SELECT DISTINCT lower({name}) FROM {TYPED} WHERE {name} IS NOT NULL"
            f" LIMIT {_MAX_PRESENT_LABELS + 1}"
        ).fetchall()
        lowered = [str(r[0]) for r in rows]
        if len(lowered) <= _MAX_PRESENT_LABELS:  # matched without the spaces around them
            labels = {v: labels[v.strip()] for v in lowered if v.strip() in labels}

    boolean = plan.spec.type == FieldType.BOOLEAN

    def case(default: str) -> str:
        if by_value is not None:
            return lbl.case_sql(name, by_value, default, lower=False, boolean=boolean)
        return lbl.case_sql(name, labels, default, boolean=boolean)

    if boolean:
        default = "CAST(NULL AS BOOLEAN)" if plan.strict_yes_no else "false"
        return case(default), plan.strict_yes_no
    unknown = _UNKNOWN_LABEL.get((kind, name))
    return case("NULL" if unknown is None else lbl.sql_literal(unknown)), unknown is None


def _integration_from_roles(columns: list[str], plans: dict[str, FieldPlan]) -> list[str]:
    """Integration and system accounts by the phrases of :data:`labels.INTEGRATION_PHRASES` in
    their role or profile, licence, or user type / access mode text."""
    pattern = "|".join(lbl.INTEGRATION_PHRASES)
    parts = []
    for name in ("role", "license_type", "is_integration"):
        plan = plans.get(name)
        if plan is not None and plan.column is not None:
            letters = f"regexp_replace(lower({name}), '[^a-zäöüß]', '', 'g')"
            parts.append(f"coalesce(regexp_matches({letters}, '{pattern}'), false)")
    if not parts:
        return columns
    flag = next((c for c in columns if c.endswith(" AS is_integration")), None)
    rule = " OR ".join(parts)
    if flag is None:
        return [*columns, f"({rule}) AS is_integration"]
    expr = flag.removesuffix(" AS is_integration")
    return [c if c != flag else f"({expr} OR {rule}) AS is_integration" for c in columns]


def create_staging(cur: duckdb.DuckDBPyConnection, staging: Staging, *, any_rejects: bool) -> None:
    """The view of the rows to load: all rows, or (with rejects) those that pass every check."""
    ok = " AND ".join(f"({c.reason_sql}) IS NULL" for c in staging.checks.values())
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW {STAGING} AS SELECT {', '.join(staging.columns)}"
        f" FROM {TYPED} WHERE {ok if any_rejects and ok else 'true'}"
    )


def diagnose(
    cur: duckdb.DuckDBPyConnection, source: CsvSource, exc: Exception
) -> ImportProblem:
    """Why DuckDB could not read the file, with the line numbers the user sees."""
    cur.execute("DROP TABLE IF EXISTS crm_dash_csv_errors")
    cur.execute("DROP TABLE IF EXISTS crm_dash_csv_scans")
    try:
        cur.execute(f"SELECT count(*) FROM {source.read_sql(diagnose=True)}",
                    [str(source.path)]).fetchall()
        rows = cur.execute(
            "SELECT min(line_byte_position), error_type, any_value(csv_line)"
            " FROM crm_dash_csv_errors GROUP BY line, error_type"
            " ORDER BY min(line_byte_position) LIMIT 5"
        ).fetchall()
    except duckdb.Error:
        rows = []
    if not rows:
        return ImportProblem("unreadable", detail=str(exc).splitlines()[0][:200])
    lines = [line_of_offset(source.path, int(r[0])) + source.line_offset for r in rows]
    error_type = str(rows[0][1])
    listed = ", ".join(str(n) for n in lines)
    if error_type == "LINE SIZE OVER MAXIMUM":
        return ImportProblem("line_too_long", line=lines[0], limit_mb=f"{MAX_LINE_BYTES / 2**20:g}")
    if error_type in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
        return ImportProblem("ragged", lines=listed, width=source.width)
    if error_type == "UNQUOTED VALUE":
        return ImportProblem("quotes", lines=listed)
    return ImportProblem("unreadable", detail=f"{error_type} (line {lines[0]})")


def line_of_offset(path: Path, offset: int) -> int:
    """1-based line of the byte ``offset`` of ``path`` (read in chunks: bounded memory)."""
    return line_at_offset(path, offset)


def reject_counts(cur: duckdb.DuckDBPyConnection, staging: Staging) -> tuple[int, int]:
    """``(rows read, rows with at least one reject)``."""
    failing = " OR ".join(f"({c.reason_sql}) IS NOT NULL" for c in staging.checks.values())
    row = cur.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {failing or 'false'}) FROM {TYPED}"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def reject_rows(
    cur: duckdb.DuckDBPyConnection, plans: list[FieldPlan], staging: Staging, limit: int
) -> pd.DataFrame:
    """Rejects, one per row and column, in file order: ordinal, column (the file's header),
    field (the canonical one it fills), value, reason, format."""
    by_name = {p.spec.name: p for p in plans}
    if not staging.checks:
        return pd.DataFrame(columns=["ordinal", "column", "field", "value", "reason", "format"])
    parts = []
    params: list[object] = []
    for name, check in staging.checks.items():
        plan = by_name[name]
        parts.append(
            f"SELECT ordinal, ? AS \"column\", ? AS field,"
            f" coalesce({check.raw_sql}, '') AS value, {check.reason_sql} AS reason, ? AS format"
            f" FROM {TYPED} WHERE ({check.reason_sql}) IS NOT NULL"
        )
        params += [plan.header, name, plan.format_label or ""]
    query = " UNION ALL ".join(parts) + f" ORDER BY ordinal, \"column\" LIMIT {int(limit)}"
    return cur.execute(query, params).df()
