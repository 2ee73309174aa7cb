"""Goals in the database: frozen baseline, logged edits, archiving, audit rows, atomic writes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import duckdb
import pytest

from crm_dash.goals import store
from crm_dash.goals.model import Baseline, GoalDraft, GoalMetric, GoalScope
from crm_dash.goals.store import (
    GoalError,
    archive_goal,
    create_goal,
    get_goal,
    goal_changes,
    list_goals,
    update_goal,
)

DRAFT = GoalDraft(name="+20 % productive users in Vertrieb Süd", start=date(2026, 3, 1),
                  scope=GoalScope(department="Vertrieb Süd"), owner="Vertriebsleitung",
                  note="Kick-off in March")
BASELINE = Baseline(month=date(2026, 2, 1), productive=41, licensed=100,
                    definition={"productive_min_active_days": 8})


def _audit(conn: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT actor, action, target, details FROM audit_log WHERE action LIKE 'goal_%'"
        " ORDER BY id"
    ).fetchall()


def test_create_freezes_baseline_and_target(conn: duckdb.DuckDBPyConnection) -> None:
    goal = create_goal(conn, DRAFT, BASELINE, actor="anna")
    assert goal.id == 1
    assert goal.baseline == 41 and goal.baseline_month == date(2026, 2, 1)
    assert goal.target == 50  # 41 x 1.2 = 49.2 -> 50
    assert goal.deadline == date(2026, 11, 30)
    assert goal.definition == {"productive_min_active_days": 8}
    assert (goal.created_by, goal.owner, goal.note, goal.archived) == (
        "anna", "Vertriebsleitung", "Kick-off in March", False)
    assert get_goal(conn, 1) == goal
    actor, action, target, details = _audit(conn)[0]
    assert (actor, action, target) == ("anna", "goal_create", "goal:1")
    assert json.loads(details)["target"] == 50
    [created] = goal_changes(conn, 1)
    assert created.field == "created" and created.changed_by == "anna"


def test_share_goal_stores_the_share(conn: duckdb.DuckDBPyConnection) -> None:
    draft = DRAFT.model_copy(update={"metric": GoalMetric.PRODUCTIVE_SHARE})
    goal = create_goal(conn, draft, Baseline(month=date(2026, 2, 1), productive=12, licensed=40),
                       actor="anna")
    assert goal.baseline == pytest.approx(0.3)
    assert goal.target == pytest.approx(0.36)
    assert (goal.baseline_productive, goal.baseline_licensed) == (12, 40)


def test_baseline_must_come_from_the_month_before_the_start(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    with pytest.raises(GoalError, match="February 2026"):
        create_goal(conn, DRAFT, BASELINE.model_copy(update={"month": date(2026, 1, 1)}),
                    actor="anna")
    with pytest.raises(GoalError, match="no productive users"):
        create_goal(conn, DRAFT, BASELINE.model_copy(update={"productive": 0}), actor="anna")
    with pytest.raises(GoalError, match="held a licence"):
        create_goal(conn, DRAFT, Baseline(month=date(2026, 2, 1), productive=0, licensed=0),
                    actor="anna")
    assert list_goals(conn, include_archived=True) == []


def test_target_edit_is_logged_and_baseline_stays_frozen(conn: duckdb.DuckDBPyConnection) -> None:
    create_goal(conn, DRAFT, BASELINE, actor="anna")
    changed = update_goal(conn, 1, actor="ben", target_pct=30, owner="Sales South")
    assert changed == ["target_pct", "owner", "target"]
    goal = get_goal(conn, 1)
    assert goal.baseline == 41  # frozen
    assert goal.target == 54  # 41 x 1.3 = 53.3 -> 54, from the frozen baseline
    assert goal.target_pct == 30 and goal.owner == "Sales South"
    history = goal_changes(conn, 1)
    assert [(c.field, c.old_value, c.new_value, c.changed_by) for c in history[:3]] == [
        ("target", 50, 54, "ben"), ("owner", "Vertriebsleitung", "Sales South", "ben"),
        ("target_pct", 20, 30, "ben"),
    ]
    actor, action, target, details = _audit(conn)[-1]
    assert (actor, action, target) == ("ben", "goal_edit", "goal:1")
    assert json.loads(details)["target"] == {"old": 50, "new": 54}


def test_nothing_changed_writes_nothing(conn: duckdb.DuckDBPyConnection) -> None:
    create_goal(conn, DRAFT, BASELINE, actor="anna")
    assert update_goal(conn, 1, actor="ben", name=DRAFT.name, target_pct=20) == []
    assert len(goal_changes(conn, 1)) == 1
    assert len(_audit(conn)) == 1


def test_invalid_edit_is_refused(conn: duckdb.DuckDBPyConnection) -> None:
    create_goal(conn, DRAFT, BASELINE, actor="anna")
    with pytest.raises(GoalError):
        update_goal(conn, 1, actor="ben", target_pct=-5)
    with pytest.raises(GoalError):
        update_goal(conn, 1, actor="ben", name="   ")
    assert get_goal(conn, 1).target == 50


def test_owner_and_note_can_be_cleared(conn: duckdb.DuckDBPyConnection) -> None:
    create_goal(conn, DRAFT, BASELINE, actor="anna")
    assert update_goal(conn, 1, actor="ben", owner="", note=None) == ["owner", "note"]
    goal = get_goal(conn, 1)
    assert goal.owner is None and goal.note is None


def test_archive(conn: duckdb.DuckDBPyConnection) -> None:
    create_goal(conn, DRAFT, BASELINE, actor="anna")
    create_goal(conn, DRAFT.model_copy(update={"name": "second"}), BASELINE, actor="anna")
    archive_goal(conn, 1, actor="ben")
    assert [g.id for g in list_goals(conn)] == [2]
    assert [g.id for g in list_goals(conn, include_archived=True)] == [1, 2]
    goal = get_goal(conn, 1)
    assert goal.archived and goal.archived_by == "ben" and goal.archived_at is not None
    assert goal_changes(conn, 1)[0].field == "archived"
    assert _audit(conn)[-1][:3] == ("ben", "goal_archive", "goal:1")
    with pytest.raises(GoalError, match="archived"):
        update_goal(conn, 1, actor="ben", target_pct=25)
    archive_goal(conn, 1, actor="ben")  # archiving twice changes nothing
    assert len(goal_changes(conn, 1)) == 2


def test_unknown_goal(conn: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(GoalError, match="no goal with id 7"):
        get_goal(conn, 7)


def _failing_audit(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("disk full")


def test_create_is_atomic(conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "log_event", _failing_audit)
    with pytest.raises(RuntimeError):
        create_goal(conn, DRAFT, BASELINE, actor="anna")
    assert conn.execute("SELECT count(*) FROM goals").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM goal_changes").fetchone() == (0,)


def test_edit_and_archive_are_atomic(
    conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_goal(conn, DRAFT, BASELINE, actor="anna")
    monkeypatch.setattr(store, "log_event", _failing_audit)
    with pytest.raises(RuntimeError):
        update_goal(conn, 1, actor="ben", target_pct=30)
    with pytest.raises(RuntimeError):
        archive_goal(conn, 1, actor="ben")
    goal = get_goal(conn, 1)
    assert goal.target == 50 and goal.target_pct == 20 and not goal.archived
    assert len(goal_changes(conn, 1)) == 1
