"""The Retrospective page's view: which retrospective opens, the figures beside its items, the
start form's preview, the comparison, the downloads, and what executives read.

Data: tests/fixtures/retro (its README computes the evidence by hand: for a retrospective held
on 20 Nov 2026 the evidence month is October 2026; 3 of 5 joiners onboarded within 30 days, 12
of 15 licensed people trained). Marketing holds 3 people (U07, U08, U12): a small group.
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
from crm_dash.fixtures import load_generic_folder
from crm_dash.pages import Role
from crm_dash.retro.model import Evidence, ItemStatus, RetroHeader
from crm_dash.retro.store import create_retro, save_retro
from crm_dash.views.retro import Figures, RetroChoice, StartPreview, retro_view
from crm_dash.views.snapshot import Snapshot, snapshot
from tests.view_walk import texts

FIXTURE = Path(__file__).parent.parent / "fixtures" / "retro"
HELD_ON, NEXT = date(2026, 11, 20), date(2026, 12, 15)
OCTOBER = date(2026, 10, 1)
LEAD, EXECUTIVE = Audience(Role.LEAD), Audience(Role.EXECUTIVE)
TYPED = ("Petra Projekt", "Xaver Xylo", "Yvonne Ypsilon")  # names leads typed


@pytest.fixture
def retro_conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The fixture with one retrospective: participants and an owner typed by name, one action
    (onboarding, in progress with notes, owner and due date)."""
    connection = db.connect(tmp_path / "retro.duckdb")
    load_generic_folder(connection, FIXTURE)
    header = RetroHeader(held_on=HELD_ON, participants="Petra Projekt, Xaver Xylo")
    retro = create_retro(connection, header, actor="lead")
    save_retro(connection, retro.id, header, [
        {"item_id": "training.onboarding", "status": "in_progress",
         "notes": "Checklist for joiners", "owner": "Yvonne Ypsilon", "due_date": "2026-12-31"},
        {"item_id": "origin.goal_known", "status": "done"}], actor="lead")
    yield connection
    connection.close()


def _snap(conn: duckdb.DuckDBPyConnection) -> Snapshot:
    path = conn.execute("SELECT path FROM duckdb_databases() WHERE database_name = "
                        "current_database()").fetchone()
    assert path is not None
    return snapshot(conn, db=str(path[0]), today=date(2026, 11, 25))


def _next_retro(conn: duckdb.DuckDBPyConnection) -> None:
    """A second retrospective; it carries the onboarding action over."""
    create_retro(conn, RetroHeader(held_on=NEXT, participants="Petra Projekt"), actor="lead")


def test_the_lead_sees_the_retro_with_the_figures_of_its_month(
        retro_conn: duckdb.DuckDBPyConnection) -> None:
    view = retro_view(_snap(retro_conn), RetroChoice(), LEAD, "en")
    assert view.editable and view.start is None  # no date in the start form
    assert view.time_zone == "Europe/Berlin"
    assert [s.retro.held_on for s in view.summaries] == [HELD_ON]
    opened = view.open
    assert opened is not None
    assert (opened.retro.participants, opened.retro.created_by) == (
        "Petra Projekt, Xaver Xylo", "lead")
    owners = {i.item_id: i.owner for i in opened.items if i.owner}
    assert owners == {"training.onboarding": "Yvonne Ypsilon"}  # leads work with names
    # never saved with figures: the live ones of October (README: 3 of 5, 12 of 15)
    assert (opened.figures.month, opened.figures.saved) == (OCTOBER, False)
    assert opened.figures.evidence["training.onboarding"].values == {
        "joiners": 5, "onboarded": 3, "onboarded_share": 0.6}
    assert opened.figures.evidence["training.everyone"].values["trained"] == 12
    assert opened.comparison is None and opened.carried == 0  # the first one
    # the downloads: the one action, in the page's language
    assert len(opened.downloads.actions) == 1
    assert "Yvonne Ypsilon" in opened.downloads.markdown
    assert "Checklist for joiners" in opened.downloads.html


def test_the_retro_asked_for_opens_else_the_latest(
        retro_conn: duckdb.DuckDBPyConnection) -> None:
    _next_retro(retro_conn)
    snap = _snap(retro_conn)
    latest = retro_view(snap, RetroChoice(), LEAD, "en").open
    assert latest is not None and latest.retro.held_on == NEXT
    # the onboarding action came over, still in progress; the comparison is with 20 Nov
    assert latest.carried == 1 and latest.comparison is not None
    assert latest.comparison.previous.held_on == HELD_ON
    assert [i.item_id for i in latest.comparison.still_open] == ["training.onboarding"]
    asked = retro_view(snap, RetroChoice(wanted=(99, 1, 2)), LEAD, "en").open
    assert asked is not None and asked.retro.held_on == HELD_ON  # 99 does not exist


def test_the_start_form_says_what_a_new_retro_follows(
        retro_conn: duckdb.DuckDBPyConnection) -> None:
    _next_retro(retro_conn)
    snap = _snap(retro_conn)
    after = retro_view(snap, RetroChoice(start_on=date(2026, 12, 20)), LEAD, "en")
    assert after.start == StartPreview(previous=NEXT, open_actions=1)
    between = retro_view(snap, RetroChoice(start_on=HELD_ON), LEAD, "en")
    assert between.start == StartPreview(previous=HELD_ON, open_actions=1)
    first = retro_view(snap, RetroChoice(start_on=date(2026, 1, 1)), LEAD, "en")
    assert first.start == StartPreview(previous=None, open_actions=0)
    readers = retro_view(snap, RetroChoice(start_on=HELD_ON), EXECUTIVE, "en")
    assert not readers.editable and readers.start is None


def test_saved_figures_are_the_ones_the_meeting_saw(
        retro_conn: duckdb.DuckDBPyConnection) -> None:
    found = Evidence(item_id="training.regular", month=date(2026, 9, 1), has_data=True,
                     text_key="retro.evidence.training.regular",
                     values={"months": 7, "sessions": 7}, suggested_status=ItemStatus.IN_PROGRESS,
                     rule_key="retro.rule.training.regular")
    save_retro(retro_conn, 1, RetroHeader(held_on=HELD_ON), [], actor="lead",
               evidence={"training.regular": found}, evidence_month=date(2026, 9, 1))
    opened = retro_view(_snap(retro_conn), RetroChoice(), LEAD, "en").open
    assert opened is not None
    assert opened.figures == Figures(date(2026, 9, 1), {"training.regular": found}, saved=True)


def _roster_names() -> list[str]:
    with (FIXTURE / "users.csv").open(encoding="utf-8") as rows:
        people = [r for r in csv.DictReader(rows) if r["is_integration"] != "true"]
    return [v for r in people for v in (r["name"], r["email"]) if v]


def test_executives_read_roles_and_no_small_group(
        retro_conn: duckdb.DuckDBPyConnection) -> None:
    # 3 management accounts left (U01, U02 by manager id, U06 by e-mail): a small group
    retro_conn.execute("UPDATE users SET role = 'Vertrieb', manager_id = NULL"
                       " WHERE user_key IN ('U15', 'U08', 'U12', 'U07')")
    retro_conn.execute("UPDATE users SET manager_id = NULL WHERE user_key IN ('U02', 'U06')")
    _next_retro(retro_conn)
    view = retro_view(_snap(retro_conn), RetroChoice(wanted=(2,)), EXECUTIVE, "en")
    opened = view.open
    assert opened is not None and opened.comparison is not None
    assert opened.retro.participants == "Project team"
    assert (opened.retro.created_by, opened.retro.updated_by) == ("", None)
    assert {i.owner for i in opened.items if i.owner} == {"Project lead"}
    assert opened.comparison.previous.participants == "Project team"
    assert {s.retro.participants for s in view.summaries} == {"Project team"}
    management = opened.figures.evidence["integration.management_uses"]
    assert (management.text_key, management.values) == ("retro.nodata.small_group", {"min": 5})
    for evidence in opened.figures.evidence.values():  # every share is of 5 people or more
        for key in ("licensed", "managers", "joiners"):
            assert int(evidence.values.get(key) or 5) >= 5, (evidence.item_id, key)
    shown = texts(view)
    assert "Project lead" in opened.downloads.markdown
    assert not [name for name in (*_roster_names(), *TYPED) if name.lower() in shown.lower()]
