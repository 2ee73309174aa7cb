"""The demo company's goals: set at the start of its training wave, so the goal page has history."""

from __future__ import annotations

from datetime import date

import duckdb

from crm_dash.demo import DEMO_FOCUS_DEPARTMENT, DemoSummary
from crm_dash.demo.common import CONTRAST_GOAL_MONTHS_BEFORE_END, GOAL_MONTHS
from crm_dash.demo.roster import CONTRAST_DEPARTMENT
from crm_dash.goals.model import Goal, GoalDraft, GoalMetric, GoalScope
from crm_dash.goals.present import default_goal_name
from crm_dash.goals.store import update_goal
from crm_dash.goals.tracker import add_goal
from crm_dash.months import add_months

DEMO_ACTOR = "demo"


def add_demo_goals(conn: duckdb.DuckDBPyConnection, summary: DemoSummary) -> list[Goal]:
    """The demo's goals for the demo ``summary`` :func:`crm_dash.demo.build_demo` returned."""
    return add_goals_for(conn, focus_department=DEMO_FOCUS_DEPARTMENT,
                         training_wave_month=summary.training_wave_month,
                         end_month=summary.end_month)


def add_goals_for(
    conn: duckdb.DuckDBPyConnection,
    *,
    focus_department: str,
    training_wave_month: date,
    end_month: date,
) -> list[Goal]:
    """Set the demo's goals as the demo's project lead would have: generated names (shown in
    each reader's language), owners and notes typed in German, as the demo company writes.

    1. "+20 % productive users in <focus> within 9 months", set at the start of the training wave
       (its baseline is the month before the wave), with a note added later;
    2. a younger goal for a department without the wave (the contrast department, whose
       productive users slip), started three months before the end of the data: at risk.

    The wall clock is not read: the demo's "today" is the month after its last month of data.
    """
    today = add_months(end_month, 1)
    focus = add_goal(
        conn,
        GoalDraft(
            name=default_goal_name(GoalMetric.PRODUCTIVE_USERS, focus_department, 20,
                                   GOAL_MONTHS, "en"),
            scope=GoalScope(department=focus_department), start=training_wave_month,
            horizon_months=GOAL_MONTHS, target_pct=20, owner=f"Vertriebsleitung {focus_department}",
            note="Kick-off durch die Geschäftsführung und Key-User-Schulung für jedes Team.",
        ),
        actor=DEMO_ACTOR, today=today,
    )
    update_goal(
        conn, focus.id, actor=DEMO_ACTOR,
        note="Kick-off durch die Geschäftsführung und Key-User-Schulung für jedes Team; "
        "seit dem dritten Monat monatliche CRM-Sprechstunde.",
    )
    goals = [focus]
    contrast_start = add_months(end_month, -CONTRAST_GOAL_MONTHS_BEFORE_END)
    if focus_department != CONTRAST_DEPARTMENT and contrast_start > training_wave_month:
        goals.append(add_goal(
            conn,
            GoalDraft(
                name=default_goal_name(GoalMetric.PRODUCTIVE_USERS, CONTRAST_DEPARTMENT, 15,
                                       GOAL_MONTHS, "en"),
                scope=GoalScope(department=CONTRAST_DEPARTMENT), start=contrast_start,
                horizon_months=GOAL_MONTHS, target_pct=15,
                owner=f"Vertriebsleitung {CONTRAST_DEPARTMENT}",
                note="Noch keine Schulungswelle: Roadshow geplant.",
            ),
            actor=DEMO_ACTOR, today=today,
        ))
    return goals
