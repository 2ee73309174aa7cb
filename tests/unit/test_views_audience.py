"""Every view, read as an executive, over a company with small groups: no group under the
minimum and no name anywhere (fields, tables, chart data, downloads).

The company is the demo (120 people, 18 months to October 2026, goals and a retrospective whose
participants and owners leads typed by name) with one department cut down to 3 people
("Kleinteam": the first three licensed people of the roster moved there), so that a small group
exists in every dataset that has departments. Every view is called as the pages call it: with
everyone chosen, and with each department the executive's filter offers (the views must hide
what the filter would never offer too, so every department on file is tried as well).

What counts as a name: every roster name, e-mail and CRM user id, the display name of every app
account, the account that changed the adoption definition, and the names typed as goal owners,
retrospective participants and item owners (the demo's leads typed roles there, so the fixture
types names instead).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from crm_dash import db
from crm_dash.audience import Audience, audience_for
from crm_dash.demo import build_demo
from crm_dash.goals.demo import add_demo_goals
from crm_dash.i18n import LANGUAGES
from crm_dash.pages import Role
from crm_dash.retro.demo import add_demo_retro
from crm_dash.settings import set_setting
from crm_dash.views import data
from crm_dash.views.admin import admin_view
from crm_dash.views.adoption import adoption_view
from crm_dash.views.filters import Filters
from crm_dash.views.goals import goals_view
from crm_dash.views.health import health_view
from crm_dash.views.imports import imports_view
from crm_dash.views.overview import overview_view
from crm_dash.views.people import people_view
from crm_dash.views.pipeline import department_options, pipeline_view
from crm_dash.views.retro import RetroChoice, retro_view
from crm_dash.views.settings import settings_view
from crm_dash.views.snapshot import Snapshot, clear_caches, snapshot
from crm_dash.views.training import training_view
from tests.view_walk import group_tables, texts

TODAY = date(2026, 11, 16)
SMALL = "Kleinteam"
#: Names leads type as goal owners, retrospective participants and item owners.
TYPED = ("Petra Quandt", "Jonas Wirbel")
#: The lead account that changes the adoption definition.
ACCOUNT = "petra.quandt"


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, Path]:
    path = tmp_path_factory.mktemp("walk") / "demo.duckdb"
    conn = db.connect(path)
    summary = build_demo(conn, end_month=date(2026, 10, 1), out_dir=None, users=120)
    add_demo_goals(conn, summary)
    add_demo_retro(conn, summary)
    conn.execute(
        "UPDATE users SET department = ? WHERE user_key IN (SELECT user_key FROM users"
        " WHERE NOT is_integration AND end_date IS NULL ORDER BY user_key LIMIT 3)", [SMALL])
    # The demo's leads typed roles ("Head of Sales"); real leads type names.
    conn.execute("UPDATE goals SET owner = ? WHERE owner IS NOT NULL", [TYPED[0]])
    conn.execute("UPDATE retros SET participants = ?", [", ".join(TYPED)])
    conn.execute("UPDATE retro_items SET owner = ? WHERE owner IS NOT NULL", [TYPED[1]])
    # A lead's account changed the definition: executives read the version, not who.
    set_setting(conn, "adoption.productive_min_writes", 4, actor=ACCOUNT)
    yield conn, path
    conn.close()


@pytest.fixture
def snap(company: tuple[duckdb.DuckDBPyConnection, Path]) -> Snapshot:
    clear_caches()
    conn, path = company
    return snapshot(conn, db=str(path), today=TODAY)


def _names(conn: duckdb.DuckDBPyConnection) -> set[str]:
    queries = (
        "SELECT name FROM users UNION SELECT email FROM users UNION SELECT user_id FROM users",
        "SELECT display_name FROM app_users",
    )
    found = {str(v) for q in queries for (v,) in conn.execute(q).fetchall() if v}
    return {n for n in found | {*TYPED, ACCOUNT} if len(n) >= 5}  # shorter strings are words


def _check(view: object, names: set[str], audience: Audience, where: str) -> None:
    shown = texts(view)
    leaked = sorted(n for n in names if n in shown)
    assert not leaked, f"{where}: names in the view: {leaked[:5]}"
    for table in group_tables(view):
        sizes = pd.to_numeric(table.frame[table.size_column], errors="coerce").dropna()
        small = sizes[(sizes > 0) & (sizes < audience.min_group)]
        assert small.empty, f"{where}: groups under {audience.min_group}: {small.tolist()}"
        markers = table.frame[table.size_column][pd.to_numeric(
            table.frame[table.size_column], errors="coerce").isna()].dropna()
        assert set(markers.astype(str)) <= {audience.hidden}, f"{where}: {set(markers)}"


def _month_filters(snap: Snapshot) -> list[Filters]:
    adoption = data.adoption_data(snap)
    assert adoption.latest_complete is not None
    last = adoption.latest_complete
    first = adoption.months()[-12]
    departments = sorted(adoption.frame["department"].dropna().unique())
    assert SMALL in departments
    return [Filters.everyone_in(first, last),
            *(Filters(first, last, d, None, None) for d in departments)]


def test_the_fixture_has_small_groups_and_names(
        company: tuple[duckdb.DuckDBPyConnection, Path]) -> None:
    conn, _ = company
    sizes = dict(conn.execute(
        "SELECT department, count(*) FROM users WHERE NOT is_integration GROUP BY 1").fetchall())
    assert sizes[SMALL] == 3
    names = _names(conn)
    assert len(names) > 300  # 120 names, e-mails and ids, owners, participants, accounts
    assert conn.execute("SELECT count(*) FROM goals WHERE owner IS NOT NULL").fetchone()[0] > 0


def test_an_executive_sees_no_small_group_and_no_name_in_any_view(
        snap: Snapshot, company: tuple[duckdb.DuckDBPyConnection, Path]) -> None:
    conn, _ = company
    executive = audience_for(conn, Role.EXECUTIVE)
    names = _names(conn)
    walked = 0
    for filters in _month_filters(snap):
        where = f"department {filters.department or 'everyone'}"
        _check(adoption_view(snap, filters, executive), names, executive, f"adoption, {where}")
        _check(people_view(snap, filters, executive), names, executive, f"people, {where}")
        one_month = Filters(filters.last, filters.last, filters.department, None, None)
        _check(training_view(snap, one_month, executive), names, executive,
               f"training, {where}")
        walked += 3
    departments: list[tuple[str, ...] | None] = [None]
    departments += [option.members for option in department_options(snap, executive)]
    departments += [(SMALL,)]  # never offered; the view must still hide it
    for lang in LANGUAGES:
        for department in departments:
            _check(pipeline_view(snap, department, executive, lang), names, executive,
                   f"pipeline {department}, {lang}")
            walked += 1
        for view, name in (
            (goals_view(snap, executive, lang), "goals"),
            (retro_view(snap, RetroChoice(), executive, lang), "retrospective"),
        ):
            _check(view, names, executive, f"{name}, {lang}")
            walked += 1
    for view, name in (
        (overview_view(snap, executive), "overview"),
        (health_view(snap, executive), "data health"),
        (imports_view(snap, None, executive), "import history"),
        (settings_view(snap, executive), "settings"),
        (admin_view(snap, executive), "admin"),
    ):
        _check(view, names, executive, name)
        walked += 1
    assert walked >= 30


def test_the_walk_finds_what_a_lead_may_see(
        snap: Snapshot, company: tuple[duckdb.DuckDBPyConnection, Path]) -> None:
    """The check can fail: a lead's views hold names and the small department."""
    conn, _ = company
    lead = audience_for(conn, Role.LEAD)
    names = _names(conn)
    filters = _month_filters(snap)[0]
    with pytest.raises(AssertionError, match="names in the view"):
        _check(people_view(snap, filters, lead), names, Audience(Role.EXECUTIVE), "people")
    with pytest.raises(AssertionError, match="names in the view"):
        _check(goals_view(snap, lead, "en"), names, Audience(Role.EXECUTIVE), "goals")
    with pytest.raises(AssertionError, match=r"petra\.quandt"):  # who changed the definition
        _check(adoption_view(snap, filters, lead).definition, names, Audience(Role.EXECUTIVE),
               "definition")
    with pytest.raises(AssertionError, match="groups under 5"):
        _check(adoption_view(snap, filters, lead), set(), Audience(Role.EXECUTIVE), "adoption")
