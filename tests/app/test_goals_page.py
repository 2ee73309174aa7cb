"""The Goals page in AppTest: leads set, edit and archive goals; executives only read.

Data: tests/fixtures/goals (Vertrieb Süd: productive users Jan 2, Feb 3, Mar 3, Apr 4 in 2025;
April 2025 is the latest complete month; Marketing has 3 people).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import audit, db
from crm_dash.goals.model import GoalDraft, GoalScope
from crm_dash.goals.store import get_goal, goal_changes, list_goals
from crm_dash.goals.tracker import add_goal
from crm_dash.settings import set_setting
from tests.conftest import fixture_db

ROOT = Path(__file__).parent.parent.parent
GOAL_FIXTURES = ROOT / "tests" / "fixtures" / "goals"
PEOPLE = ["Anna Adler", "Bernd Bauer", "Clara Conrad", "Dieter Dorn", "Eva Engel", "Frank Fuchs",
          "Maria Maier", "Nils Neumann", "Olga Otto"]


@pytest.fixture
def goals_db(tmp_path: Path) -> Path:
    return fixture_db(GOAL_FIXTURES, tmp_path / "goals.duckdb")


def _with_goal(path: Path, department: str = "Vertrieb Süd", **extra: object) -> None:
    conn = db.connect(path)
    values: dict[str, object] = {"name": f"+20 % in {department}", "start": date(2025, 2, 1),
                                 "scope": GoalScope(department=department), "owner": "Sales"}
    values.update(extra)
    add_goal(conn, GoalDraft.model_validate(values), actor="lead")
    conn.close()


def _texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.warning, *at.success)]
    parts += [m.label + " " + m.value for m in at.metric]
    parts += [str(getattr(e, "value", "")) for e in at.subheader]
    return "\n".join(str(p) for p in parts)


def _page(make_app: Callable[..., AppTest], path: Path, role: str = "lead") -> AppTest:
    return make_app(path, "pages/goals.py", role=role).run()


def test_lead_sees_baseline_and_target_before_saving_then_creates(
    make_app: Callable[..., AppTest], goals_db: Path
) -> None:
    at = _page(make_app, goals_db)
    assert not at.exception
    assert "No goals yet" in at.info[0].value
    # Marketing comes first and has 3 people: the preview says so instead of figures.
    assert at.selectbox(key="goal_new_department").value == "Marketing"
    assert "fewer than 5" in at.warning[-1].value
    at.selectbox(key="goal_new_department").set_value("Vertrieb Süd").run()
    # The start defaults to the latest month whose previous month is complete: May 2025.
    assert at.selectbox(key="goal_new_start").value == date(2025, 5, 1)
    preview = at.info[-1].value
    assert "**Baseline:** 4 (Productive users, April 2025)" in preview
    assert "**target:** 5 by 31 Jan 2026 (+20 %)" in preview
    at.number_input(key="goal_new_pct").set_value(50).run()
    assert "**target:** 6 by 31 Jan 2026 (+50 %)" in at.info[-1].value  # 4 x 1.5
    assert list_goals(db.connect(goals_db)) == []  # nothing saved yet

    at.selectbox(key="goal_new_start").set_value(date(2025, 2, 1)).run()
    assert "**Baseline:** 2 (Productive users, January 2025)" in at.info[-1].value
    at.text_input(key="goal_new_owner").input("Sales South")
    at.button(key="goal_new_save").click().run()
    assert not at.exception
    assert "saved" in at.success[0].value
    conn = db.connect(goals_db)
    [goal] = list_goals(conn)
    conn.close()
    assert goal.name == "+50 % productive users in Vertrieb Süd within 9 months"
    assert (goal.baseline, goal.target, goal.created_by, goal.owner) == (2, 3, "lead",
                                                                          "Sales South")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Baseline"] == "2" and metrics["Target"] == "3"
    assert metrics["Now (April 2025)"] == "4"
    assert metrics["Idle licences per month"] == "€200"
    assert "Achieved" in at.subheader[0].value


def test_lead_edits_the_target_and_sees_the_history(
    make_app: Callable[..., AppTest], goals_db: Path
) -> None:
    _with_goal(goals_db)
    at = _page(make_app, goals_db)
    at.number_input(key="goal_edit_pct_1").set_value(150)
    at.text_input(key="goal_edit_name_1").input("Süd +150 %")
    at.button(key="goal_edit_save_1").click().run()
    assert not at.exception
    assert "Changes to “Süd +150 %” saved." in at.success[0].value
    conn = db.connect(goals_db)
    goal = get_goal(conn, 1)
    assert (goal.baseline, goal.target, goal.target_pct) == (2, 5, 150)  # 2 x 2.5, frozen base
    assert {c.field for c in goal_changes(conn, 1)} == {"created", "name", "target_pct",
                                                        "target"}
    assert audit.audit_events(conn, action="goal_edit")["actor"].tolist() == ["lead"]
    conn.close()
    history = at.dataframe[0].value
    assert list(history.columns) == ["When", "Who", "What", "Before", "After"]
    assert set(history["What"]) == {"Goal set", "Name", "Target change (%)", "Target"}
    assert history[history["What"] == "Target"][["Before", "After"]].values.tolist() == [
        ["3", "5"]]
    assert {m.label: m.value for m in at.metric}["Target"] == "5"


def test_lead_archives_a_goal(make_app: Callable[..., AppTest], goals_db: Path) -> None:
    _with_goal(goals_db)
    at = _page(make_app, goals_db)
    assert at.button(key="goal_archive_1").disabled  # needs the confirmation first
    at.checkbox(key="goal_archive_confirm_1").check().run()
    at.button(key="goal_archive_1").click().run()
    assert not at.exception
    assert "archived" in at.success[0].value
    conn = db.connect(goals_db)
    assert get_goal(conn, 1).archived and list_goals(conn) == []
    conn.close()
    assert "No goals yet" in at.info[0].value
    assert at.expander[-1].label == "Archived goals (1)"


def test_executive_reads_without_edit_widgets_or_names(
    make_app: Callable[..., AppTest], goals_db: Path
) -> None:
    _with_goal(goals_db, owner="Sabine Sonnenschein")
    _with_goal(goals_db, department="Marketing")
    at = _page(make_app, goals_db, role="executive")
    assert not at.exception
    assert len(at.subheader) == 2
    # The owner a lead typed reads as a role, on the page and in the report.
    assert "Sabine Sonnenschein" not in _texts(at)
    assert "**Owner**: Project lead" in _texts(at)
    assert not at.text_input and not at.number_input and not at.selectbox
    assert not at.checkbox and not at.text_area
    assert [b.label for b in at.button] == ["Log out"]
    assert not at.expander  # no edit form, no change history
    assert not at.dataframe
    assert [d.label for d in at.get("download_button")] == [
        "Download report (HTML)", "Download report (Excel)"] * 2
    text = _texts(at)
    assert "read-only" in text
    for name in PEOPLE:
        assert name not in text
    metrics = [(m.label, m.value) for m in at.metric]
    # Vertrieb Süd: baseline 2 -> target 3, April 4. Marketing (3 people): no figure at all,
    # no chart, only the reason.
    assert metrics[:3] == [("Baseline", "2"), ("Target", "3"), ("Now (April 2025)", "4")]
    assert len(metrics) == 9  # the 9 figures of the first goal only
    assert len(at.get("vega_lite_chart")) == 1
    assert "Fewer than 5 people" in at.subheader[1].value
    assert "fewer than 5 licensed people" in text


def test_changed_definition_is_flagged(make_app: Callable[..., AppTest], goals_db: Path) -> None:
    _with_goal(goals_db)
    conn = db.connect(goals_db)
    set_setting(conn, "adoption.productive_min_writes", 3, actor="lead")
    conn.close()
    at = _page(make_app, goals_db, role="executive")
    assert not at.exception
    warning = at.warning[-1].value
    assert "definition has changed since this goal was set" in warning
    assert "at least 5 writes" in warning  # what the baseline was measured with
    assert "at least 3 writes" in _texts(at)  # what today's figures use


def test_executive_sees_an_empty_page_politely(
    make_app: Callable[..., AppTest], goals_db: Path
) -> None:
    at = _page(make_app, goals_db, role="executive")
    assert not at.exception
    assert "No goals have been set yet" in at.info[0].value


def test_page_in_german(make_app: Callable[..., AppTest], goals_db: Path) -> None:
    _with_goal(goals_db)
    at = make_app(goals_db, "pages/goals.py", role="lead")
    at.query_params["lang"] = "de"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Ziele"
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["Ausgangsbasis", "Ziel", "Jetzt (April 2025)"]
    assert "Erreicht" in at.subheader[0].value
    assert at.button(key="goal_new_save").label == "Ziel speichern"


def test_no_usage_data_yet(make_app: Callable[..., AppTest], tmp_path: Path) -> None:
    at = _page(make_app, tmp_path / "empty.duckdb")
    assert not at.exception
    assert any("upload the user roster" in i.value for i in at.info)


def test_goals_in_navigation_for_every_role(
    make_app: Callable[..., AppTest], goals_db: Path
) -> None:
    from crm_dash.pages import ALL_ROLES, PAGES, page

    assert page("goals").roles == ALL_ROLES
    assert [p.key for p in PAGES].index("goals") == [p.key for p in PAGES].index("overview") + 1
    at = make_app(goals_db, role="executive").run()
    assert not at.exception
