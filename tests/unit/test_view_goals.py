"""The Goals page's view, without Streamlit: each goal's figures, chart and downloads, the
new-goal form's choices for a lead, and what an executive may see of the same goals.

The data is tests/fixtures/goals (its README has every person's months): Vertrieb Süd has 6
licensed people, productive January 2, February 3, March 3, April 4 (2025); April 2025 is the
latest complete month, January 2025 the first. Marketing has 3 licensed people, a group under
the minimum of 5.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from crm_dash import db
from crm_dash.audience import Audience
from crm_dash.fixtures import load_generic_folder
from crm_dash.goals.model import GoalDraft, GoalScope
from crm_dash.goals.source import DataMonths
from crm_dash.goals.store import GoalError, archive_goal
from crm_dash.goals.tracker import add_goal, goal_starts, preview_goal
from crm_dash.pages import Role
from crm_dash.views.goals import goals_view
from crm_dash.views.snapshot import Snapshot, clear_caches, snapshot
from tests.conftest import FIXTURES
from tests.view_walk import texts

TODAY = date(2026, 1, 15)  # long after the fixture's last month
LEAD = Audience(Role.LEAD)
EXECUTIVE = Audience(Role.EXECUTIVE)


@pytest.fixture
def snap(tmp_path: Path) -> Iterator[Snapshot]:
    path = tmp_path / "goals.duckdb"
    conn = db.connect(path)
    load_generic_folder(conn, FIXTURES / "goals")
    # Vertrieb Süd from February 2025 (baseline January: 2 productive), +150 %: target 5.
    for department, owner in (("Vertrieb Süd", "Sabine Sonnenschein"), ("Marketing", "Maria")):
        add_goal(conn, GoalDraft(name=f"+150 % {department}", start=date(2025, 2, 1),
                                 scope=GoalScope(department=department), target_pct=150,
                                 owner=owner), actor="anna.adler", today=TODAY)
    clear_caches()
    yield snapshot(conn, db=str(path), today=TODAY)
    conn.close()
    clear_caches()


def test_a_lead_sees_each_goal_with_chart_downloads_and_history(snap: Snapshot) -> None:
    view = goals_view(snap, LEAD, "en")
    assert view.editable
    south, marketing = view.goals
    # April: 4 productive, two thirds of the way from 2 to 5; owner as typed.
    assert (south.text.baseline, south.text.target, south.text.actual) == ("2", "5", "4")
    assert south.text.owner == "Sabine Sonnenschein"
    assert south.chart is not None
    actual = south.chart[south.chart["series"] == "actual"]
    assert list(actual["value"]) == [2, 3, 3, 4]  # January (baseline) to April
    assert south.report_html.startswith("<!DOCTYPE html>") and "On track" in south.report_html
    assert south.report_xlsx.startswith(b"PK")
    assert (south.file_name, south.xlsx_file_name) == ("goal-1-2025-04.html",
                                                       "goal-1-2025-04.xlsx")
    assert south.history is not None and [c.field for c in south.history] == ["created"]
    # Marketing: 3 people, no figure and no chart, for leads too (goals are published).
    assert marketing.text.suppressed and marketing.chart is None
    assert marketing.text.baseline == "<5"


def test_the_form_offers_the_starts_the_tracker_allows(snap: Snapshot) -> None:
    choices = goals_view(snap, LEAD, "en").new_goal
    assert choices is not None and choices.ready
    assert choices.options.departments == ["Marketing", "Vertrieb Süd"]
    # Baselines January to April 2025: starts February to May; January 2026 is not one of
    # them, so the latest is preselected.
    assert choices.starts == (date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1),
                              date(2025, 5, 1))
    assert choices.default_start == date(2025, 5, 1)


def test_one_rule_for_a_goal_start() -> None:
    covered = DataMonths(first=date(2025, 1, 1), latest_complete=date(2025, 4, 1))
    assert goal_starts(covered)[0] == date(2025, 2, 1)
    assert goal_starts(covered)[-1] == date(2025, 5, 1)


def test_a_start_outside_the_rule_is_refused(snap: Snapshot) -> None:
    draft = GoalDraft(name="x", scope=GoalScope(department="Vertrieb Süd"),
                      start=date(2025, 6, 1))  # baseline May 2025: not in the data
    with pytest.raises(GoalError):
        preview_goal(snap.conn, draft, today=TODAY)


def test_archived_goals_are_listed_for_leads(snap: Snapshot) -> None:
    archive_goal(snap.conn, 2, actor="anna.adler")
    view = goals_view(snap, LEAD, "en")
    assert [c.report.goal.id for c in view.goals] == [1]
    assert view.archived is not None and [g.id for g in view.archived] == [2]


def _people() -> list[str]:
    with (FIXTURES / "goals" / "users.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return [r["name"] for r in rows] + [r["email"] for r in rows]


def test_an_executive_reads_owners_as_roles_and_no_small_scope(snap: Snapshot) -> None:
    view = goals_view(snap, EXECUTIVE, "en")
    assert not view.editable and view.new_goal is None and view.archived is None
    south, marketing = view.goals
    assert south.history is None and marketing.history is None
    # The owners a lead typed read as a role, on the page and in both downloads; so do the
    # accounts that set the goals.
    assert {south.text.owner, marketing.text.owner} == {"Project lead"}
    assert "Project lead" in south.report_html
    assert south.report.goal.created_by == "Project lead"
    text = texts(view)
    for name in ["Sabine Sonnenschein", "Maria", "anna.adler", *_people()]:
        assert name not in text, name
    # Marketing's 3 people: no figure of the scope anywhere, downloads included.
    assert marketing.chart is None
    assert {marketing.text.baseline, marketing.text.target, marketing.text.actual,
            marketing.text.gap, marketing.text.idle_value} == {"<5"}
    assert "<svg" not in marketing.report_html
