"""The leads' named lists: the people table and who is closest to productive."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from crm_dash import db
from crm_dash.fixtures import load_generic_folder
from crm_dash.metrics.definitions import AdoptionDefinition, load_definition
from crm_dash.metrics.people import close_to_productive, people_table
from crm_dash.metrics.segments import user_months
from tests.conftest import FIXTURES

OCT = date(2026, 10, 1)


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = db.connect(tmp_path / "adoption.duckdb")
    load_generic_folder(connection, FIXTURES / "adoption")
    yield connection
    connection.close()


def test_people_table_of_a_month(conn: duckdb.DuckDBPyConnection) -> None:
    frame = user_months(conn, load_definition(conn).definition, OCT, OCT)
    table = people_table(conn, frame, OCT).set_index("name")
    assert len(table) == 12 and "SAP Sync" not in table.index  # licensed people only
    anna = table.loc["Anna Adler"]
    assert (anna["segment"], anna["segment_last_month"], anna["active_days"], anna["writes"],
            anna["last_active"], anna["trained"]) == (
        "productive", "sporadic", 8, 5, date(2026, 10, 12), True)  # trained via e-mail
    assert table.loc["Clara Cordes", "trained"]  # completed on 25 Oct (18-char id)
    assert not table.loc["Bernd Berger", "trained"]  # no-show
    assert not table.loc["Kai Kurz", "trained"]  # only after October
    assert table.loc["Kai Kurz", "last_active"] == date(2026, 9, 11)
    assert table.loc["Jan Jung", "last_active"] == date(2026, 10, 5)  # 31 Oct 23:30 UTC: Nov
    assert pd.isna(table.loc["Dieter Dorn", "last_active"])  # failed logins only
    assert table.loc["Emil Engel", "segment"] == "new"
    assert pd.isna(table.loc["Frieda Fuchs", "segment_last_month"])  # joined in October


def test_close_to_productive_ranks_the_smallest_gap_first(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    definition = AdoptionDefinition()
    table = people_table(conn, user_months(conn, definition, OCT, OCT), OCT)
    close = close_to_productive(table, definition)
    # Gap = missing days / 8 + missing writes / 5. Lena (9 days, 3 writes): 0.4; Bernd (2, 1):
    # 0.75 + 0.8; Ida (3, 0): 0.625 + 1; Clara and Jan (1, 0): 0.875 + 1, then by name.
    # Nobody without activity this month, nobody productive.
    assert close["name"].tolist() == ["Lena Lang", "Bernd Berger", "Ida Imhof", "Clara Cordes",
                                      "Jan Jung"]
    lena = close.iloc[0]
    assert (lena["missing_days"], lena["missing_writes"]) == (0, 2)
    assert close_to_productive(table, definition, limit=2)["name"].tolist() == [
        "Lena Lang", "Bernd Berger"]
