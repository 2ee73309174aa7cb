"""The demo's past retrospective: a realistic mix, open actions that carry over, its figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from crm_dash import db
from crm_dash.demo import DemoSummary
from crm_dash.fixtures import load_generic_folder
from crm_dash.retro.demo import add_demo_retro, add_retro_for
from crm_dash.retro.model import ItemStatus, RetroHeader, status_counts
from crm_dash.retro.store import (
    create_retro,
    evidence_snapshot,
    list_retros,
    open_actions,
    retro_items,
)

FIXTURE = Path(__file__).parent.parent / "fixtures" / "retro"


def test_the_demo_retro_has_a_mix_open_actions_and_its_figures(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "demo.duckdb")
    load_generic_folder(conn, FIXTURE)
    retro = add_retro_for(conn, held_on=date(2026, 11, 20), focus_department="Vertrieb")
    assert (retro.created_by, retro.updated_by) == ("demo", "demo")
    assert retro.evidence_month == date(2026, 10, 1)
    counts = status_counts(retro_items(conn, retro))
    assert all(counts[s] > 0 for s in ItemStatus)
    assert counts[ItemStatus.DONE] >= 8
    actions = open_actions(conn, retro)
    assert len(actions) >= 4
    assert all(a.owner for a in actions if a.due_date)
    snapshot = evidence_snapshot(conn, retro.id)
    assert snapshot["training.onboarding"].values["onboarded"] == 3  # the fixture's figure
    # a lead starting the next one gets the open actions
    following = create_retro(conn, RetroHeader(held_on=date(2026, 12, 10)), actor="lead")
    carried = [i for i in retro_items(conn, following) if i.carried_from_retro_id == retro.id]
    assert [i.item_id for i in carried] == [a.item_id for a in actions]
    conn.close()


def test_the_demo_retro_is_held_three_months_before_the_end(conn: duckdb.DuckDBPyConnection
                                                            ) -> None:
    summary = DemoSummary(end_month=date(2026, 10, 1), first_month=date(2025, 5, 1),
                          training_wave_month=date(2026, 1, 1), users=0,
                          integration_accounts=0, leavers=0, joiners=0, usage_events=0,
                          opportunities=0, training_records=0, files=())
    retro = add_demo_retro(conn, summary)
    assert retro.held_on == date(2026, 7, 15)
    assert [s.retro.id for s in list_retros(conn)] == [retro.id]
    # no data in this database: nothing suggested, but the meeting's content is there
    assert all(e.suggested_status is None or e.item_id == "goal.time_bound"
               for e in evidence_snapshot(conn, retro.id).values())
