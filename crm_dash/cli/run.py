"""``crm-dash run``: start the web app."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from crm_dash import config
from crm_dash.cli.common import Subcommands
from crm_dash.errors import ConfigError


def add_run_command(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Register ``crm-dash run`` on the subcommand parser ``sub``."""
    run = sub.add_parser("run", parents=[common], help="start the web app")
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--host", default="localhost")
    run.set_defaults(handler=cmd_run)


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
