"""What every ``crm-dash`` subcommand shares: output, errors and exit codes, the actor, arguments.

The command modules beside this one import from here and from the product, never from the
package's ``__init__`` (which imports them to build the parser): the dependencies point one way.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import Any, TypeAlias

import duckdb

from crm_dash import config, db
from crm_dash.errors import CrmDashError
from crm_dash.months import parse_month

#: A subcommand's handler: the parsed arguments in, the exit code out.
Handler = Callable[[argparse.Namespace], int]
#: Where a command module registers its subcommand (``add_parser``); a string because argparse's
#: class is generic only to type checkers.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def print_json(payload: Any) -> None:
    """Print ``payload`` as indented JSON on stdout (dates and paths as their text)."""
    print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    """Print the result of a command: ``payload`` as JSON with ``--json``, else ``text``."""
    if args.json:
        print_json(payload)
    else:
        print(text)


def print_error(error: CrmDashError) -> None:
    """Print an error's title and message on stderr, the one way the CLI reports a failure."""
    print(f"Error: {error.title}: {error.message}", file=sys.stderr)


def run_handler(args: argparse.Namespace) -> int:
    """Run the handler the parser chose and turn what it raises into the exit code.

    A :class:`CrmDashError` prints its message and exits with its code (1, or 75 for a busy
    database); Ctrl-C exits with 130. Anything else is a bug and shows its traceback.
    """
    handler: Handler = args.handler
    try:
        return handler(args)
    except CrmDashError as exc:
        print_error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def cli_actor() -> str:
    """Who made a change from the command line, as the audit columns record it."""
    return f"cli:{getpass.getuser()}"


def connect(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    """The database of ``--db``, created (and migrated) if it does not exist yet."""
    return db.connect(config.db_path(args.db))


def connect_existing(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    """The database of ``--db``; an error if there is none (a command that reads)."""
    return db.connect(config.existing_db_path(args.db))


def month_arg(value: str) -> date:
    """Argument type of ``YYYY-MM`` options: :func:`crm_dash.months.parse_month`."""
    try:
        return parse_month(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
