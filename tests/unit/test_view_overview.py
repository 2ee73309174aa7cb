"""The Overview's view, without Streamlit: the adoption headline, the checklist and the
inventory for a lead, and what an executive may see of the same data.

The data is the adoption fixture (tests/fixtures/adoption, its README has every person's
segments): October 2026 is the latest complete month with 12 licensed people (productive 3,
sporadic 3, barely 3, never 2, new 1), September 2026 the month before with 10 (productive 2,
sporadic 4, barely 2, never 2, new 0). Service has 3 people, a group under the minimum of 5.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from crm_dash import db
from crm_dash.audience import Audience
from crm_dash.datasets import DatasetKind
from crm_dash.fixtures import load_generic_folder
from crm_dash.health.freshness import MissingUsage
from crm_dash.pages import Role
from crm_dash.views.overview import OverviewView, SegmentTile, overview_view
from crm_dash.views.snapshot import Snapshot, clear_caches, snapshot
from tests.conftest import FIXTURES
from tests.view_walk import texts

OCT, SEP = date(2026, 10, 1), date(2026, 9, 1)
LEAD = Audience(Role.LEAD)
EXECUTIVE = Audience(Role.EXECUTIVE)


def _snap(tmp_path: Path, folder: str, today: date) -> Iterator[Snapshot]:
    path = tmp_path / f"{folder}.duckdb"
    conn = db.connect(path)
    load_generic_folder(conn, FIXTURES / folder)
    clear_caches()
    yield snapshot(conn, db=str(path), today=today)
    conn.close()
    clear_caches()


@pytest.fixture
def snap(tmp_path: Path) -> Iterator[Snapshot]:
    yield from _snap(tmp_path, "adoption", date(2026, 11, 20))


def _people(folder: str) -> list[str]:
    with (FIXTURES / folder / "users.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return [r["name"] for r in rows] + [r["email"] for r in rows] + [r["user_id"] for r in rows]


def test_a_lead_sees_october_against_september(snap: Snapshot) -> None:
    view = overview_view(snap, LEAD)
    headline = view.headline
    assert headline is not None and headline.figures is not None
    assert (headline.month, headline.previous) == (OCT, SEP)
    figures = headline.figures
    assert (figures.now.licensed, figures.licensed_before) == (12, 10)
    assert figures.tiles == (
        SegmentTile("productive", 3, 3 / 12, 2, 2 / 10),
        SegmentTile("sporadic", 3, 3 / 12, 4, 4 / 10),
        SegmentTile("barely", 3, 3 / 12, 2, 2 / 10),
        SegmentTile("never", 2, 2 / 12, 2, 2 / 10),
        SegmentTile("new", 1, 1 / 12, 0, 0.0),  # Emil Engel started on 15 Oct
    )
    assert not figures.no_writes and figures.start_gap is None


def test_a_lead_gets_the_checklist_and_the_inventory(snap: Snapshot) -> None:
    view = overview_view(snap, LEAD)
    assert view.may_upload and view.checklist is not None
    assert [(i.kind, i.state) for i in view.checklist.items] == [
        (DatasetKind.USERS, "loaded"), (DatasetKind.USAGE, "loaded"),
        (DatasetKind.TRAINING, "loaded"), (DatasetKind.PIPELINE, "missing")]
    assert view.missing_usage is None  # October is complete, November not due on 20 Nov
    # 14 roster rows: 13 people and the SAP Sync integration account, in Vertrieb and Service
    assert (view.summary.people, view.summary.integration_accounts,
            view.summary.departments) == (13, 1, 2)
    assert view.summary.dataset(DatasetKind.PIPELINE).rows == 0
    assert view.health.link and view.health.report.needs_attention
    assert view.coverage_question is None  # nothing the coverage rule cannot decide


def test_an_executive_sees_no_change_of_a_few_people(snap: Snapshot) -> None:
    headline = overview_view(snap, EXECUTIVE).headline
    assert headline is not None and headline.figures is not None
    figures = headline.figures
    # 12 licensed people may be shown; their change of 2, and the segments' changes of 1 or 2,
    # are changes of fewer than 5 people: left out. Never (2 and 2) did not change: shown.
    assert figures.now.licensed == 12 and figures.licensed_before is None
    assert [(t.segment, t.before) for t in figures.tiles] == [
        ("productive", None), ("sporadic", None), ("barely", None), ("never", 2), ("new", None)]


def test_an_executive_gets_no_figure_of_too_few_people_and_no_name(snap: Snapshot) -> None:
    view = overview_view(snap, EXECUTIVE)
    _no_people_in(view, "adoption")
    assert view.coverage_question is None and not view.may_upload
    assert not view.health.link  # the line, not the Data health page with its names
    # With a minimum of 20, the company's 12 licensed people are a group too small to show.
    strict = overview_view(snap, Audience(Role.EXECUTIVE, min_group=20))
    assert strict.headline is not None and strict.headline.figures is None


def _no_people_in(view: OverviewView, folder: str) -> None:
    text = texts(view)
    for person in _people(folder):
        assert person not in text, person


def test_the_health_line_names_nobody(snap: Snapshot) -> None:
    # The id not on the roster (005XA0000000099) is a finding's example on the Data health
    # page; the Overview's line counts it without naming it.
    for audience in (LEAD, EXECUTIVE):
        report = overview_view(snap, audience).health.report
        assert report.attention[0].code == "usage_not_in_roster"
        assert report.attention[0].count == 1 and report.attention[0].examples == ()
        assert "005XA0000000099" not in texts(report)


@pytest.fixture
def goals_snap(tmp_path: Path) -> Iterator[Snapshot]:
    # tests/fixtures/goals ends on 30 April 2025; on 15 January 2026 the months from May to
    # December 2025 are due (December ended more than the grace days before).
    yield from _snap(tmp_path, "goals", date(2026, 1, 15))


def test_missing_usage_months_only_for_those_who_may_upload(goals_snap: Snapshot) -> None:
    assert overview_view(goals_snap, LEAD).missing_usage == MissingUsage(
        date(2025, 5, 1), date(2025, 12, 1))
    executive = overview_view(goals_snap, EXECUTIVE)
    assert executive.missing_usage is None and executive.checklist is not None
    _no_people_in(executive, "goals")


def test_an_empty_database_has_no_headline(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    conn = db.connect(path)
    view = overview_view(snapshot(conn, db=str(path), today=date(2026, 11, 20)), LEAD)
    conn.close()
    assert view.summary.is_empty and view.headline is None
    assert view.checklist is not None and view.checklist.empty
