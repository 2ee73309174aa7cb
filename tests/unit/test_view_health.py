"""The Data health page's view: the datasets and the findings for leads, and for an audience
that sees no people nothing that names or counts a few of them.

Data: tests/fixtures/health/problems (tests/unit/test_health.py works out every finding by hand:
a roster of 7, 9 usage events, 4 opportunities, 3 training records; seven findings, all needing
attention, their examples naming people such as "Carla Christ" and "zoe@x.de").
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crm_dash import db
from crm_dash.audience import Audience
from crm_dash.datasets import DatasetKind
from crm_dash.pages import Role
from crm_dash.views.health import HealthView, health_view
from crm_dash.views.snapshot import snapshot
from tests.conftest import FIXTURES, fixture_db
from tests.view_walk import texts

TODAY = date(2026, 11, 2)
NAMES = ("Carla Christ", "Ben Bauer", "zoe@x.de", "ben@x.de", "SAP Sync", "Xaver Unbekannt",
         "Integration Marketo", "fixture")  # "fixture": who uploaded the files


def _view(tmp_path: Path, role: Role) -> HealthView:
    path = fixture_db(FIXTURES / "health" / "problems", tmp_path / "crm.duckdb")
    conn = db.connect(path)
    try:
        return health_view(snapshot(conn, db=str(path), today=TODAY), Audience(role))
    finally:
        conn.close()


def test_leads_see_the_datasets_and_every_finding(tmp_path: Path) -> None:
    view = _view(tmp_path, Role.LEAD)
    assert [(d.kind, d.rows) for d in view.datasets] == [
        (DatasetKind.USERS, 7), (DatasetKind.USAGE, 9), (DatasetKind.PIPELINE, 4),
        (DatasetKind.TRAINING, 3)]
    assert view.datasets[1].uploaded_by == "fixture"
    assert [f.code for f in view.findings] == [
        "usage_not_in_roster", "learners_not_in_roster", "owners_not_in_roster",
        "possible_leavers", "shared_email", "integration_unflagged", "integration_to_confirm"]
    assert view.attention == 7
    leavers = view.findings[3]
    # no activity since 1 Aug (90 days before the usage ends on 30 Oct), no end date
    assert (leavers.count, leavers.examples) == (2, ("Ben Bauer (alt)", "Carla Christ"))


def test_an_audience_that_sees_no_people_gets_no_names_and_no_small_counts(
        tmp_path: Path) -> None:
    view = _view(tmp_path, Role.EXECUTIVE)
    assert view.findings == () and view.attention == 7  # how many, as the Overview's line says
    assert [d.rows for d in view.datasets] == [7, 9, 4, 3]  # rows of data, not people
    assert all(d.uploaded_by is None for d in view.datasets)
    shown = texts(view).lower()
    assert not [name for name in NAMES if name.lower() in shown]
