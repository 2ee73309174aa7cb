"""A retrospective against the previous one: status changes, actions still open, closed, new."""

from __future__ import annotations

from datetime import date

import duckdb

from crm_dash.retro.compare import compare_with_previous
from crm_dash.retro.model import Evidence, ItemStatus, RetroHeader
from crm_dash.retro.store import create_retro, get_retro, save_retro

MARCH, JUNE = date(2026, 3, 12), date(2026, 6, 18)


def _evidence(months: int, status: ItemStatus) -> dict[str, Evidence]:
    return {"training.regular": Evidence(
        item_id="training.regular", month=date(2026, 2, 1), has_data=True,
        text_key="retro.evidence.training.regular", values={"months": months, "sessions": months},
        suggested_status=status, rule_key="retro.rule.training.regular")}


def test_what_changed_since_the_previous_retro(conn: duckdb.DuckDBPyConnection) -> None:
    march = create_retro(conn, RetroHeader(held_on=MARCH), actor="lead")
    save_retro(conn, march.id, RetroHeader(held_on=MARCH), [
        {"item_id": "goal.time_bound", "status": "in_progress", "owner": "Anna"},
        {"item_id": "origin.results", "status": "open", "notes": "Figures for the board"},
        {"item_id": "training.regular", "status": "done"},
        {"item_id": "crm_expert.named", "status": "open", "notes": "Ask HR"},
    ], actor="lead", evidence=_evidence(3, ItemStatus.OPEN))
    june = create_retro(conn, RetroHeader(held_on=JUNE), actor="lead")
    save_retro(conn, june.id, RetroHeader(held_on=JUNE), [
        {"item_id": "goal.time_bound", "status": "done", "owner": "Anna"},  # closed
        # origin.results and crm_expert.named: carried, left as they were (still open)
        {"item_id": "crm_expert.named", "status": "in_progress", "notes": "Ask HR"},
        {"item_id": "training.regular", "status": "in_progress"},  # done -> in progress
        {"item_id": "acceptance.no_shadow_lists", "status": "open", "due_date": "2026-09-30"},
    ], actor="lead", evidence=_evidence(6, ItemStatus.IN_PROGRESS))

    comparison = compare_with_previous(conn, get_retro(conn, june.id))
    assert comparison is not None and comparison.previous.id == march.id
    changes = {(c.item_id, c.before, c.after) for c in comparison.status_changes}
    assert changes == {
        ("goal.time_bound", ItemStatus.IN_PROGRESS, ItemStatus.DONE),
        ("training.regular", ItemStatus.DONE, ItemStatus.IN_PROGRESS),
        ("crm_expert.named", ItemStatus.OPEN, ItemStatus.IN_PROGRESS),
    }  # acceptance.no_shadow_lists stayed open: a new action, no status change
    assert [i.item_id for i in comparison.still_open] == ["origin.results", "crm_expert.named"]
    assert [i.item_id for i in comparison.closed] == ["goal.time_bound"]
    assert [i.item_id for i in comparison.new_actions] == ["acceptance.no_shadow_lists"]
    [figures] = comparison.evidence
    assert figures.before is not None and figures.after is not None
    assert (figures.before.values["months"], figures.after.values["months"]) == (3, 6)
    assert figures.suggestion_changed
    assert not comparison.unchanged


def test_the_first_retro_has_nothing_to_compare_with(conn: duckdb.DuckDBPyConnection) -> None:
    march = create_retro(conn, RetroHeader(held_on=MARCH), actor="lead")
    assert compare_with_previous(conn, march) is None


def test_live_evidence_stands_in_until_the_first_save(conn: duckdb.DuckDBPyConnection) -> None:
    march = create_retro(conn, RetroHeader(held_on=MARCH), actor="lead")
    june = create_retro(conn, RetroHeader(held_on=JUNE), actor="lead")
    comparison = compare_with_previous(conn, june, current_evidence=_evidence(5, ItemStatus.OPEN))
    assert comparison is not None and comparison.previous.id == march.id
    [figures] = comparison.evidence
    assert figures.before is None and figures.after is not None
    assert figures.after.values["months"] == 5
    assert comparison.unchanged  # nothing was open in March, nothing carried
