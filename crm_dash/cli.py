"""The ``crm-dash`` command line: demo data, starting the app, automation.

Contract (used for automation, keep it stable): every subcommand takes ``--db PATH``; with
``--json`` it prints JSON to stdout, otherwise text for people; errors go to stderr with exit
code 1, bad usage exits with 2, and a database that another process holds (the running app,
another import) exits with 75 (EX_TEMPFAIL: try again later), whatever the subcommand.

``crm-dash import FILE --kind users|usage|pipeline|training [--preset NAME]
[--map FIELD=COLUMN ...] [--max-reject-rate 0.01]`` prints (with ``--json``) ``{"batch_id",
"kind", "status" ("loaded"|"already_imported"|"failed"), "rows_read", "rows_loaded",
"rows_rejected", "duplicates_skipped", "rejects": [{"line", "column", "value", "reason"}, ...
first 100]}`` and exits 1 when nothing was loaded (see :mod:`crm_dash.importing.cli`).

``crm-dash report --month YYYY-MM [--department NAME]`` prints (with ``--json``) ``{"month",
"department", "licensed", "excluded_integration", "segments": {"productive", "sporadic",
"barely", "never", "new"}, "active_users", "stickiness"}`` (see :mod:`crm_dash.metrics.cli`).

``crm-dash check [--lang en|de]`` prints the data-health report and exits 0 when nothing needs
attention, 1 otherwise (see :mod:`crm_dash.health.cli`).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from crm_dash import auth, config, db
from crm_dash.auth import create_demo_accounts
from crm_dash.errors import ConfigError, CrmDashError
from crm_dash.goals.cli import add_goal_command
from crm_dash.health.cli import add_check_command
from crm_dash.importing.cli import add_import_command
from crm_dash.metrics.cli import add_report_command
from crm_dash.pages import Role

Handler = Callable[[argparse.Namespace], int]


def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


def _month(value: str) -> date:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {value!r}") from None


def last_complete_month(today: date) -> date:
    """First day of the month before ``today``'s month."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demo company into a fresh database file."""
    from crm_dash.demo import build_demo
    from crm_dash.goals.demo import add_demo_goals
    from crm_dash.retro.demo import add_demo_retro

    target = config.db_path(args.db)
    if target.exists():
        if args.if_missing:
            _emit(args, {"db": str(target), "status": "exists"}, f"{target} exists; kept as it is.")
            return 0
        if not args.force:
            raise ConfigError(
                f"{target} already exists. Use --force to replace it with the demo company, "
                "or --db to build the demo elsewhere."
            )
    end_month = args.end_month or last_complete_month(date.today())
    out_dir = Path(args.out) if args.out else target.parent / "demo"
    # Build beside the target and move it into place at the end: an interrupted build never
    # leaves a half-written database where the app looks for one.
    building = target.with_name(target.name + ".building")
    for leftover in (building, Path(str(building) + ".wal")):
        leftover.unlink(missing_ok=True)
    conn = db.connect(building)
    try:
        summary = build_demo(conn, end_month=end_month, out_dir=out_dir)
        add_demo_goals(conn, summary)  # actor "demo", set at the training wave
        add_demo_retro(conn, summary)  # a past retrospective with open actions to carry over
        with db.transaction(conn) as cur:
            db.set_meta(cur, "demo", "true")
            db.set_meta(cur, "demo_end_month", end_month.isoformat())
        create_demo_accounts(conn)
        conn.execute("CHECKPOINT")
    finally:
        conn.close()
    Path(str(target) + ".wal").unlink(missing_ok=True)
    os.replace(building, target)
    payload = {"db": str(target), "status": "built", **summary_payload(summary)}
    _emit(
        args,
        payload,
        f"Demo company built in {target}: {summary.users} people, "
        f"{summary.usage_events:,} usage events, {summary.opportunities:,} opportunities, "
        f"{summary.training_records:,} training records ({summary.first_month:%Y-%m} to "
        f"{summary.end_month:%Y-%m}). Export files in {out_dir}/.",
    )
    return 0


def summary_payload(summary: Any) -> dict[str, Any]:
    """The demo summary as plain JSON values."""
    return {
        "first_month": summary.first_month.isoformat(),
        "end_month": summary.end_month.isoformat(),
        "training_wave_month": summary.training_wave_month.isoformat(),
        "users": summary.users,
        "integration_accounts": summary.integration_accounts,
        "leavers": summary.leavers,
        "joiners": summary.joiners,
        "usage_events": summary.usage_events,
        "opportunities": summary.opportunities,
        "training_records": summary.training_records,
        "files": [str(f) for f in summary.files],
    }


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
    _emit(args, {"db": str(target), **summary.model_dump(mode="json")}, "\n".join(lines))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Create the database or bring its schema up to date."""
    target = config.db_path(args.db)
    conn = db.connect(target)
    try:
        versions = db.applied_versions(conn)
    finally:
        conn.close()
    _emit(args, {"db": str(target), "schema_versions": versions},
          f"{target}: schema versions {versions}")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    """The new password: the first line of stdin with ``--password-stdin``, else two prompts.

    Without a terminal to prompt on (a script, a service, ``</dev/null``) the prompt meets the
    end of input; that is a clear error, not a traceback.
    """
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    try:
        with warnings.catch_warnings():  # getpass itself says the input may be echoed
            warnings.simplefilter("ignore", getpass.GetPassWarning)
            first = getpass.getpass("Password (at least 10 characters): ")
            repeated = getpass.getpass("Repeat the password: ")
    except EOFError:
        print(file=sys.stderr)  # end the prompt's line
        raise ConfigError(
            "No password could be read: there is no terminal to ask for it. Use "
            "--password-stdin and pass the password as the first line of standard input."
        ) from None
    if repeated != first:
        raise ConfigError("The two passwords differ; nothing was changed.")
    return first


def _open(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    return db.connect(config.db_path(args.db))


def _user_payload(user: auth.AppUser) -> dict[str, Any]:
    return {"username": user.username, "name": user.display_name, "role": user.role.value}


def cmd_user_add(args: argparse.Namespace) -> int:
    """Create an account that can log in."""
    password = _read_password(args)
    conn = _open(args)
    try:
        user = auth.add_user(conn, args.username, password, Role(args.role),
                             display_name=args.name, actor=_cli_actor())
    finally:
        conn.close()
    _emit(args, _user_payload(user), f"User {user.username!r} ({user.role.value}) created.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    """List the accounts."""
    conn = _open(args)
    try:
        users = auth.list_users(conn)
    finally:
        conn.close()
    text = "\n".join(f"{u.username:<24} {u.role.value:<10} {u.display_name}" for u in users)
    _emit(args, {"users": [_user_payload(u) for u in users]}, text or "No users yet.")
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    """Delete an account."""
    conn = _open(args)
    try:
        auth.remove_user(conn, args.username.lower(), actor=_cli_actor())
    finally:
        conn.close()
    _emit(args, {"username": args.username.lower(), "status": "removed"},
          f"User {args.username.lower()!r} removed.")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    """Set a new password (ends remembered logins, lifts a lockout)."""
    password = _read_password(args)
    conn = _open(args)
    try:
        auth.set_password(conn, args.username.lower(), password, actor=_cli_actor())
    finally:
        conn.close()
    _emit(args, {"username": args.username.lower(), "status": "password_changed"},
          f"Password of {args.username.lower()!r} changed.")
    return 0


def cmd_user_role(args: argparse.Namespace) -> int:
    """Give an account another role (ends every session of that account)."""
    conn = _open(args)
    try:
        user = auth.set_role(conn, args.username.lower(), Role(args.role), actor=_cli_actor())
    finally:
        conn.close()
    _emit(args, _user_payload(user), f"User {user.username!r} now has the role {user.role.value}.")
    return 0


def _cli_actor() -> str:
    return f"cli:{getpass.getuser()}"


def cmd_run(args: argparse.Namespace) -> int:
    """Start the web app (Streamlit) on the given port.

    The server runs ``asgi.py``: the app plus the routes that set the HttpOnly login cookie.
    """
    app = config.PROJECT_ROOT / "asgi.py"
    if not app.exists():
        raise ConfigError(f"asgi.py not found at {app}: run crm-dash from a project checkout.")
    database = config.db_path(args.db).resolve()
    config.session_hours()  # a bad setting stops here, in the terminal, not at the first login
    config.cookie_key(database)
    env = dict(os.environ)
    env["CRM_DASH_DB"] = str(database)
    command = [
        sys.executable, "-m", "crm_dash.ui.serve", "run", str(app),
        "--server.port", str(args.port), "--server.address", args.host,
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]
    return subprocess.call(command, env=env, cwd=config.PROJECT_ROOT)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``crm-dash`` with all subcommands."""
    parser = argparse.ArgumentParser(
        prog="crm-dash", description="CRM adoption dashboard: demo data, app, automation."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="DuckDB file (default: $CRM_DASH_DB or data/crm.duckdb)")
    common.add_argument("--json", action="store_true", help="print JSON to stdout")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", parents=[common], help="build the demo company")
    demo.add_argument("--end-month", type=_month, metavar="YYYY-MM",
                      help="last month of demo data (default: the last complete month)")
    demo.add_argument("--out", metavar="DIR",
                      help="folder for the demo's CSV exports (default: demo/ beside the db)")
    demo.add_argument("--if-missing", action="store_true",
                      help="do nothing if the database file exists")
    demo.add_argument("--force", action="store_true", help="replace an existing database file")
    demo.set_defaults(handler=cmd_demo)

    status = sub.add_parser("status", parents=[common], help="show what the database holds")
    status.set_defaults(handler=cmd_status)

    add_import_command(sub, common)
    add_goal_command(sub, common)
    add_report_command(sub, common)
    add_check_command(sub, common)

    migrate = sub.add_parser("migrate", parents=[common], help="create or upgrade the database")
    migrate.set_defaults(handler=cmd_migrate)

    user = sub.add_parser("user", help="manage who can log in")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_sub.add_parser("add", parents=[common], help="create an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--name", help="display name (default: the username)")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    add.set_defaults(handler=cmd_user_add)
    listing = user_sub.add_parser("list", parents=[common], help="list the accounts")
    listing.set_defaults(handler=cmd_user_list)
    remove = user_sub.add_parser("remove", parents=[common], help="delete an account")
    remove.add_argument("username")
    remove.set_defaults(handler=cmd_user_remove)
    passwd = user_sub.add_parser("passwd", parents=[common], help="set a new password")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    passwd.set_defaults(handler=cmd_user_passwd)
    role = user_sub.add_parser("role", parents=[common],
                               help="give an account another role (ends its sessions)")
    role.add_argument("username")
    role.add_argument("--role", required=True, choices=[r.value for r in Role])
    role.set_defaults(handler=cmd_user_role)

    run = sub.add_parser("run", parents=[common], help="start the web app")
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--host", default="localhost")
    run.set_defaults(handler=cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``crm-dash`` console script."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except CrmDashError as exc:
        print(f"Error: {exc.title}: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
