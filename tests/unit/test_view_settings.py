"""The Settings page's view: the definition in force and its history, the coverage settings, the
integration accounts, the preview of a proposed definition, and what an audience that sees no
people gets.

Data: tests/fixtures/adoption (its README computes October 2026 by hand: productive 3, sporadic
3, barely 3, never 2, new 1; Lena Lang is sporadic with 9 active days and 3 creates, productive
once 3 writes suffice). SAP Sync is flagged by the roster; the usage data runs from August to
1 November, so the months a lead may name as complete are November back to August.
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
from crm_dash.importing.history import set_integration_accounts
from crm_dash.metrics.definitions import save_definition
from crm_dash.pages import Role
from crm_dash.settings import set_settings
from crm_dash.views.settings import definition_preview, settings_view
from crm_dash.views.snapshot import Snapshot, snapshot
from tests.view_walk import texts

ADOPTION = Path(__file__).parent.parent / "fixtures" / "adoption"
LEAD = Audience(Role.LEAD)
OCTOBER = date(2026, 10, 1)
SAP, BOT = "005XA0000000014", "005XA0000000013"


@pytest.fixture
def snap(tmp_path: Path) -> Iterator[Snapshot]:
    conn = db.connect(tmp_path / "crm.duckdb")
    load_generic_folder(conn, ADOPTION)
    yield snapshot(conn, db=str(tmp_path / "crm.duckdb"))
    conn.close()


def _again(snap: Snapshot) -> Snapshot:
    """The snapshot after a change (a new data version)."""
    return snapshot(snap.conn, db=snap.db, today=snap.today)


def test_the_defaults_and_who_is_left_out(snap: Snapshot) -> None:
    view = settings_view(snap, LEAD)
    assert (view.definition.version, view.latest_complete) == (0, OCTOBER)
    assert view.history == []
    assert view.excluded is not None and view.flag_changes is not None
    assert view.excluded[["name", "department", "reason"]].to_dict("records") == [
        {"name": "SAP Sync", "department": "IT", "reason": "roster"}]
    assert view.flag_changes.empty
    coverage = view.coverage
    assert coverage.months == (date(2026, 11, 1), OCTOBER, date(2026, 9, 1), date(2026, 8, 1))
    assert (coverage.complete_until, coverage.holidays, coverage.changes) == ("", "DE", ())
    assert view.integration is not None and len(view.integration.roster) == 14  # the roster


def test_changes_are_listed_with_who_and_when(snap: Snapshot) -> None:
    conn = snap.conn
    current = settings_view(snap, LEAD).definition.definition
    save_definition(conn, current.model_copy(update={"productive_min_writes": 3}), actor="lead")
    set_settings(conn, {"coverage.complete_until": "2026-10"}, actor="admin")
    set_integration_accounts(conn, {SAP, BOT}, "lead")
    view = settings_view(_again(snap), LEAD)
    assert view.definition.definition.productive_min_writes == 3
    assert view.history is not None
    assert [(c.key, c.old, c.new, c.changed_by) for c in view.history] == [
        ("adoption.productive_min_writes", 5, 3, "lead")]
    assert [(c.key, c.changed_by, c.versions) for c in view.coverage.changes] == [
        ("coverage.complete_until", "admin", 1)]
    assert view.coverage.complete_until == "2026-10"
    assert view.excluded is not None and view.flag_changes is not None
    assert view.excluded.set_index("name")["reason"].to_dict() == {
        "Robotic Process Bot": "by_hand", "SAP Sync": "roster"}
    assert view.flag_changes[["changed_by", "name", "is_integration"]].to_dict("records") == [
        {"changed_by": "lead", "name": "Robotic Process Bot", "is_integration": True}]


def test_the_preview_counts_october_under_both_definitions(snap: Snapshot) -> None:
    current = settings_view(snap, LEAD).definition.definition
    preview = definition_preview(snap, current, current.model_copy(
        update={"productive_min_writes": 3}), OCTOBER)
    # Lena Lang (9 days, 3 writes) moves from sporadic to productive
    assert preview.now == {"productive": 3, "sporadic": 3, "barely": 3, "never": 2, "new": 1}
    assert preview.then == {"productive": 4, "sporadic": 2, "barely": 3, "never": 2, "new": 1}
    assert not preview.time_zone_kept
    elsewhere = definition_preview(snap, current, current.model_copy(
        update={"time_zone": "UTC"}), OCTOBER)
    assert elsewhere.time_zone_kept and elsewhere.then == elsewhere.now  # counted in Berlin


def test_an_audience_that_sees_no_people_gets_no_names(snap: Snapshot) -> None:
    set_integration_accounts(snap.conn, {SAP, BOT}, "lead")
    view = settings_view(_again(snap), Audience(Role.EXECUTIVE))
    assert (view.history, view.excluded, view.flag_changes, view.integration) == (
        None, None, None, None)
    assert view.coverage.changes == ()
    with (ADOPTION / "users.csv").open(encoding="utf-8") as rows:
        people = [v for r in csv.DictReader(rows) for v in (r["name"], r["email"])]
    shown = texts(view).lower()
    assert not [name for name in people if name.lower() in shown]
