"""The goal chart (as a spec), the one-page HTML report, the page texts and the demo's goals."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from crm_dash import db
from crm_dash.charts.goals import chart_frame, goal_chart
from crm_dash.charts.svg import goal_chart_svg
from crm_dash.cli import main
from crm_dash.fixtures import load_generic_folder
from crm_dash.goals.model import GoalDraft, GoalMetric, GoalScope
from crm_dash.goals.present import goal_view
from crm_dash.goals.report import report_file_name, report_html
from crm_dash.goals.store import goal_changes, list_goals
from crm_dash.goals.tracker import GoalReport, add_goal, goal_report, preview_goal

GOAL_FIXTURES = Path(__file__).parent.parent / "fixtures" / "goals"
TODAY = date(2026, 1, 15)  # long after the fixtures' last month (April 2025)


@pytest.fixture
def goals_conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    conn = db.connect(tmp_path / "goals.duckdb")
    load_generic_folder(conn, GOAL_FIXTURES)
    yield conn
    conn.close()


def _report(conn: duckdb.DuckDBPyConnection, **draft: object) -> GoalReport:
    values: dict[str, object] = {"name": "+150 % Süd <b>", "start": date(2025, 2, 1),
                                 "scope": GoalScope(department="Vertrieb Süd"),
                                 "target_pct": 150, "owner": "Sales South"}
    values.update(draft)
    goal = add_goal(conn, GoalDraft.model_validate(values), actor="anna", today=TODAY)
    return goal_report(conn, goal, today=TODAY)


def test_preview_shows_baseline_and_target_before_saving(
    goals_conn: duckdb.DuckDBPyConnection,
) -> None:
    preview = preview_goal(goals_conn, GoalDraft(
        name="x", scope=GoalScope(department="Vertrieb Süd"), start=date(2025, 5, 1)),
        today=TODAY)
    assert (preview.baseline.productive, preview.baseline.licensed) == (4, 6)
    assert preview.target == 5 and not preview.suppressed
    assert preview.baseline.definition["productive_min_active_days"] == 8
    assert list_goals(goals_conn) == []  # nothing stored


def test_goal_view_texts(goals_conn: duckdb.DuckDBPyConnection) -> None:
    report = _report(goals_conn)
    view = goal_view(report, "en")
    assert view.state == "on_track" and view.state_label == "On track"
    assert (view.baseline, view.target, view.actual, view.expected) == ("2", "5", "4", "3")
    assert view.forecast == "6.8" and view.needed == "+0.2" and view.gap == "1"
    assert view.actual_label == "Now (April 2025)"
    assert view.idle_value == "€200"  # Eva (barely) and Frank (never), 100 each
    assert view.idle_text is not None and "2 of 6 licensed people" in view.idle_text
    assert view.progress == pytest.approx(2 / 3)  # (4 - 2) / (5 - 2)
    assert "at least 8 active days" in view.definition
    german = goal_view(report, "de")
    assert german.state_label == "Im Plan" and german.forecast == "6,8"
    assert german.idle_value == "200\u00a0€"
    assert german.actual_label == "Jetzt (April 2025)"


def test_chart_spec(goals_conn: duckdb.DuckDBPyConnection) -> None:
    report = _report(goals_conn)
    frame = chart_frame(report.goal, report.progress, "en")
    actual = frame[frame["series"] == "actual"]
    assert list(actual["value"]) == [2, 3, 3, 4]  # January (baseline) to April
    assert list(actual["month_label"]) == ["Jan 2025", "Feb 2025", "Mar 2025", "Apr 2025"]
    assert len(frame[frame["series"] == "expected"]) == 10  # months 0..9
    assert frame[frame["series"] == "forecast"]["index"].tolist() == list(range(1, 10))
    d = goal_chart(report.goal, chart_frame(report.goal, report.progress, "de"), "de").to_dict()
    assert d["title"]["text"] == "Ist gegenüber Plan"
    layer = d["layer"][1]
    assert layer["encoding"]["x"]["title"] == "Monat"
    assert layer["encoding"]["y"]["title"] == "Produktive Nutzer"
    assert [t["title"] for t in layer["encoding"]["tooltip"]] == ["Monat", "Linie", "Wert"]
    assert d["layer"][0]["encoding"]["color"]["scale"]["domain"] == [
        "Ist", "Soll (Plan)", "Prognose (Trend)", "Ziel"]


def test_report_is_self_contained_html(goals_conn: duckdb.DuckDBPyConnection) -> None:
    report = _report(goals_conn)
    html = report_html(report, "en", generated=date(2025, 5, 2))
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "<script" not in html and "src=" not in html and "href=" not in html
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html)
    assert "+150 % Süd &lt;b&gt;" in html and "<b>" not in html  # user text is escaped
    assert "On track" in html and "Needed / month" in html
    assert "Figures for April 2025 · generated on 2 May 2025" in html
    assert html.count("<svg") == 1 and 'class="series-actual"' in html
    assert "@page { size: A4" in html
    assert report_file_name(report) == "goal-1-2025-04.html"
    german = report_html(report, "de")
    assert '<html lang="de">' in german and "Zielbericht" in german and "Im Plan" in german


def test_svg_draws_each_series(goals_conn: duckdb.DuckDBPyConnection) -> None:
    report = _report(goals_conn)
    svg = goal_chart_svg(report.goal, report.progress, "en")
    actual = re.search(r'<polyline points="([^"]+)"[^>]*class="series-actual"', svg)
    assert actual is not None and len(actual.group(1).split()) == 4
    for series in ("expected", "forecast", "target"):
        assert f'class="series-{series}"' in svg
    assert svg.count("<circle") == 4


def test_small_scope_shows_no_figures(goals_conn: duckdb.DuckDBPyConnection) -> None:
    report = _report(goals_conn, name="Marketing", scope=GoalScope(department="Marketing"),
                     target_pct=20)
    assert report.progress.suppressed
    view = goal_view(report, "en")
    assert view.state == "suppressed"
    assert {view.baseline, view.target, view.actual, view.expected, view.forecast, view.needed,
            view.gap, view.idle_value} == {"<5"}
    # no chart either: tests/unit/test_view_goals.py
    html = report_html(report, "en")
    assert "<svg" not in html and "&lt;5" in html
    assert "fewer than 5 licensed people" in html


def test_share_goal_texts(goals_conn: duckdb.DuckDBPyConnection) -> None:
    report = _report(goals_conn, metric=GoalMetric.PRODUCTIVE_SHARE, target_pct=150,
                     horizon_months=6)
    view = goal_view(report, "en")
    # 2/6 = 33.3 %; x 2.5 = 83.3 %; April 4/6 = 66.7 %; expected 1/3 + 0.5 x 3/6 = 58.3 %.
    assert (view.baseline, view.target, view.actual, view.expected) == (
        "33.3%", "83.3%", "66.7%", "58.3%")
    assert view.state == "on_track"
    assert view.needed == "+5.6\u00a0pp"  # (83.3 - 66.7) / 3 months
    assert view.gap == "1"  # 5/6 of 6 = 5 people; 4 productive


def test_demo_contains_the_training_wave_goal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "demo.duckdb"
    assert main(["demo", "--db", str(target), "--end-month", "2026-10", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    conn = db.connect(target)
    try:
        goals = list_goals(conn)
        focus = goals[0]
        assert focus.name == "+20 % productive users in Vertrieb Süd within 9 months"
        assert focus.start.isoformat() == summary["training_wave_month"] == "2026-01-01"
        assert focus.created_by == "demo" and focus.horizon_months == 9
        assert focus.target_pct == 20
        assert [c.field for c in goal_changes(conn, focus.id)] == ["note", "created"]
        report = goal_report(conn, focus, today=date(2026, 11, 5))
        assert report.progress.months_elapsed == 9  # a full history to the deadline
        assert report.progress.status == "achieved"
        assert len(goals) == 2 and goals[1].scope.department == "Vertrieb Nord"
    finally:
        conn.close()
    # The README's worked example.
    assert main(["goal", "status", "1", "--as-of", "2026-04", "--db", str(target), "--json"]) == 0
    april = json.loads(capsys.readouterr().out)
    assert (april["baseline"], april["target"], april["deadline"]) == (34, 41, "2026-09-30")
    assert (april["actual"], april["expected"], april["forecast"]) == (35, 37.1111, 34.4)
    assert (april["status"], april["needed_per_month"]) == ("at_risk", 1.2)
    assert main(["goal", "status", "1", "--as-of", "2026-05", "--db", str(target), "--json"]) == 0
    may = json.loads(capsys.readouterr().out)
    assert (may["actual"], may["expected"], may["status"]) == (39, 37.8889, "on_track")


@pytest.mark.parametrize("end_month", ["2026-04", "2026-11"])
def test_demo_goals_tell_the_same_story_whatever_the_end_month(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], end_month: str
) -> None:
    """The wave's goal is achieved at its deadline and the contrast goal is at risk, for any
    build date (``make run`` builds up to the last complete month)."""
    target = tmp_path / "demo.duckdb"
    assert main(["demo", "--db", str(target), "--end-month", end_month, "--json"]) == 0
    capsys.readouterr()
    statuses = []
    for goal_id in ("1", "2"):
        assert main(["goal", "status", goal_id, "--db", str(target), "--json"]) == 0
        status = json.loads(capsys.readouterr().out)
        assert status["as_of"] == end_month
        statuses.append(status["status"])
    assert statuses == ["achieved", "at_risk"]
