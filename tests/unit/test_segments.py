"""Segments per person and month against hand-computed expectations (tests/fixtures/adoption).

The fixture's README explains every person: integration accounts (roster flag, by hand, by rule),
a leaver, joiners in and after their grace period, failed logins, events near midnight in
Europe/Berlin in summer and in winter time, and 15/18-character Salesforce ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from crm_dash import db
from crm_dash.datasets import DatasetKind
from crm_dash.fixtures import load_generic_csv, load_generic_folder
from crm_dash.metrics.activity import refresh_activity
from crm_dash.metrics.definitions import AdoptionDefinition, load_definition, save_definition
from crm_dash.metrics.segments import available_months, user_months
from tests.conftest import FIXTURES

ADOPTION = FIXTURES / "adoption"
SEP, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)
BOT = "005XA0000000013"

# Hand-computed: person -> segment, under the default definition (see the fixture's README).
SEPTEMBER = {
    "Anna Adler": "sporadic", "Bernd Berger": "barely", "Clara Cordes": "never",
    "Dieter Dorn": "never", "Gustav Graf": "sporadic", "Lena Lang": "sporadic",
    "Ida Imhof": "barely", "Jan Jung": "sporadic", "Kai Kurz": "productive",
    "Robotic Process Bot": "productive",
}
OCTOBER = {
    "Anna Adler": "productive", "Bernd Berger": "sporadic", "Clara Cordes": "barely",
    "Dieter Dorn": "never", "Emil Engel": "new", "Frieda Fuchs": "productive",
    "Hanna Horn": "never", "Lena Lang": "sporadic", "Ida Imhof": "sporadic",
    "Jan Jung": "barely", "Kai Kurz": "barely", "Robotic Process Bot": "productive",
}


@pytest.fixture
def adoption_conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = db.connect(tmp_path / "adoption.duckdb")
    load_generic_folder(connection, ADOPTION)
    yield connection
    connection.close()


def segments(conn: duckdb.DuckDBPyConnection, month: date,
             definition: AdoptionDefinition | None = None) -> dict[str, str]:
    """Name -> segment of the licensed people (integration accounts left out) in ``month``."""
    definition = definition or load_definition(conn).definition
    frame = user_months(conn, definition, month, month)
    names = dict(conn.execute("SELECT user_key, name FROM users").fetchall())
    people = frame[~frame["is_integration"]]
    return {names[k]: s for k, s in zip(people["user_key"], people["segment"], strict=True)}


def counts(conn: duckdb.DuckDBPyConnection, month: date,
           definition: AdoptionDefinition | None = None) -> dict[str, int]:
    found: dict[str, int] = {}
    for segment in segments(conn, month, definition).values():
        found[segment] = found.get(segment, 0) + 1
    return found


def flag_by_hand(conn: duckdb.DuckDBPyConnection, user_key: str, flag: bool = True) -> None:
    """What the Import history / Settings page stores for a decision by hand."""
    conn.execute("INSERT INTO integration_overrides (user_key, is_integration, set_by)"
                 " VALUES (?, ?, 'test')", [user_key, flag])


def test_every_licensed_person_has_the_hand_computed_segment(
    adoption_conn: duckdb.DuckDBPyConnection,
) -> None:
    assert segments(adoption_conn, SEP) == SEPTEMBER
    assert segments(adoption_conn, OCT) == OCTOBER
    assert counts(adoption_conn, OCT) == {"productive": 3, "sporadic": 3, "barely": 3,
                                          "never": 2, "new": 1}
    assert counts(adoption_conn, SEP) == {"productive": 2, "sporadic": 4, "barely": 2,
                                          "never": 2}


def test_one_query_over_the_range_gives_the_same_as_month_by_month(
    adoption_conn: duckdb.DuckDBPyConnection,
) -> None:
    definition = load_definition(adoption_conn).definition
    frame = user_months(adoption_conn, definition, SEP, NOV)
    assert sorted(set(frame["month"])) == [SEP, OCT, NOV]
    october = frame[(frame["month"] == OCT) & ~frame["is_integration"]]
    single = user_months(adoption_conn, definition, OCT, OCT)
    assert october["segment"].tolist() == single[~single["is_integration"]]["segment"].tolist()
    # The previous month's segment is known even for the first month of a range.
    anna = single[single["user_key"] == "005XA0000000001"].iloc[0]
    assert (anna["segment_last_month"], anna["active_days"], anna["writes"]) == (
        "sporadic", 8, 5)


def test_integration_accounts_never_count(adoption_conn: duckdb.DuckDBPyConnection) -> None:
    definition = load_definition(adoption_conn).definition
    frame = user_months(adoption_conn, definition, OCT, OCT)
    sap = frame[frame["user_key"] == "005XA0000000014"].iloc[0]
    assert bool(sap["is_integration"]) and pd.isna(sap["segment"])
    # Not in the roster: not licensed, so in no month at all.
    assert "005XA0000000099" not in set(frame["user_key"])


def test_an_account_flagged_by_hand_leaves_every_figure(
    adoption_conn: duckdb.DuckDBPyConnection,
) -> None:
    flag_by_hand(adoption_conn, BOT)
    october = segments(adoption_conn, OCT)
    assert "Robotic Process Bot" not in october
    assert counts(adoption_conn, OCT)["productive"] == 2
    # ...and marking an account of the roster as a person by hand brings it back.
    flag_by_hand(adoption_conn, "005XA0000000014", flag=False)
    assert segments(adoption_conn, OCT)["SAP Sync"] == "productive"  # 9 days, 9 creates


def test_a_text_rule_marks_integration_accounts(adoption_conn: duckdb.DuckDBPyConnection) -> None:
    rule = AdoptionDefinition(integration_patterns=("RPA.",))
    assert "Robotic Process Bot" not in segments(adoption_conn, OCT, rule)
    assert counts(adoption_conn, OCT, rule)["productive"] == 2
    # A decision by hand wins over the rule.
    flag_by_hand(adoption_conn, BOT, flag=False)
    assert segments(adoption_conn, OCT, rule)["Robotic Process Bot"] == "productive"


def test_leavers_and_joiners(adoption_conn: duckdb.DuckDBPyConnection) -> None:
    september, october = segments(adoption_conn, SEP), segments(adoption_conn, OCT)
    assert september["Gustav Graf"] == "sporadic" and "Gustav Graf" not in october
    for joiner in ("Emil Engel", "Frieda Fuchs", "Hanna Horn"):
        assert joiner not in september
    assert october["Emil Engel"] == "new"  # 16 days in, no activity yet
    assert october["Frieda Fuchs"] == "productive"  # new, but already productive
    assert october["Hanna Horn"] == "never"  # started 30 days before the month's end


def test_failed_logins_are_no_activity(adoption_conn: duckdb.DuckDBPyConnection) -> None:
    frame = user_months(adoption_conn, load_definition(adoption_conn).definition, OCT, OCT)
    days = dict(zip(frame["user_key"], frame["active_days"], strict=True))
    assert days["005XA0000000004"] == 0  # Dieter: failed logins only -> never
    assert days["005XA0000000001"] == 8  # Anna's failed login on a 9th day does not count
    assert days["005XA0000000003"] == 1  # Clara: failed login on another day


def test_days_are_calendar_days_in_the_configured_time_zone(
    adoption_conn: duckdb.DuckDBPyConnection,
) -> None:
    berlin = segments(adoption_conn, OCT)
    assert (berlin["Bernd Berger"], berlin["Jan Jung"]) == ("sporadic", "barely")
    utc = AdoptionDefinition(time_zone="UTC")
    in_utc = segments(adoption_conn, OCT, utc)
    # Bernd's 22:30 UTC event on 30 Sep falls in September; Jan's 23:30 UTC one on 31 Oct in
    # October.
    assert (in_utc["Bernd Berger"], in_utc["Jan Jung"]) == ("barely", "sporadic")
    assert segments(adoption_conn, OCT) == berlin  # back in Berlin: rebuilt again


def test_salesforce_ids_in_15_and_18_characters_are_one_person(
    adoption_conn: duckdb.DuckDBPyConnection,
) -> None:
    frame = user_months(adoption_conn, load_definition(adoption_conn).definition, SEP, OCT)
    anna = frame[frame["user_key"] == "005XA0000000001"]
    assert anna["active_days"].tolist() == [8, 8]  # 18-char ids in Sep, 15-char in Oct
    ida = frame[frame["user_key"] == "005XA0000000010"]  # roster 15, log 18 characters
    assert ida["active_days"].tolist() == [1, 3]


@pytest.mark.parametrize(
    ("change", "moved"),
    [
        ({"productive_min_writes": 3}, {"Lena Lang": "productive"}),
        ({"write_actions": ("create", "update", "delete")}, {"Lena Lang": "productive"}),
        ({"sporadic_min_active_days": 3}, {"Bernd Berger": "barely"}),
        # 9 days for both: Lena (9 days) stays sporadic; Frieda, in her grace period, is new.
        ({"productive_min_active_days": 9, "sporadic_min_active_days": 9},
         {"Anna Adler": "barely", "Frieda Fuchs": "new", "Bernd Berger": "barely",
          "Ida Imhof": "barely"}),
        ({"grace_days": 10}, {"Emil Engel": "never"}),
        ({"grace_days": 40}, {"Hanna Horn": "new"}),
    ],
)
def test_a_settings_change_moves_people_between_segments(
    adoption_conn: duckdb.DuckDBPyConnection, change: dict[str, object],
    moved: dict[str, str],
) -> None:
    new = AdoptionDefinition(**change)  # type: ignore[arg-type]
    assert save_definition(adoption_conn, new, actor="lead")
    versioned = load_definition(adoption_conn)
    assert versioned.definition == new and versioned.version > 0
    assert segments(adoption_conn, OCT) == {**OCTOBER, **moved}


def test_the_activity_table_follows_uploads_and_deleted_batches(
    adoption_conn: duckdb.DuckDBPyConnection, tmp_path: Path,
) -> None:
    time_zone = "Europe/Berlin"
    refresh_activity(adoption_conn, time_zone)
    assert not refresh_activity(adoption_conn, time_zone)  # nothing changed: no rebuild
    extra = tmp_path / "usage.csv"
    days = [1, 2, 5, 6, 7, 8, 9, 12]
    extra.write_text("user_id,timestamp,action,object,success\n" + "".join(
        f"005XA0000000004AAA,2026-10-{d:02d}T08:00:00Z,update,Account,true\n" for d in days))
    batch = load_generic_csv(adoption_conn, DatasetKind.USAGE, extra).batch_id
    assert segments(adoption_conn, OCT)["Dieter Dorn"] == "productive"
    adoption_conn.execute("DELETE FROM usage_events WHERE batch_id = ?", [batch])
    adoption_conn.execute("DELETE FROM import_batches WHERE batch_id = ?", [batch])
    assert segments(adoption_conn, OCT)["Dieter Dorn"] == "never"


def test_the_latest_complete_month(adoption_conn: duckdb.DuckDBPyConnection) -> None:
    definition = load_definition(adoption_conn).definition
    # The data ends on 1 Nov (Berlin): October is complete, November is not.
    assert available_months(adoption_conn, definition, date(2026, 11, 23)) == (
        date(2026, 8, 1), OCT, NOV)
    # Before October has ended, September is the latest complete month.
    assert available_months(adoption_conn, definition, date(2026, 10, 20))[1] == SEP  # type: ignore[index]


def test_no_usage_data_means_no_months(conn: duckdb.DuckDBPyConnection) -> None:
    assert available_months(conn, AdoptionDefinition(), date(2026, 11, 23)) is None
