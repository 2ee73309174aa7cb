"""``crm-dash status`` and ``crm-dash migrate``: what the database holds, its schema."""

from __future__ import annotations

import argparse

from crm_dash import config, db
from crm_dash.cli.common import Subcommands, emit


def add_status_command(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Register ``crm-dash status`` on the subcommand parser ``sub``."""
    status = sub.add_parser("status", parents=[common], help="show what the database holds")
    status.set_defaults(handler=cmd_status)


def add_migrate_command(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Register ``crm-dash migrate`` on the subcommand parser ``sub``."""
    migrate = sub.add_parser("migrate", parents=[common], help="create or upgrade the database")
    migrate.set_defaults(handler=cmd_migrate)


def cmd_status(args: argparse.Namespace) -> int:
    """Print what the database holds."""
    from crm_dash.summary import data_summary

    target = config.existing_db_path(args.db)
    conn = db.connect(target)
    try:
        summary = data_summary(conn)
    finally:
        conn.close()
    lines = [f"Database {target}{' (demo)' if summary.is_demo else ''}"]
    lines.append(f"  people: {summary.people}  integration accounts: "
                 f"{summary.integration_accounts}  departments: {summary.departments}")
    for d in summary.datasets:
        span = f"{d.first} .. {d.last}" if d.first else "-"
        lines.append(f"  {d.kind.value:<9} rows: {d.rows:>10,}  uploads: {d.batches:>3}  {span}")
    emit(args, {"db": str(target), **summary.model_dump(mode="json")}, "\n".join(lines))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Create the database or bring its schema up to date."""
    target = config.db_path(args.db)
    conn = db.connect(target)
    try:
        versions = db.applied_versions(conn)
    finally:
        conn.close()
    emit(args, {"db": str(target), "schema_versions": versions},
         f"{target}: schema versions {versions}")
    return 0
