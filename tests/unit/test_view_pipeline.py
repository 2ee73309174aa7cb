"""The Pipeline page's view (:func:`crm_dash.views.pipeline.pipeline_view`) against the hand
computations of tests/fixtures/pipeline/README.md, for a lead and for an executive.

The fixture: 17 opportunities of 8 owners as of 31 Oct 2026; Vertrieb 5 owners, Service 1 (a
group under 5), 2 owners not on the roster (Max Muster, Gerd Gast); October 2026 is the latest
complete month of usage, each owner's segment is the one of October.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from crm_dash import db
from crm_dash.audience import Audience
from crm_dash.pages import Role
from crm_dash.settings import set_setting
from crm_dash.views.pipeline import PipelineView, department_options, pipeline_view
from crm_dash.views.snapshot import Snapshot, clear_caches, snapshot
from tests.conftest import FIXTURES, fixture_db
from tests.view_walk import group_tables, texts

PIPELINE = FIXTURES / "pipeline"
TODAY = date(2026, 11, 23)  # usage ends 1 Nov 2026: October is the latest complete month
OCTOBER = date(2026, 10, 1)
LEAD, EXECUTIVE = Audience(Role.LEAD), Audience(Role.EXECUTIVE)


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    clear_caches()
    connection = db.connect(fixture_db(PIPELINE, tmp_path / "pipeline.duckdb"))
    yield connection
    connection.close()
    clear_caches()


@pytest.fixture
def snap(conn: duckdb.DuckDBPyConnection) -> Snapshot:
    return snapshot(conn, db="pipeline", today=TODAY)


def test_a_lead_sees_the_headline_figures_and_every_group(snap: Snapshot) -> None:
    view = pipeline_view(snap, None, LEAD, "en")
    assert view.lead and not view.too_small
    assert view.as_of is not None
    # The latest last_modified_at is O01's 31 Oct; the segments are October's.
    assert (view.as_of.day, view.as_of.source, view.as_of.opportunities,
            view.as_of.segment_month) == (date(2026, 10, 31), "last_modified", 17, OCTOBER)
    tiles = view.tiles
    assert tiles is not None
    # 11 open; 70,000 EUR and 8,000 USD: no single total, the tile shows the larger (EUR).
    assert (tiles.summary.open, tiles.open_value, tiles.currency) == (11, 70_000.0, "EUR")
    assert tiles.summary.hygiene_score == pytest.approx(740 / 11)
    assert tiles.gaps == () and tiles.all_owners_unmatched is None

    segments = view.segments
    assert segments is not None and segments.month == OCTOBER
    assert (segments.currency, segments.several_currencies, segments.suppressed) == (
        "EUR", True, False)
    table = segments.table.frame.set_index("group")
    assert table.index.tolist() == ["productive", "sporadic", "barely", "never", "new",
                                    "not_in_roster"]
    # Sporadic: Bruno and Frida, 3 open, 54,000 EUR, score (100 + 15 + 70) / 3, won 0 of 1.
    sporadic = table.loc["sporadic"]
    assert (sporadic["owners"], sporadic["open"], sporadic["open_value"]) == (2, 3, 54_000.0)
    assert sporadic["hygiene_score"] == pytest.approx(185 / 3)
    assert (sporadic["win_rate"], sporadic["won_12m"], sporadic["closed_12m"]) == (0.0, 0, 1)
    # Never (Dora): no EUR, 8,000 USD.
    assert table.loc["never", "open_value_by_currency"] == {"USD": 8000.0}
    assert segments.chart.frame["group"].tolist() == table.index.tolist()  # a lead: all

    departments = view.departments
    assert departments is not None
    frame = departments.table.frame.set_index("group")
    assert frame.index.tolist() == ["Service", "Vertrieb", "not_in_roster"]
    assert frame["owners"].tolist() == [1, 5, 2]
    # Vertrieb: 8 open, score 540 / 8.
    assert (frame.loc["Vertrieb", "open"], frame.loc["Vertrieb", "hygiene_score"]) == (8, 67.5)

    unmatched = view.unmatched
    assert unmatched is not None and unmatched.table is not None
    assert (unmatched.owners, unmatched.opportunities) == (2, 3)
    assert unmatched.table.values.tolist() == [["Gerd Gast", 2, 1], ["Max Muster", 1, 1]]

    stages = view.stages
    assert stages is not None and stages.mapping == {}
    assert "Vertrag unterschrieben" in stages.labels["stage"].tolist()


def test_a_lead_gets_every_owner_and_the_download(snap: Snapshot) -> None:
    owners = pipeline_view(snap, None, LEAD, "en").owners
    assert owners is not None
    by_name = owners.table.set_index("name")
    assert len(by_name) == 8 and owners.open == 11
    # Anna: 2 open, score (100 + 25) / 2, one each of three reasons (ties by weight).
    anna = by_name.loc["Anna Amsel"]
    assert (anna["segment"], anna["open"], anna["next_step"], anna["score"], anna["reasons"]) == (
        "Productive", 2, 50.0, 62.5, "missing next step; close date passed; missing amount")
    assert by_name.loc["Gerd Gast", "segment"] == "Not in roster"
    assert owners.headings["segment"] == "Segment"  # the page names the month in its caption
    assert owners.download.columns.tolist() == [
        "Owner", "Department", "Segment (October 2026)", "Open", "Hygiene score", "Reasons",
        "Next step", "Overdue", "Stale", "Missing amount", "Open value (EUR)", "Win rate"]
    assert owners.download_name == "crm-dash-pipeline-owners-2026-10-31"


def test_a_department_scopes_the_figures_and_drops_everyone_s_sections(snap: Snapshot) -> None:
    view = pipeline_view(snap, ("Vertrieb",), LEAD, "en")
    assert view.tiles is not None and view.owners is not None
    # Vertrieb: 8 open, next step 5 of 8, score 540 / 8.
    summary = view.tiles.summary
    assert (summary.open, summary.hygiene_score) == (8, 67.5)
    assert summary.open_with_next_step_share == pytest.approx(5 / 8)
    assert len(view.owners.table) == 5
    assert view.unmatched is None and view.departments is None


def test_pseudonyms_replace_owner_names(snap: Snapshot) -> None:
    view = pipeline_view(snap, None, Audience(Role.LEAD, pseudonyms=True), "en")
    assert view.owners is not None and view.unmatched is not None
    assert view.unmatched.table is not None
    names = [*view.owners.table["name"], *view.unmatched.table["owner"]]
    assert all(n.startswith("Person ") for n in names)
    assert "Anna Amsel" not in texts(view)


def _fixture_people() -> list[str]:
    """Every name, e-mail and id of the roster, and every owner the export names."""
    with (PIPELINE / "users.csv").open(encoding="utf-8-sig") as users:
        people = [value for row in csv.DictReader(users)
                  for value in (row["name"], row["email"], row["user_id"][:15])]
    with (PIPELINE / "pipeline.csv").open(encoding="utf-8-sig") as opportunities:
        people += [row["owner"].strip() for row in csv.DictReader(opportunities)]
    return [p for p in people if p]


def test_an_executive_sees_no_small_group_and_nobody(snap: Snapshot) -> None:
    view = pipeline_view(snap, None, EXECUTIVE, "en")
    assert not view.lead and not view.too_small
    tables = group_tables(view)
    assert len(tables) == 3  # segments (table and chart), departments
    for table in tables:
        sizes = table.frame[table.size_column]
        small = [s for s in sizes if s != EXECUTIVE.hidden and EXECUTIVE.too_small(s)]
        assert small == [], (table.size_column, small)
    text = texts(view)
    for person in _fixture_people():
        assert person not in text, person
    assert view.owners is None and view.stages is None
    assert view.unmatched is not None and view.unmatched.table is None
    segments, departments = view.segments, view.departments
    assert segments is not None and departments is not None
    assert segments.suppressed and departments.suppressed
    # Every segment group has fewer than 5 owners: every figure reads "<5", no chart.
    values = segments.table.frame.drop(columns="group")
    assert set(values.to_numpy().ravel()) == {"<5"}
    assert segments.chart.empty
    # Service 1, Vertrieb 5 (everyone but Vertrieb would be 3), not on the roster 2: all hidden.
    assert set(departments.table.frame.drop(columns="group").to_numpy().ravel()) == {"<5"}
    # 2 owners of 3 opportunities are not on the roster: too few owners to count
    assert (view.unmatched.owners, view.unmatched.opportunities) == ("<5", 3)


def test_an_executive_gets_no_department_alone_and_no_figures_of_one(snap: Snapshot) -> None:
    # Vertrieb 5 (3 outside it), Service 1, both together 6 (2 outside): nothing to offer.
    assert department_options(snap, EXECUTIVE) == ()
    assert [o.label for o in department_options(snap, LEAD)] == ["Service", "Vertrieb"]
    # A choice never offered shows nothing, however it came.
    assert pipeline_view(snap, ("Vertrieb",), EXECUTIVE, "en").too_small
    assert not pipeline_view(snap, ("Vertrieb",), LEAD, "en").too_small


def test_an_executive_selection_under_the_minimum_shows_no_figures(
        conn: duckdb.DuckDBPyConnection) -> None:
    set_setting(conn, "privacy.min_group_size", 10, actor="admin")  # 8 owners < 10
    audience = Audience(Role.EXECUTIVE, min_group=10)
    view = pipeline_view(snapshot(conn, db="pipeline", today=TODAY), None, audience, "en")
    assert view.as_of is not None
    assert view == PipelineView(lead=False, as_of=view.as_of, too_small=True)


def test_without_pipeline_data_the_view_is_empty(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "empty.duckdb")
    snap = snapshot(conn, db="empty", today=TODAY)
    assert pipeline_view(snap, None, EXECUTIVE, "en") == PipelineView(lead=False)
    assert department_options(snap, LEAD) == ()
    conn.close()
