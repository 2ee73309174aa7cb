"""Goals in the database: create, edit, archive; every write one transaction with its audit row.

The baseline is frozen when a goal is created: an edit of the target percentage recomputes the
target from that stored baseline, never from today's data. Each changed field is recorded in
``goal_changes`` (who, when, old, new), so leads can see how a goal came to be what it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from crm_dash.audit import log_event
from crm_dash.db import transaction
from crm_dash.errors import CrmDashError
from crm_dash.goals.math import target_for
from crm_dash.goals.model import Baseline, Goal, GoalDraft, GoalMetric, GoalScope


class GoalError(CrmDashError):
    """A goal cannot be created or changed as asked."""

    title = "Goal"
    title_key_default = "error.title.goal"
    default_code = "goal"


#: Fields a lead may change after creation. The scope, metric, start, horizon and baseline are
#: what the goal *is*; changing them would make a different goal.
EDITABLE_FIELDS = ("name", "target_pct", "owner", "note")

_COLUMNS = (
    "goal_id, name, department, team, role, metric, start_month, horizon_months, target_pct,"
    " baseline_month, baseline, baseline_productive, baseline_licensed, definition, target,"
    " owner, note, created_by, created_at, archived_by, archived_at"
)


@dataclass(frozen=True)
class GoalChange:
    """One recorded change of a goal."""

    goal_id: int
    changed_by: str
    changed_at: datetime
    field: str
    old_value: Any
    new_value: Any


def _goal_from_row(row: tuple[Any, ...]) -> Goal:
    (goal_id, name, department, team, role, metric, start, horizon, pct, _baseline_month,
     baseline, productive, licensed, definition, target, owner, note, created_by, created_at,
     archived_by, archived_at) = row
    return Goal(
        id=int(goal_id), name=name, scope=GoalScope(department=department, team=team, role=role),
        metric=GoalMetric(metric), start=start, horizon_months=int(horizon),
        target_pct=float(pct), owner=owner, note=note, baseline=float(baseline),
        baseline_productive=int(productive), baseline_licensed=int(licensed),
        definition=json.loads(definition) if definition else {}, target=float(target),
        created_by=created_by, created_at=created_at, archived=archived_at is not None,
        archived_by=archived_by, archived_at=archived_at,
    )


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def _record(cur: duckdb.DuckDBPyConnection, goal_id: int, actor: str, field: str,
            old: Any, new: Any) -> None:
    cur.execute(
        "INSERT INTO goal_changes (goal_id, changed_by, field, old_value, new_value)"
        " VALUES (?, ?, ?, ?, ?)",
        [goal_id, actor, field, _json(old), _json(new)],
    )


def create_goal(
    conn: duckdb.DuckDBPyConnection, draft: GoalDraft, baseline: Baseline, *, actor: str
) -> Goal:
    """Store a new goal with its frozen ``baseline`` and the target that follows from it."""
    if baseline.month != draft.baseline_month:
        raise GoalError.says("error.goal.baseline_month",
                             expected=draft.baseline_month, month=baseline.month)
    if baseline.licensed == 0:
        raise GoalError.says("error.goal.nobody_licensed",
                             scope=draft.scope.label(), month=baseline.month)
    value = baseline.value(draft.metric)
    if value == 0:
        raise GoalError.says("error.goal.no_productive",
                             scope=draft.scope.label(), month=baseline.month,
                             pct=f"{draft.target_pct:g}")
    target = target_for(baseline, draft.metric, draft.target_pct)
    with transaction(conn) as cur:
        row = cur.execute(
            "INSERT INTO goals (name, department, team, role, metric, start_month, horizon_months,"
            " target_pct, baseline_month, baseline, baseline_productive, baseline_licensed,"
            " definition, target, owner, note, created_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING goal_id",
            [draft.name, draft.scope.department, draft.scope.team, draft.scope.role,
             draft.metric.value, draft.start, draft.horizon_months, draft.target_pct,
             baseline.month, value, baseline.productive, baseline.licensed,
             _json(baseline.definition), target, draft.owner, draft.note, actor],
        ).fetchone()
        assert row is not None
        goal_id = int(row[0])
        created = {"name": draft.name, "scope": draft.scope.label(), "metric": draft.metric.value,
                   "start": draft.start.isoformat(), "months": draft.horizon_months,
                   "target_pct": draft.target_pct, "baseline": value, "target": target}
        _record(cur, goal_id, actor, "created", None, created)
        log_event(cur, actor, "goal_create", f"goal:{goal_id}", created)
    return get_goal(conn, goal_id)


def get_goal(conn: duckdb.DuckDBPyConnection, goal_id: int) -> Goal:
    """The goal with ``goal_id`` (archived or not)."""
    row = conn.cursor().execute(
        f"SELECT {_COLUMNS} FROM goals WHERE goal_id = ?", [goal_id]  # noqa: S608 (constant)
    ).fetchone()
    if row is None:
        raise GoalError.says("error.goal.missing", title_key="error.title.goal_not_found",
                             id=str(goal_id))
    return _goal_from_row(row)


def list_goals(conn: duckdb.DuckDBPyConnection, *, include_archived: bool = False) -> list[Goal]:
    """The goals, oldest first; archived ones only when asked for."""
    rows = conn.cursor().execute(
        f"SELECT {_COLUMNS} FROM goals"  # noqa: S608 (constant)
        " WHERE ? OR archived_at IS NULL ORDER BY goal_id",
        [include_archived],
    ).fetchall()
    return [_goal_from_row(r) for r in rows]


_UNSET: Any = object()


def update_goal(
    conn: duckdb.DuckDBPyConnection,
    goal_id: int,
    *,
    actor: str,
    name: str = _UNSET,
    target_pct: float = _UNSET,
    owner: str | None = _UNSET,
    note: str | None = _UNSET,
) -> list[str]:
    """Change the name, target percentage, owner or note; returns the fields that changed.

    A new percentage gives a new target computed from the frozen baseline. Archived goals are
    read-only.
    """
    goal = get_goal(conn, goal_id)
    if goal.archived:
        raise GoalError.says("error.goal.archived", id=str(goal_id))
    asked = {k: v for k, v in {"name": name, "target_pct": target_pct, "owner": owner,
                                "note": note}.items() if v is not _UNSET}
    try:
        edited = Goal.model_validate({**goal.model_dump(), **asked})
    except ValueError as exc:
        raise GoalError.says("error.goal.invalid_change",
                             problem=str(exc)) from exc
    changes: dict[str, tuple[Any, Any]] = {
        f: (getattr(goal, f), getattr(edited, f))
        for f in EDITABLE_FIELDS if getattr(goal, f) != getattr(edited, f)
    }
    if not changes:
        return []
    new_target = goal.target
    if "target_pct" in changes:
        frozen = Baseline(month=goal.baseline_month, productive=goal.baseline_productive,
                          licensed=goal.baseline_licensed)
        new_target = target_for(frozen, goal.metric, edited.target_pct)
        if new_target != goal.target:
            changes["target"] = (goal.target, new_target)
    with transaction(conn) as cur:
        cur.execute(
            "UPDATE goals SET name = ?, target_pct = ?, target = ?, owner = ?, note = ?"
            " WHERE goal_id = ?",
            [edited.name, edited.target_pct, new_target, edited.owner, edited.note, goal_id],
        )
        for field, (old, new) in changes.items():
            _record(cur, goal_id, actor, field, old, new)
        log_event(cur, actor, "goal_edit", f"goal:{goal_id}",
                  {f: {"old": old, "new": new} for f, (old, new) in changes.items()})
    return list(changes)


def archive_goal(conn: duckdb.DuckDBPyConnection, goal_id: int, *, actor: str) -> None:
    """Archive a goal: it leaves the list of current goals and can no longer be changed."""
    goal = get_goal(conn, goal_id)
    if goal.archived:
        return
    with transaction(conn) as cur:
        cur.execute(
            "UPDATE goals SET archived_by = ?, archived_at = CAST(current_timestamp AS TIMESTAMP)"
            " WHERE goal_id = ?",
            [actor, goal_id],
        )
        _record(cur, goal_id, actor, "archived", False, True)
        log_event(cur, actor, "goal_archive", f"goal:{goal_id}", {"name": goal.name})


def goal_changes(conn: duckdb.DuckDBPyConnection, goal_id: int) -> list[GoalChange]:
    """Who changed what and when, newest first."""
    rows = conn.cursor().execute(
        "SELECT goal_id, changed_by, changed_at, field, old_value, new_value FROM goal_changes"
        " WHERE goal_id = ? ORDER BY change_id DESC",
        [goal_id],
    ).fetchall()
    return [
        GoalChange(int(g), str(by), at, str(f), json.loads(old) if old else None,
                   json.loads(new) if new else None)
        for g, by, at, f, old, new in rows
    ]
