"""The ``crm-dash`` command line: demo data, starting the app, automation.

Contract (used for automation, keep it stable): every subcommand takes ``--db PATH``; with
``--json`` it prints JSON to stdout, otherwise text for people; errors go to stderr with exit
code 1, bad usage exits with 2, and a database that another process holds (the running app,
another import) exits with 75 (EX_TEMPFAIL: try again later), whatever the subcommand.

``crm-dash import FILE --kind users|usage|pipeline|training [--preset NAME]
[--map FIELD=COLUMN ...] [--max-reject-rate 0.01]`` prints (with ``--json``) ``{"batch_id",
"kind", "status" ("loaded"|"already_imported"|"failed"), "rows_read", "rows_loaded",
"rows_rejected", "duplicates_skipped", "rejects": [{"line", "column", "value", "reason"}, ...
first 100]}`` and exits 1 when nothing was loaded (see :mod:`crm_dash.cli.imports`).

``crm-dash report --month YYYY-MM [--department NAME]`` prints (with ``--json``) ``{"month",
"department", "licensed", "excluded_integration", "segments": {"productive", "sporadic",
"barely", "never", "new"}, "active_users", "stickiness"}`` (see :mod:`crm_dash.cli.report`).

``crm-dash check [--lang en|de]`` prints the data-health report and exits 0 when nothing needs
attention, 1 otherwise (see :mod:`crm_dash.cli.check`).

Layout: this module builds the parser and holds :func:`main`, the console script's entry point;
one module per command (group) registers its subcommand with an ``add_*_command`` function;
what they share (output, errors and exit codes, the actor, argument types) is in
:mod:`crm_dash.cli.common`. Nothing imports this module but the entry points (``pyproject.toml``,
``python -m crm_dash.cli``); ``tests/unit/test_architecture.py`` keeps it so.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from crm_dash.cli.check import add_check_command
from crm_dash.cli.common import run_handler
from crm_dash.cli.database import add_migrate_command, add_status_command
from crm_dash.cli.demo import add_demo_command
from crm_dash.cli.goals import add_goal_command
from crm_dash.cli.imports import add_import_command
from crm_dash.cli.report import add_report_command
from crm_dash.cli.run import add_run_command
from crm_dash.cli.users import add_user_command


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``crm-dash`` with all subcommands."""
    parser = argparse.ArgumentParser(
        prog="crm-dash", description="CRM adoption dashboard: demo data, app, automation."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="DuckDB file (default: $CRM_DASH_DB or data/crm.duckdb)")
    common.add_argument("--json", action="store_true", help="print JSON to stdout")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # The order here is the order of ``crm-dash --help``.
    add_demo_command(sub, common)
    add_status_command(sub, common)
    add_import_command(sub, common)
    add_goal_command(sub, common)
    add_report_command(sub, common)
    add_check_command(sub, common)
    add_migrate_command(sub, common)
    add_user_command(sub, common)
    add_run_command(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``crm-dash`` console script."""
    return run_handler(build_parser().parse_args(argv))
