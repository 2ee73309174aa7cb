"""``crm-dash check [--json] [--lang en|de]``: data health for automation.

Exit code 0 when nothing needs attention, 1 otherwise (or on an error). ``--json`` prints
:meth:`crm_dash.health.findings.HealthReport.to_json` with, per finding, its texts in the chosen
language: ``{"today", "needs_attention", "datasets": [{"dataset", "rows", "uploads", "first",
"last", "first_month", "complete_through", "last_upload": {"file", "by", "at", "export_date"} |
null}], "findings": [{"code", "attention", "count", "part", "whole", "share", "examples",
"cause", "shape", "roster_shape", "gap", ..., "title", "why", "action"}]}``.
"""

from __future__ import annotations

import argparse
from datetime import date

from crm_dash.cli.common import Subcommands, connect_existing, print_json
from crm_dash.health.findings import health_report
from crm_dash.health.present import finding_text, report_text
from crm_dash.i18n import LANGUAGES, Language, as_language


def cmd_check(args: argparse.Namespace) -> int:
    """Print the data-health report; 1 when a finding needs attention."""
    lang: Language = as_language(args.lang) or "en"
    conn = connect_existing(args)
    try:
        report = health_report(conn, date.today())
    finally:
        conn.close()
    if args.json:
        payload = report.to_json()
        for entry, finding in zip(payload["findings"], report.findings, strict=True):
            text = finding_text(finding, lang)
            entry.update(title=text.title, why=text.cause or None, action=text.action)
        print_json(payload)
    else:
        print(report_text(report, lang))
    return 1 if report.needs_attention else 0


def add_check_command(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Register ``crm-dash check`` on the subcommand parser ``sub``."""
    check = sub.add_parser("check", parents=[common],
                           help="data health: do the datasets fit together? (exit 1: findings)")
    check.add_argument("--lang", choices=LANGUAGES, default="en",
                       help="language of the texts (default: en)")
    check.set_defaults(handler=cmd_check)
