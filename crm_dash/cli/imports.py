"""``crm-dash import FILE --kind ...``: the importer for large files and automation.

Contract (keep it stable): with ``--json`` stdout gets exactly
``{"batch_id", "kind", "status", "rows_read", "rows_loaded", "rows_rejected",
"duplicates_skipped", "mapping": {field: {"column", "confidence", "level", "evidence"}},
"unmapped_fields", "unused_columns", "warnings", "rejects": [{"line", "column", "value",
"reason"}, ... first 100]}`` (a workbook's rejects also carry ``"cell"``, ``Sheet1!C17``,
and ``"line"`` is the Excel row) with status ``loaded``, ``already_imported`` or ``failed``; every
failure prints that payload, status ``failed`` (with the proposed mapping once the file was
read). Exit code 0 when the file is loaded or was loaded before, 1 when nothing was loaded (a
bad file, a missing or unknown field in the mapping, more rejected rows than
``--max-reject-rate``), 75 when another process holds the database (try again later), 2 for
bad usage (argparse's errors, which print no payload, an unknown
``--preset``, a ``--label`` for a field without labels or with a value it does not take).
``--map FIELD=COLUMN`` finds COLUMN ignoring case and surrounding spaces when the file has
exactly one such header (an exact match wins); ``--label FIELD:LABEL=VALUE`` says what a source
label means. Messages go to stderr.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from crm_dash.cli.common import Subcommands, cli_actor, connect, print_error, print_json
from crm_dash.datasets import DATASETS, DatasetKind
from crm_dash.errors import ConfigError, CrmDashError
from crm_dash.i18n import t
from crm_dash.importing.labels import label_values
from crm_dash.importing.presets import presets_for
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.run import (
    ImportReport,
    Inspection,
    describe_mapping,
    inspect_file,
    named_preset,
    run_import,
)


def _field_map(value: str) -> tuple[str, str]:
    field, sep, column = value.partition("=")
    if not sep or not field.strip() or not column.strip():
        raise argparse.ArgumentTypeError(f"expected FIELD=COLUMN, got {value!r}")
    return field.strip(), column.strip()


def _label_choice(value: str) -> tuple[str, str, str]:
    field, sep, rest = value.partition(":")
    label, eq, canonical = rest.rpartition("=")
    if not sep or not eq or not field.strip() or not label.strip() or not canonical.strip():
        raise argparse.ArgumentTypeError(f"expected FIELD:LABEL=VALUE, got {value!r}")
    return field.strip(), label.strip(), canonical.strip()


def _rate(value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a share such as 0.01, got {value!r}") from None
    if not 0 <= rate <= 1:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1, got {value!r}")
    return rate


def add_import_command(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Register ``import`` on the ``crm-dash`` parser."""
    names = sorted({p.name for kind in DatasetKind for p in presets_for(kind)})
    cmd = sub.add_parser(
        "import", parents=[common], help="import a CSV export or Excel workbook (any size)",
        description="Import one CSV export or Excel workbook (.xlsx, .xls, .xlsb, .ods) as a "
        "batch: detect its format, map its columns, validate in DuckDB and load the valid rows "
        "in one transaction.",
    )
    cmd.add_argument("file", metavar="FILE", type=Path)
    cmd.add_argument("--sheet", metavar="NAME",
                     help="a workbook's sheet to import (default: the first visible sheet "
                     "with data)")
    cmd.add_argument("--kind", required=True, choices=[k.value for k in DatasetKind],
                     help="which dataset the file holds")
    cmd.add_argument("--preset", metavar="NAME",
                     help=f"a known export layout (default: recognised from the headers): "
                     f"{', '.join(names)}")
    cmd.add_argument("--map", metavar="FIELD=COLUMN", type=_field_map, action="append",
                     default=[], help="map a field to a column (repeatable); wins over the preset")
    cmd.add_argument("--label", metavar="FIELD:LABEL=VALUE", type=_label_choice,
                     action="append", default=[],
                     help="what a source label means, e.g. action:Freigeben=update or "
                     "status:entschuldigt=no_show (repeatable)")
    cmd.add_argument("--max-reject-rate", type=_rate, default=0.01, metavar="SHARE",
                     help="load the valid rows only if at most this share of rows is rejected "
                     "(default 0.01)")
    cmd.set_defaults(handler=cmd_import)


#: Problems that are bad usage of the command (exit code 2), not a file that cannot be loaded.
USAGE_PROBLEMS = frozenset({"unknown_preset", "unknown_label_field", "unknown_label_value"})


def cmd_import(args: argparse.Namespace) -> int:
    """Import FILE; print the report; exit 1 when nothing was loaded, 2 for an unknown preset.

    Every failure prints the same report (with ``--json`` the same keys, status ``failed``) and
    its reason on stderr.
    """
    kind = DatasetKind(args.kind)
    error: CrmDashError | None
    try:
        report = _import(args, kind)
        error = report.problem
    except CrmDashError as exc:  # a bad argument, no such file, a database that cannot be opened
        report = ImportReport(kind=kind, file_name=args.file.name, status="failed",
                              problem=exc if isinstance(exc, ImportProblem) else None)
        error = exc
    _print(args, report, error)
    if isinstance(error, ImportProblem) and error.code in USAGE_PROBLEMS:
        return 2
    if error is not None and error.exit_code != 1:  # the database is busy: 75
        return error.exit_code
    return 0 if report.status in ("loaded", "already_imported") else 1


def _import(args: argparse.Namespace, kind: DatasetKind) -> ImportReport:
    """Check the arguments, then inspect and import the file; a file that cannot be loaded
    gives a failed report."""
    fields = DATASETS[kind].field_names
    unknown = sorted({f for f, _ in args.map} - set(fields))
    if unknown:
        raise ImportProblem("unknown_fields", fields=", ".join(unknown), known=", ".join(fields))
    _check_labels(kind, args.label)
    if args.preset is not None:
        named_preset(kind, args.preset)  # bad usage: found out before anything is read
    if not args.file.is_file():
        raise ConfigError(f"No file at {args.file}.")
    conn = connect(args)
    try:
        with tempfile.TemporaryDirectory(prefix="crm-dash-import-") as workdir:
            inspection: Inspection | None = None
            try:
                inspection = inspect_file(conn, args.file, kind, Path(workdir),
                                          preset_name=args.preset, sheet=args.sheet)
                mapping = {**inspection.mapping,
                           **{f: inspection.header_named(c) for f, c in args.map}}
                # No activity rebuild here: automation imports several logs in a row, and the
                # next report or page view rebuilds once for all of them.
                labels = {name: dict(chosen) for name, chosen in inspection.value_labels.items()}
                for name, label, canonical in args.label:
                    labels.setdefault(name, {})[label.lower()] = canonical
                return run_import(conn, inspection, mapping=mapping, imported_by=cli_actor(),
                                  source="cli", max_reject_rate=args.max_reject_rate,
                                  value_labels=labels)
            except ImportProblem as problem:
                failed = ImportReport(kind=kind, file_name=args.file.name, status="failed",
                                      problem=problem)
                if inspection is not None:  # what was proposed, to fix the --map with
                    describe_mapping(failed, inspection, inspection.mapping)
                return failed
    finally:
        conn.close()


def _check_labels(kind: DatasetKind, choices: list[tuple[str, str, str]]) -> None:
    """``--label`` names a label field of ``kind`` and one of its canonical values."""
    for name, _, canonical in choices:
        allowed = label_values(kind, name)
        if allowed is None:
            raise ImportProblem("unknown_label_field", field=name, kind=kind.value, known=", ".join(
                f for f in DATASETS[kind].field_names if label_values(kind, f) is not None))
        if canonical not in allowed:
            raise ImportProblem("unknown_label_value", field=name, value=canonical,
                                known=", ".join(allowed))


def _print(args: argparse.Namespace, report: ImportReport, error: CrmDashError | None) -> None:
    payload: dict[str, Any] = report.to_json()
    if error is not None:
        print_error(error)
    if args.json:
        print_json(payload)
        return
    lines = [f"{report.file_name}: {payload['status']}"
             + (f" (batch {report.batch_id})" if report.batch_id else "")]
    if report.status == "already_imported":
        lines.append(f"  This file was imported before as batch {report.batch_id}; nothing loaded.")
    lines.append(f"  rows read {report.rows_read:,}, loaded {report.rows_loaded:,}, "
                 f"rejected {report.rows_rejected:,}, duplicates skipped "
                 f"{report.duplicates_skipped:,}")
    if not report.rejects.empty:
        lines.append(f"  first rejects ({t('import.col.line', 'en')}, "
                     f"{t('import.col.column', 'en')}, {t('import.col.value', 'en')}, "
                     f"{t('import.col.reason', 'en')}):")
        lines += [f"    {r.get('cell', r['line'])}, {r['column']}, {r['value']!r}, {r['reason']}"
                  for r in payload["rejects"][:20]]
    print("\n".join(lines))
