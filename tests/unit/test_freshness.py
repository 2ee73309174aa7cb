"""The getting-started checklist: states, periods, the "out of date" rules and a missing month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from crm_dash import db
from crm_dash.datasets import DatasetKind
from crm_dash.health.findings import health_report
from crm_dash.health.freshness import Checklist, MissingUsage, checklist, due_usage_month

# The generic fixture: usage events from 1 October to 3 November 2026 (October complete,
# November undecided), a roster, 4 opportunities, training records up to 10 November 2026.


@pytest.fixture
def conn(fixture_db_path: Path) -> duckdb.DuckDBPyConnection:
    connection = db.connect(fixture_db_path)
    # snapshots dated by their exports, not by when the test ran
    connection.execute("UPDATE import_batches SET export_date = DATE '2026-11-04'")
    return connection


def _sheet(conn: duckdb.DuckDBPyConnection, today: date) -> Checklist:
    return checklist(health_report(conn, today))


def _states(sheet: Checklist) -> dict[str, str]:
    return {i.kind.value: i.state for i in sheet.items}


def test_an_empty_database_needs_all_four(tmp_path: Path) -> None:
    sheet = _sheet(db.connect(tmp_path / "empty.duckdb"), date(2026, 11, 20))
    assert [i.kind for i in sheet.items] == [DatasetKind.USERS, DatasetKind.USAGE,
                                             DatasetKind.TRAINING, DatasetKind.PIPELINE]
    assert sheet.empty and not sheet.done and sheet.missing_usage is None
    assert set(_states(sheet).values()) == {"missing"}


def test_all_loaded_and_current_folds(conn: duckdb.DuckDBPyConnection) -> None:
    sheet = _sheet(conn, date(2026, 11, 20))
    assert sheet.done and sheet.missing_usage is None
    usage = sheet.item(DatasetKind.USAGE)
    assert (usage.first, usage.last) == (date(2026, 10, 1), date(2026, 10, 1))
    assert sheet.item(DatasetKind.USERS).last == date(2026, 11, 4)
    training = sheet.item(DatasetKind.TRAINING)
    assert (training.first, training.last) == (date(2024, 1, 15), date(2026, 11, 10))


def test_usage_out_of_date_from_the_new_month_missing_after_seven_days(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    early = _sheet(conn, date(2026, 12, 7))  # November ended 7 days ago: due, not yet missing
    assert _states(early)["usage"] == "out_of_date"
    assert early.item(DatasetKind.USAGE).due == date(2026, 11, 1)
    assert early.missing_usage is None
    late = _sheet(conn, date(2026, 12, 8))
    # November has events (to the 3rd) the rule cannot judge: the lead is also asked
    assert late.missing_usage == MissingUsage(date(2026, 11, 1), date(2026, 11, 1), asked=True)


def test_months_in_a_row_missing_and_the_snapshot_rules(conn: duckdb.DuckDBPyConnection) -> None:
    sheet = _sheet(conn, date(2027, 1, 20))
    assert sheet.missing_usage == MissingUsage(date(2026, 11, 1), date(2026, 12, 1))
    states = _states(sheet)
    assert states == {"users": "loaded", "usage": "out_of_date", "training": "loaded",
                      "pipeline": "out_of_date"}  # 77 days > 35; training never out of date
    assert sheet.item(DatasetKind.PIPELINE).due == date(2026, 12, 9)


def test_the_roster_is_out_of_date_before_the_newest_usage_month(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    conn.execute("UPDATE import_batches SET export_date = DATE '2026-10-20' WHERE kind = 'users'")
    roster = _sheet(conn, date(2026, 11, 20)).item(DatasetKind.USERS)
    assert (roster.state, roster.due) == ("out_of_date", date(2026, 11, 1))  # usage reaches Nov


def test_a_missing_dataset_is_missing_not_out_of_date(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("DELETE FROM training_records")
    sheet = _sheet(conn, date(2026, 11, 20))
    assert _states(sheet)["training"] == "missing" and not sheet.done and not sheet.empty


@pytest.mark.parametrize(("today", "due"), [
    (date(2026, 11, 7), date(2026, 9, 1)), (date(2026, 11, 8), date(2026, 10, 1)),
    (date(2026, 3, 9), date(2026, 2, 1)), (date(2026, 1, 3), date(2025, 11, 1)),
])
def test_the_due_month(today: date, due: date) -> None:
    assert due_usage_month(today) == due
