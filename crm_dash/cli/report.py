"""``crm-dash report``: one month's adoption figures for automation.

``crm-dash report --month YYYY-MM [--department NAME] [--db PATH] --json`` prints
``{"month", "department", "licensed", "excluded_integration", "segments": {"productive",
"sporadic", "barely", "never", "new"}, "active_users", "stickiness", "training":
{"trained_share", "sessions_last_12_months", "onboarded_within_30_days_share"}, "pipeline":
{"open", "open_with_next_step_share", "open_stale_30d_share", "open_overdue_share"}}``: the
numbers the pages show, under the adoption definition in force. A department the roster does not
have, or a month outside the usage data, is refused (exit 1) rather than reported as zeros.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

import duckdb

from crm_dash.cli.common import Subcommands, connect_existing, month_arg, print_json
from crm_dash.errors import ConfigError
from crm_dash.goals.tracker import check_department
from crm_dash.metrics.definitions import load_definition
from crm_dash.metrics.report import adoption_report
from crm_dash.metrics.segments import available_months


def _text(report: dict[str, Any]) -> str:
    scope = report["department"] or "all departments"
    lines = [f"Adoption {report['month']} ({scope})",
             f"  licensed people: {report['licensed']}"
             f"  (integration accounts excluded: {report['excluded_integration']})"]
    for segment, people in report["segments"].items():
        if people is None:
            lines.append(f"  {segment:<11} {'-':>6}  {'-':>6}")
            continue
        share = people / report["licensed"] if report["licensed"] else 0.0
        lines.append(f"  {segment:<11} {people:>6}  {share:6.1%}")
    stickiness = report["stickiness"]
    lines.append(f"  active users: {report['active_users']}  stickiness: "
                 f"{'-' if stickiness is None else f'{stickiness:.1%}'}")
    training, pipeline = report["training"], report["pipeline"]
    lines.append(f"  trained: {_pct(training['trained_share'])}  sessions in the last 12 months:"
                 f" {_count(training['sessions_last_12_months'])}  joiners onboarded within 30"
                 f" days: {_pct(training['onboarded_within_30_days_share'])}")
    lines.append(f"  open opportunities: {_count(pipeline['open'])}  with next step:"
                 f" {_pct(pipeline['open_with_next_step_share'])}  not updated for 30 days:"
                 f" {_pct(pipeline['open_stale_30d_share'])}  close date passed:"
                 f" {_pct(pipeline['open_overdue_share'])}")
    for figure, reason in report["unknown"].items():
        lines.append(f"  unknown {figure}: {reason}")
    for part in ("training", "pipeline"):
        for figure, reason in report[part]["unknown"].items():
            lines.append(f"  unknown {figure}: {reason}")
    return "\n".join(lines)


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.1%}"


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def check_answerable(
    conn: duckdb.DuckDBPyConnection, month: date, department: str | None, today: date
) -> str | None:
    """Refuse a report that would print made-up zeros: a department the roster does not have, or
    a month outside the usage data. Returns a note for a month the data covers only in part.
    """
    if department is not None:
        check_department(conn, department)  # the same check and message as ``goal add``
    months = available_months(conn, load_definition(conn).definition, today)
    if months is None:
        raise ConfigError("There is no usage data yet: upload a usage log first.",
                          title="No usage data")
    first, complete, last = months
    if not first <= month <= last:
        raise ConfigError(
            f"The usage data covers {first:%Y-%m} to {last:%Y-%m} (complete months up to "
            f"{complete:%Y-%m}); there are no figures for {month:%Y-%m}.",
            title="Month not covered")
    if month > complete:
        return (f"Note: the usage data covers {month:%Y-%m} only in part (complete months: "
                f"{first:%Y-%m} to {complete:%Y-%m}); its figures are incomplete.")
    return None


def cmd_report(args: argparse.Namespace) -> int:
    """Print one month's adoption figures (exit 1 for a month or department it cannot answer)."""
    conn = connect_existing(args)
    try:
        note = check_answerable(conn, args.month, args.department, date.today())
        report = adoption_report(conn, args.month, args.department)
    finally:
        conn.close()
    if note:
        print(note, file=sys.stderr)
    if args.json:
        print_json(report)
    else:
        print(_text(report))
    return 0


def add_report_command(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Register ``crm-dash report`` on the subcommand parser ``sub``."""
    report = sub.add_parser("report", parents=[common],
                            help="adoption figures of one month (segments, active users)")
    report.add_argument("--month", type=month_arg, required=True, metavar="YYYY-MM",
                        help="the calendar month to report")
    report.add_argument("--department", metavar="NAME",
                        help="only this department (default: everyone)")
    report.set_defaults(handler=cmd_report)
