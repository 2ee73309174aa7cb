"""Starting, saving and reloading retrospectives; atomic saves; drafts; carry-over."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from crm_dash.retro import store
from crm_dash.retro.model import Evidence, ItemStatus, RetroHeader, RetroItem
from crm_dash.retro.store import (
    RetroError,
    create_retro,
    discard_draft,
    draft_values,
    evidence_snapshot,
    get_retro,
    list_retros,
    open_actions,
    previous_retro,
    read_draft,
    retro_items,
    save_retro,
    write_draft,
)
from crm_dash.retro.template import TEMPLATE_VERSION, item_ids

MARCH = date(2026, 3, 12)
JUNE = date(2026, 6, 18)


def _header(day: date = MARCH, participants: str | None = "Anna, Bernd") -> RetroHeader:
    return RetroHeader(held_on=day, participants=participants)


def _items(conn: duckdb.DuckDBPyConnection, retro_id: int) -> dict[str, RetroItem]:
    return {i.item_id: i for i in retro_items(conn, get_retro(conn, retro_id))}


def _audit(conn: duckdb.DuckDBPyConnection, action: str) -> list[tuple[object, ...]]:
    return conn.execute("SELECT actor, target, details FROM audit_log WHERE action = ?"
                        " ORDER BY id", [action]).fetchall()


ENTRIES = [
    {"item_id": "goal.time_bound", "status": "in_progress", "notes": "Set a goal for Süd",
     "owner": "Anna", "due_date": date(2026, 4, 30)},
    {"item_id": "training.regular", "status": "done", "notes": "  "},
    {"item_id": "origin.results", "status": "open", "owner": "Bernd"},
    {"item_id": "crm_expert.system_links", "status": "not_applicable"},
    {"item_id": "acceptance.feedback", "status": "in_progress"},  # no notes: not an action
    {"item_id": "data_quality.capture_rules", "status": "done", "notes": "Documented"},
]


def test_starting_gives_every_item_of_the_template_open(conn: duckdb.DuckDBPyConnection) -> None:
    retro = create_retro(conn, _header(), actor="lead")
    assert (retro.held_on, retro.participants, retro.template_version) == (
        MARCH, "Anna, Bernd", TEMPLATE_VERSION)
    assert (retro.created_by, retro.updated_at) == ("lead", None)
    items = retro_items(conn, retro)
    assert [i.item_id for i in items] == list(item_ids())
    assert {i.status for i in items} == {ItemStatus.OPEN}
    assert [a[:2] for a in _audit(conn, "retro.create")] == [("lead", f"retro:{retro.id}")]


def test_saved_values_round_trip(conn: duckdb.DuckDBPyConnection) -> None:
    retro = create_retro(conn, _header(), actor="lead")
    changed = save_retro(conn, retro.id, _header(participants="Anna, Bernd, Clara"), ENTRIES,
                         actor="anna")
    assert changed == ["goal.time_bound", "training.regular", "origin.results",
                       "crm_expert.system_links", "acceptance.feedback",
                       "data_quality.capture_rules"]
    again = get_retro(conn, retro.id)
    assert (again.participants, again.updated_by) == ("Anna, Bernd, Clara", "anna")
    items = _items(conn, retro.id)
    goal = items["goal.time_bound"]
    assert (goal.status, goal.notes, goal.owner, goal.due_date) == (
        ItemStatus.IN_PROGRESS, "Set a goal for Süd", "Anna", date(2026, 4, 30))
    assert items["training.regular"].notes is None  # blank: none
    assert items["crm_expert.system_links"].status is ItemStatus.NOT_APPLICABLE
    # saving the same values again changes nothing
    assert save_retro(conn, retro.id, _header(participants="Anna, Bernd, Clara"), ENTRIES,
                      actor="anna") == []
    [_, last] = _audit(conn, "retro.save")
    details = json.loads(str(last[2]))
    assert details["items_changed"] == []
    assert details["counts"]["done"] == 2


@pytest.mark.parametrize(("bad", "message"), [
    ({"item_id": "origin.results", "due_date": "30.04.2026"}, "origin.results: due_date"),
    ({"item_id": "origin.results", "status": "finished"}, "origin.results: status"),
    ({"item_id": "origin.results", "notes": "x" * 4001}, "origin.results: notes"),
    ({"item_id": "origin.results", "owner": "x" * 201}, "origin.results: owner"),
    ({"item_id": "no.such_item"}, "no.such_item"),
    ({"item_id": "goal.time_bound"}, "given twice"),
])
def test_a_bad_value_saves_nothing(conn: duckdb.DuckDBPyConnection, bad: dict[str, object],
                                   message: str) -> None:
    retro = create_retro(conn, _header(), actor="lead")
    save_retro(conn, retro.id, _header(), ENTRIES[:1], actor="lead")
    before = _items(conn, retro.id)
    write_draft(conn, retro.id, "lead", {"items": {}})
    entries = [{**ENTRIES[0], "status": "done"}, {**ENTRIES[1]}, bad]
    with pytest.raises(RetroError) as raised:
        save_retro(conn, retro.id, _header(participants="changed"), entries, actor="lead")
    assert message in raised.value.message
    assert _items(conn, retro.id) == before
    assert get_retro(conn, retro.id).participants == "Anna, Bernd"
    assert read_draft(conn, retro.id, "lead") is not None  # not saved: the draft stays


def test_a_failure_inside_the_transaction_rolls_everything_back(
        conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch) -> None:
    retro = create_retro(conn, _header(), actor="lead")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "log_event", broken)  # the last statement of the transaction
    with pytest.raises(RuntimeError):
        save_retro(conn, retro.id, _header(participants="changed"), ENTRIES, actor="lead")
    assert {i.status for i in retro_items(conn, retro)} == {ItemStatus.OPEN}
    assert get_retro(conn, retro.id).participants == "Anna, Bernd"


def test_a_bad_header_saves_nothing(conn: duckdb.DuckDBPyConnection) -> None:
    retro = create_retro(conn, _header(), actor="lead")
    with pytest.raises(RetroError):
        save_retro(conn, retro.id, {"held_on": None, "participants": "x"}, ENTRIES, actor="lead")
    with pytest.raises(RetroError):
        save_retro(conn, retro.id, {"held_on": MARCH, "participants": "x" * 1001}, ENTRIES,
                   actor="lead")
    assert {i.status for i in retro_items(conn, retro)} == {ItemStatus.OPEN}


def test_the_evidence_snapshot_is_saved_with_the_retro(conn: duckdb.DuckDBPyConnection) -> None:
    retro = create_retro(conn, _header(), actor="lead")
    assert evidence_snapshot(conn, retro.id) == {}
    found = Evidence(item_id="training.regular", month=date(2026, 2, 1), has_data=True,
                     text_key="retro.evidence.training.regular",
                     values={"months": 7, "sessions": 9}, suggested_status=ItemStatus.IN_PROGRESS,
                     rule_key="retro.rule.training.regular", rule_values={"done_months": 10})
    save_retro(conn, retro.id, _header(), ENTRIES, actor="lead",
               evidence={"training.regular": found}, evidence_month=date(2026, 2, 1))
    assert evidence_snapshot(conn, retro.id) == {"training.regular": found}
    again = get_retro(conn, retro.id)
    assert again.evidence_month == date(2026, 2, 1)
    assert again.evidence_saved_at is not None


def test_drafts_are_written_read_and_cleared_by_a_save(conn: duckdb.DuckDBPyConnection) -> None:
    retro = create_retro(conn, _header(), actor="lead")
    payload = {"header": {"held_on": "2026-03-13", "participants": "Anna"},
               "items": {"goal.time_bound": {"status": "done", "notes": "typed",
                                             "owner": "", "due_date": "2026-05-31"},
                         "origin.results": {"status": "bogus", "due_date": "not a date"}}}
    first = write_draft(conn, retro.id, "lead", payload)
    second = write_draft(conn, retro.id, "lead", payload)  # replaces, never duplicates
    assert second >= first
    assert conn.execute("SELECT count(*) FROM retro_drafts").fetchone() == (1,)
    draft = read_draft(conn, retro.id, "lead")
    assert draft is not None and draft.saved_at == second and draft.payload == payload
    assert draft.saved_at > get_retro(conn, retro.id).last_change
    values = draft_values(draft)
    assert (values.held_on, values.participants) == (date(2026, 3, 13), "Anna")
    assert values.items["goal.time_bound"] == {"status": ItemStatus.DONE, "notes": "typed",
                                               "owner": "", "due_date": date(2026, 5, 31)}
    assert values.items["origin.results"] == {"due_date": None}  # unreadable values left out
    assert read_draft(conn, retro.id, "anna") is None  # drafts are per user
    write_draft(conn, retro.id, "anna", payload)
    save_retro(conn, retro.id, _header(), ENTRIES, actor="lead")
    assert read_draft(conn, retro.id, "lead") is None
    assert read_draft(conn, retro.id, "anna") is not None  # someone else's draft stays
    discard_draft(conn, retro.id, "anna")
    assert read_draft(conn, retro.id, "anna") is None


def test_open_actions_carry_over_into_the_next_retro(conn: duckdb.DuckDBPyConnection) -> None:
    march = create_retro(conn, _header(), actor="lead")
    save_retro(conn, march.id, _header(), ENTRIES, actor="lead")
    assert [i.item_id for i in open_actions(conn, march)] == ["origin.results",
                                                              "goal.time_bound"]
    june = create_retro(conn, _header(JUNE, "Anna"), actor="lead")
    items = {i.item_id: i for i in retro_items(conn, june)}
    goal = items["goal.time_bound"]
    assert (goal.status, goal.notes, goal.owner, goal.due_date) == (
        ItemStatus.IN_PROGRESS, "Set a goal for Süd", "Anna", date(2026, 4, 30))
    assert (goal.carried_from_retro_id, goal.carried_from_held_on) == (march.id, MARCH)
    assert items["origin.results"].owner == "Bernd"
    assert items["origin.results"].carried_from_retro_id == march.id
    # every other item starts with its status only (the meeting confirms or changes it)
    assert items["training.regular"].status is ItemStatus.DONE
    assert items["data_quality.capture_rules"].status is ItemStatus.DONE
    assert items["crm_expert.system_links"].status is ItemStatus.NOT_APPLICABLE
    assert items["acceptance.feedback"].status is ItemStatus.IN_PROGRESS
    assert items["origin.goal_known"].status is ItemStatus.OPEN
    for item_id in ("training.regular", "data_quality.capture_rules", "crm_expert.system_links",
                    "acceptance.feedback"):
        assert items[item_id].notes is None and items[item_id].owner is None
        assert items[item_id].carried_from_retro_id is None  # done ones are no actions
    assert [i.item_id for i in items.values() if i.is_action] == ["origin.results",
                                                                  "goal.time_bound"]
    [_, created] = _audit(conn, "retro.create")
    details = json.loads(str(created[2]))
    assert details["carried_items"] == ["goal.time_bound", "origin.results"]
    assert details["statuses_from"] == march.id
    # carried twice: from June, no longer from March
    save_retro(conn, june.id, _header(JUNE), [{"item_id": "goal.time_bound", "status": "done"}],
               actor="lead")
    september = create_retro(conn, _header(date(2026, 9, 10)), actor="lead")
    carried = {i.item_id: i.carried_from_retro_id for i in retro_items(conn, september)
               if i.carried_from_retro_id}
    assert carried == {"origin.results": june.id}


def test_carry_over_follows_the_dates_not_the_order_of_creation(
        conn: duckdb.DuckDBPyConnection) -> None:
    june = create_retro(conn, _header(JUNE), actor="lead")
    save_retro(conn, june.id, _header(JUNE), ENTRIES[:1], actor="lead")
    # entered afterwards but held before June: nothing earlier to carry over
    march = create_retro(conn, _header(MARCH), actor="lead")
    assert all(i.carried_from_retro_id is None for i in retro_items(conn, march))
    assert previous_retro(conn, june) == march
    assert previous_retro(conn, march) is None


def test_the_list_is_newest_first_with_counts(conn: duckdb.DuckDBPyConnection) -> None:
    march = create_retro(conn, _header(), actor="lead")
    save_retro(conn, march.id, _header(), ENTRIES, actor="lead")
    june = create_retro(conn, _header(JUNE), actor="lead")
    first, second = list_retros(conn)
    assert (first.retro.id, second.retro.id) == (june.id, march.id)
    assert second.counts == {ItemStatus.OPEN: len(item_ids()) - 5, ItemStatus.IN_PROGRESS: 2,
                             ItemStatus.DONE: 2, ItemStatus.NOT_APPLICABLE: 1}
    assert (second.done, second.open, second.actions) == (2, len(item_ids()) - 5, 2)
    assert first.actions == 2  # the carried ones
    assert first.counts == second.counts  # June starts where March ended


def test_an_unknown_retro_is_a_clear_error(conn: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(RetroError) as raised:
        get_retro(conn, 99)
    assert raised.value.title == "Retrospective not found"
