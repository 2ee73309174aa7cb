"""``crm-dash demo``: build the demo company into a fresh database file."""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path
from typing import Any

from crm_dash import config, db
from crm_dash.auth import create_demo_accounts
from crm_dash.cli.common import Subcommands, emit, month_arg
from crm_dash.errors import ConfigError
from crm_dash.months import last_complete_month


def add_demo_command(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Register ``crm-dash demo`` on the subcommand parser ``sub``."""
    demo = sub.add_parser("demo", parents=[common], help="build the demo company")
    demo.add_argument("--end-month", type=month_arg, metavar="YYYY-MM",
                      help="last month of demo data (default: the last complete month)")
    demo.add_argument("--out", metavar="DIR",
                      help="folder for the demo's CSV exports (default: demo/ beside the db)")
    demo.add_argument("--if-missing", action="store_true",
                      help="do nothing if the database file exists")
    demo.add_argument("--force", action="store_true", help="replace an existing database file")
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demo company into a fresh database file."""
    from crm_dash.demo import build_demo
    from crm_dash.goals.demo import add_demo_goals
    from crm_dash.retro.demo import add_demo_retro

    target = config.db_path(args.db)
    if target.exists():
        if args.if_missing:
            emit(args, {"db": str(target), "status": "exists"}, f"{target} exists; kept as it is.")
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
    emit(
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
