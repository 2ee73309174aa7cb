"""Evidence against the hand-computed fixture in tests/fixtures/retro (see its README)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from crm_dash import db
from crm_dash.fixtures import load_generic_folder
from crm_dash.goals.model import GoalDraft, GoalScope
from crm_dash.goals.tracker import add_goal
from crm_dash.retro import evidence as ev
from crm_dash.retro.model import ItemStatus
from crm_dash.retro.present import evidence_text, rule_text, suggestion_text
from crm_dash.retro.template import template_items

FIXTURE = Path(__file__).parent.parent / "fixtures" / "retro"
OCTOBER = date(2026, 10, 1)
DONE, IN_PROGRESS, OPEN = ItemStatus.DONE, ItemStatus.IN_PROGRESS, ItemStatus.OPEN


@pytest.fixture
def retro_conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = db.connect(tmp_path / "retro.duckdb")
    load_generic_folder(connection, FIXTURE)
    yield connection
    connection.close()


def _goal(conn: duckdb.DuckDBPyConnection) -> None:
    add_goal(conn, GoalDraft(name="+25 % Vertrieb", scope=GoalScope(department="Vertrieb"),
                             start=date(2026, 8, 1), horizon_months=3, target_pct=25),
             actor="test", today=date(2026, 11, 20))


def test_the_month_is_the_latest_complete_one_at_the_retro_date(
        retro_conn: duckdb.DuckDBPyConnection) -> None:
    assert ev.evidence_month(retro_conn, date(2026, 11, 20)) == OCTOBER
    assert ev.evidence_month(retro_conn, date(2026, 9, 10)) == date(2026, 8, 1)


def test_without_usage_data_the_month_is_the_calendar_month_before(
        conn: duckdb.DuckDBPyConnection) -> None:
    assert ev.evidence_month(conn, date(2026, 11, 20)) == OCTOBER


def test_productive_share_and_its_trend(retro_conn: duckdb.DuckDBPyConnection) -> None:
    found = ev.productive_trend(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert (found.values["productive"], found.values["licensed"]) == (7, 15)
    assert found.values["productive_share"] == pytest.approx(7 / 15)
    assert found.values["before_month"] == "2026-07-01"
    assert found.values["before_share"] == pytest.approx(4 / 14)
    assert found.values["change_pp"] == pytest.approx(7 / 15 - 4 / 14)
    assert found.suggested_status is IN_PROGRESS
    assert evidence_text(found, "en") == (
        "47% productive in October 2026 (7 of 15); July 2026: 29% (+18.1\u00a0pp).")
    assert evidence_text(found, "de") == (
        "47\u00a0% produktiv im Oktober 2026 (7 von 15); Juli 2026: 29\u00a0% (+18,1\u00a0Pp.).")


def test_the_trend_needs_the_earlier_month_in_the_data(
        retro_conn: duckdb.DuckDBPyConnection) -> None:
    # August: 3 months before is May, before the usage data starts
    found = ev.productive_trend(ev.EvidenceInputs(retro_conn, date(2026, 8, 1)))
    assert found.text_key.endswith(".no_trend")
    assert found.values["productive"] == 0
    assert found.suggested_status is None  # 0 % is not good, and without a trend: no guess


@pytest.mark.parametrize(("share", "change", "expected"), [
    (0.5, 0.0, DONE),  # good level, flat
    (0.6, -0.0099, DONE),  # good level, not falling by a full point
    (0.6, -0.01, IN_PROGRESS),  # good level, falling
    (0.3, 0.01, IN_PROGRESS),  # rising by a full point
    (0.3, 0.0099, OPEN),  # flat below the good level
    (0.3, -0.05, OPEN),
    (0.5, None, DONE),  # no trend: only a good level is suggested
    (0.49, None, None),
])
def test_productive_suggestion_rules(share: float, change: float | None,
                                     expected: ItemStatus | None) -> None:
    assert ev.productive_suggestion(share, change) == expected


def test_management_accounts_by_manager_id_email_and_role_words(
        retro_conn: duckdb.DuckDBPyConnection) -> None:
    # U06 only by the e-mail other people give as their manager; not U04 "Key Account
    # Manager" nor U07 "Marketing Manager"
    assert ev.management_keys(retro_conn) == {"U01", "U02", "U06", "U08", "U15"}
    found = ev.management_usage(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert found.values == {"managers": 5, "using": 3, "using_share": 0.6}
    assert found.suggested_status is IN_PROGRESS


def test_idle_licences_with_their_cost(retro_conn: duckdb.DuckDBPyConnection) -> None:
    found = ev.idle_licences(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert (found.values["idle"], found.values["licensed"]) == (5, 15)
    assert found.values["cost_money"] == 400.0  # U14 has no cost
    assert found.suggested_status is IN_PROGRESS
    assert "400" in evidence_text(found, "en")


def test_roster_completeness(retro_conn: duckdb.DuckDBPyConnection) -> None:
    found = ev.roster_completeness(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert found.values == {"licensed": 15, "complete": 13, "complete_share": 13 / 15,
                            "no_department": 1, "no_start": 1}
    assert found.suggested_status is IN_PROGRESS


def test_integration_accounts(retro_conn: duckdb.DuckDBPyConnection) -> None:
    found = ev.integration_flagged(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert (found.values, found.suggested_status) == ({"accounts": 1}, DONE)


def test_training_figures(retro_conn: duckdb.DuckDBPyConnection) -> None:
    regular = ev.trainings_regular(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert regular.values == {"months": 8, "sessions": 8}
    assert regular.suggested_status is IN_PROGRESS
    everyone = ev.trained_everyone(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert everyone.values == {"trained": 12, "licensed": 15, "trained_share": 0.8}
    assert everyone.suggested_status is IN_PROGRESS
    onboarding = ev.joiners_onboarded(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert onboarding.values == {"joiners": 5, "onboarded": 3, "onboarded_share": 0.6}
    assert onboarding.suggested_status is IN_PROGRESS
    assert evidence_text(onboarding, "en") == (
        "3 of 5 joiners of the 12 months up to October 2026 (60%) were trained within 30 days "
        "of starting.")


def test_sessions_of_a_kind(retro_conn: duckdb.DuckDBPyConnection) -> None:
    kickoff = ev.session_held(ev.EvidenceInputs(retro_conn, OCTOBER), "training.kickoff")
    assert kickoff.values == {"sessions": 1, "last_date": "2025-11-12"}
    assert kickoff.suggested_status is DONE
    for item in ("training.key_users", "integration.roadshow"):
        none = ev.session_held(ev.EvidenceInputs(retro_conn, OCTOBER), item)
        assert (none.has_data, none.suggested_status) == (True, OPEN)
    # before the kick-off nothing of the kind was held yet
    before = ev.EvidenceInputs(retro_conn, date(2025, 10, 1))
    assert ev.session_held(before, "training.kickoff").has_data is False


def test_pipeline_hygiene(retro_conn: duckdb.DuckDBPyConnection) -> None:
    found = ev.pipeline_hygiene(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert found.values == {"score": 75.0, "open": 4, "as_of_date": "2026-10-30",
                            "next_step_share": 0.75, "overdue_share": 0.25, "stale_share": 0.25}
    assert found.suggested_status is IN_PROGRESS
    assert evidence_text(found, "de").startswith(
        "Hygiene-Score 75 von 100 über 4 offene Verkaufschancen (Stand 30.10.2026)")


def test_goal_status_done_when_achieved_open_when_at_risk_or_none(
        retro_conn: duckdb.DuckDBPyConnection) -> None:
    none = ev.goal_status(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert (none.text_key, none.suggested_status) == ("retro.evidence.goal.time_bound.none", OPEN)
    _goal(retro_conn)
    achieved = ev.goal_status(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert achieved.values == {"goals": 1, "name": "+25 % Vertrieb", "goal_state": "achieved",
                               "min": 5}  # the minimum group size, for the state's text
    assert achieved.suggested_status is DONE
    at_risk = ev.goal_status(ev.EvidenceInputs(retro_conn, date(2026, 9, 1)))
    assert (at_risk.values["goal_state"], at_risk.suggested_status) == ("at_risk", OPEN)
    # in July the goal has not started yet
    not_started = ev.goal_status(ev.EvidenceInputs(retro_conn, date(2026, 6, 1)))
    assert (not_started.values, not_started.suggested_status) == ({}, OPEN)


def test_the_best_goal_decides() -> None:
    ranked = sorted(ev.GOAL_STATE_SUGGESTS, key=ev.GOAL_STATE_RANK.index)
    assert ranked[:2] == ["achieved", "on_track"]
    assert ev.GOAL_STATE_SUGGESTS["behind"] is IN_PROGRESS
    assert ev.GOAL_STATE_SUGGESTS["missed"] is OPEN


def test_every_item_at_once(retro_conn: duckdb.DuckDBPyConnection) -> None:
    found = ev.evidence_for(retro_conn, OCTOBER)
    assert set(found) == {i.id for i in template_items() if i.evidence}
    assert all(e.month == OCTOBER and e.has_data for e in found.values())
    for item in found.values():  # every sentence and rule has its texts in both languages
        for lang in ("de", "en"):
            assert evidence_text(item, lang) and rule_text(item, lang)
            assert suggestion_text(item, lang)


def test_no_data_says_so_and_suggests_nothing(conn: duckdb.DuckDBPyConnection) -> None:
    found = ev.evidence_for(conn, OCTOBER)
    no_data = [e for e in found.values() if not e.has_data]
    assert all(e.suggested_status is None for e in no_data)
    assert {e.item_id for e in found.values() if e.suggested_status is not None} == {
        "goal.time_bound"}  # "no goal runs" is a fact even without data: open
    assert found["training.regular"].text_key == "retro.nodata.training"
    assert found["data_quality.pipeline_hygiene"].text_key == "retro.nodata.pipeline"
    assert found["acceptance.productive_share"].text_key == "retro.nodata.usage"
    assert evidence_text(found["training.regular"], "en").startswith("No training records")


def test_a_share_of_fewer_than_five_people_is_not_shown(
        retro_conn: duckdb.DuckDBPyConnection) -> None:
    # drop two of the five management accounts' roles and manager references: 3 left
    retro_conn.execute("UPDATE users SET role = 'Vertrieb', manager_id = NULL"
                       " WHERE user_key IN ('U15', 'U08', 'U12', 'U07')")
    retro_conn.execute("UPDATE users SET manager_id = NULL WHERE user_key IN ('U02', 'U06')")
    assert len(ev.management_keys(retro_conn)) < 5
    found = ev.management_usage(ev.EvidenceInputs(retro_conn, OCTOBER))
    assert (found.has_data, found.text_key, found.values, found.suggested_status) == (
        False, "retro.nodata.small_group", {"min": 5}, None)


def test_the_version_changes_with_goals(retro_conn: duckdb.DuckDBPyConnection) -> None:
    before = ev.evidence_version(retro_conn)
    _goal(retro_conn)
    assert ev.evidence_version(retro_conn) != before
