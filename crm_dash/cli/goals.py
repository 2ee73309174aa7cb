"""``crm-dash goal add|list|status``: goals from the command line.

Contract (keep it stable): with ``--json``

- ``goal add`` prints the goal: ``{"id", "name", "scope": {"department", "team", "role"},
  "metric", "start", "deadline", "horizon_months", "target_pct", "baseline_month", "baseline",
  "target", "owner", "note", "created_by", "created_at", "archived"}``;
- ``goal list`` prints ``{"goals": [goal, ...]}`` (``--all`` includes archived goals);
- ``goal status ID`` prints exactly ``{"id", "name", "scope", "metric", "start", "deadline",
  "baseline", "target", "as_of", "actual", "expected", "forecast", "status", "needed_per_month"}``
  with status ``achieved``, ``on_track``, ``behind`` or ``at_risk`` (``null`` while no month of the
  goal has data).

Figures of a scope with fewer than 5 licensed people are printed as ``"<5"`` (and its status as
``null``), as everywhere else. Exit code 0 on success, 1 for errors (message on stderr), 2 for
bad usage.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

import duckdb
from pydantic import ValidationError

from crm_dash.audience import Audience, published
from crm_dash.cli.common import Subcommands, cli_actor, connect_existing, emit, month_arg
from crm_dash.errors import ConfigError
from crm_dash.goals.math import GoalProgress
from crm_dash.goals.model import (
    DEFAULT_HORIZON_MONTHS,
    DEFAULT_TARGET_PCT,
    MAX_HORIZON_MONTHS,
    Goal,
    GoalDraft,
    GoalMetric,
    GoalScope,
)
from crm_dash.goals.source import current_definition, data_months
from crm_dash.goals.store import get_goal, list_goals
from crm_dash.goals.tracker import add_goal, goal_report

STATUS_KEYS = ("id", "name", "scope", "metric", "start", "deadline", "baseline", "target",
               "as_of", "actual", "expected", "forecast", "status", "needed_per_month")


def _start(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None
    if day.day != 1:
        raise argparse.ArgumentTypeError(
            f"goals run in whole calendar months: the start must be the first day of a month "
            f"(e.g. {day.replace(day=1)}), not {value}"
        )
    return day


def _months(value: str) -> int:
    try:
        months = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of months, got {value!r}") from None
    if not 1 <= months <= MAX_HORIZON_MONTHS:
        raise argparse.ArgumentTypeError(f"expected 1 to {MAX_HORIZON_MONTHS} months, not {months}")
    return months


def _pct(value: str) -> float:
    try:
        pct = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage such as 20, got {value!r}") \
            from None
    if not 0 < pct <= 1000:
        raise argparse.ArgumentTypeError(f"expected a percentage above 0, not {value}")
    return pct


def add_goal_command(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    """Register ``goal add|list|status`` on the ``crm-dash`` parser."""
    goal = sub.add_parser("goal", help="set goals and see where they stand")
    goal_sub = goal.add_subparsers(dest="goal_command", required=True, metavar="ACTION")

    add = goal_sub.add_parser(
        "add", parents=[common], help="set a goal (the baseline is measured and frozen now)",
        description="Set a goal such as +20 %% productive users in a department within 9 "
        "months. The baseline is the metric in the last complete month before the start.",
    )
    add.add_argument("--name", required=True)
    add.add_argument("--department", required=True)
    add.add_argument("--team", help="only this team of the department")
    add.add_argument("--role", help="only this role of the department")
    add.add_argument("--start", type=_start, metavar="YYYY-MM-DD",
                     help="first day of the goal's first month (default: this month's first day)")
    add.add_argument("--months", type=_months, default=DEFAULT_HORIZON_MONTHS,
                     help=f"horizon in months (default {DEFAULT_HORIZON_MONTHS})")
    add.add_argument("--target-pct", type=_pct, default=DEFAULT_TARGET_PCT,
                     help=f"target change in percent (default {DEFAULT_TARGET_PCT:g})")
    add.add_argument("--metric", choices=[m.value for m in GoalMetric],
                     default=GoalMetric.PRODUCTIVE_USERS.value,
                     help="productive users (count) or their share of licensed users")
    add.add_argument("--owner", help="who owns the goal")
    add.add_argument("--note", help="a note, e.g. the measures planned")
    add.set_defaults(handler=cmd_goal_add)

    listing = goal_sub.add_parser("list", parents=[common], help="list the goals")
    listing.add_argument("--all", action="store_true", help="include archived goals")
    listing.set_defaults(handler=cmd_goal_list)

    status = goal_sub.add_parser("status", parents=[common], help="where a goal stands")
    status.add_argument("id", type=int)
    status.add_argument("--as-of", type=month_arg, metavar="YYYY-MM",
                        help="the month to evaluate (default: the latest complete month of data)")
    status.set_defaults(handler=cmd_goal_status)


def _number(value: float | None, metric: GoalMetric, *, whole: bool = False) -> float | int | None:
    if value is None:
        return None
    if whole and metric.is_count and float(value).is_integer():
        return int(value)
    return round(float(value), 4)


def goal_payload(goal: Goal, audience: Audience) -> dict[str, Any]:
    """A goal as plain JSON values (figures of a scope too small for ``audience`` as its
    hidden marker, e.g. ``"<5"``)."""
    small = audience.scope_too_small(goal.baseline_licensed)
    hidden = audience.hidden
    return {
        "id": goal.id,
        "name": goal.name,
        "scope": goal.scope.model_dump(),
        "metric": goal.metric.value,
        "start": goal.start.isoformat(),
        "deadline": goal.deadline.isoformat(),
        "horizon_months": goal.horizon_months,
        "target_pct": goal.target_pct,
        "baseline_month": goal.baseline_month.strftime("%Y-%m"),
        "baseline": hidden if small else _number(goal.baseline, goal.metric, whole=True),
        "target": hidden if small else _number(goal.target, goal.metric, whole=True),
        "owner": goal.owner,
        "note": goal.note,
        "created_by": goal.created_by,
        "created_at": goal.created_at.isoformat(timespec="seconds"),
        "archived": goal.archived,
    }


def status_payload(goal: Goal, progress: GoalProgress, audience: Audience) -> dict[str, Any]:
    """The ``goal status`` contract: exactly :data:`STATUS_KEYS`."""
    hidden = progress.suppressed

    def figure(value: float | None, *, whole: bool = False) -> Any:
        return audience.hidden if hidden else _number(value, goal.metric, whole=whole)

    payload = {
        "id": goal.id,
        "name": goal.name,
        "scope": goal.scope.model_dump(),
        "metric": goal.metric.value,
        "start": goal.start.isoformat(),
        "deadline": goal.deadline.isoformat(),
        "baseline": figure(goal.baseline, whole=True),
        "target": figure(goal.target, whole=True),
        "as_of": progress.as_of.strftime("%Y-%m"),
        "actual": figure(progress.actual, whole=True),
        "expected": figure(progress.expected),
        "forecast": figure(progress.forecast),
        "status": None if hidden or progress.status is None else progress.status.value,
        "needed_per_month": figure(progress.needed_per_month),
    }
    assert tuple(payload) == STATUS_KEYS
    return payload


def _goal_line(goal: Goal, audience: Audience) -> str:
    p = goal_payload(goal, audience)
    return (f"#{goal.id} {goal.name} [{goal.scope.label()}] {goal.metric.value}: "
            f"baseline {p['baseline']} ({p['baseline_month']}) -> target {p['target']} "
            f"by {p['deadline']}{' (archived)' if goal.archived else ''}")


def cmd_goal_add(args: argparse.Namespace) -> int:
    """Set a goal; print it with its id, baseline and target."""
    try:
        draft = GoalDraft(
            name=args.name,
            scope=GoalScope(department=args.department, team=args.team, role=args.role),
            metric=GoalMetric(args.metric),
            horizon_months=args.months, target_pct=args.target_pct, owner=args.owner,
            note=args.note, **({"start": args.start} if args.start else {}),
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                             for e in exc.errors())
        raise ConfigError(problems, title="Invalid goal") from None
    conn = connect_existing(args)
    try:
        goal = add_goal(conn, draft, actor=cli_actor())
        audience = published(conn)
    finally:
        conn.close()
    emit(args, goal_payload(goal, audience), f"Goal set: {_goal_line(goal, audience)}")
    return 0


def cmd_goal_list(args: argparse.Namespace) -> int:
    """List the goals."""
    conn = connect_existing(args)
    try:
        goals = list_goals(conn, include_archived=args.all)
        audience = published(conn)
    finally:
        conn.close()
    emit(args, {"goals": [goal_payload(g, audience) for g in goals]},
         "\n".join(_goal_line(g, audience) for g in goals) or "No goals yet.")
    return 0


def _check_as_of(conn: duckdb.DuckDBPyConnection, goal: Goal, as_of: date) -> None:
    """Refuse a month the usage data does not reach yet (unless the goal ended before it and
    its deadline's month is known): its figures would read as "no data yet" although the goal
    has history."""
    covered = data_months(conn, current_definition(conn).definition, date.today())
    if covered is not None and min(as_of, goal.last_month) > covered.latest_complete:
        latest = covered.latest_complete.strftime("%Y-%m")
        raise ConfigError(
            f"--as-of {as_of:%Y-%m} is after the latest complete month of usage data ({latest}). "
            f"Use --as-of {latest} or earlier, or leave it out for the latest month."
        )


def cmd_goal_status(args: argparse.Namespace) -> int:
    """Print where a goal stands after a month."""
    conn = connect_existing(args)
    try:
        goal = get_goal(conn, args.id)
        if args.as_of is not None:
            _check_as_of(conn, goal, args.as_of)
        report = goal_report(conn, goal, as_of=args.as_of)
    finally:
        conn.close()
    payload = status_payload(goal, report.progress, report.audience)
    text = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}"
                     for key, value in payload.items())
    emit(args, payload, text)
    return 0
