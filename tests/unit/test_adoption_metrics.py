"""Adoption figures from the person-months, against hand-computed values (fixture README)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from crm_dash import db
from crm_dash.fixtures import load_generic_folder
from crm_dash.metrics import adoption
from crm_dash.metrics.definitions import load_definition
from crm_dash.metrics.segments import user_months
from tests.conftest import FIXTURES

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


@pytest.fixture
def frame(tmp_path: Path) -> Iterator[pd.DataFrame]:
    conn = db.connect(tmp_path / "adoption.duckdb")
    load_generic_folder(conn, FIXTURES / "adoption")
    yield user_months(conn, load_definition(conn).definition, date(2026, 8, 1), OCT)
    conn.close()


def test_month_summary(frame: pd.DataFrame) -> None:
    october = adoption.month_summary(frame, OCT)
    assert october.licensed == 12 and october.excluded_integration == 1
    assert october.segments == {"productive": 3, "sporadic": 3, "barely": 3, "never": 2,
                                "new": 1}
    assert october.active_users == 8
    # 42 active days of 8 active people over 31 days.
    assert october.stickiness == pytest.approx(42 / (31 * 8))
    # Barely: Clara 100, Jan 50, Kai 50; never: Dieter 100, Hanna (no cost).
    assert october.cost_barely_never == pytest.approx(300.0)
    assert october.cost_known_for == 11
    assert october.share("productive") == pytest.approx(3 / 12)
    september = adoption.month_summary(frame, SEP)
    assert (september.licensed, september.active_users) == (10, 7)
    assert september.stickiness == pytest.approx(35 / (30 * 7))


def test_a_department_and_a_team(frame: pd.DataFrame) -> None:
    service = adoption.month_summary(adoption.filter_people(frame, department="Service"), OCT)
    assert service.licensed == 3
    assert service.segments == {"productive": 0, "sporadic": 1, "barely": 2, "never": 0,
                                "new": 0}
    nord = adoption.filter_people(frame, department="Vertrieb", team="Team Nord")
    assert adoption.month_summary(nord, OCT).segments["productive"] == 3  # Anna, Frieda, bot


def test_segment_shares_per_month_and_department(frame: pd.DataFrame) -> None:
    shares = adoption.segment_shares(frame)
    october = shares[shares["month"] == OCT].set_index("segment")
    assert october["people"].to_dict() == {"productive": 3, "sporadic": 3, "barely": 3,
                                           "never": 2, "new": 1}
    assert october["share"].sum() == pytest.approx(1.0)
    by_department = adoption.segment_shares(frame, by="department")
    oct_dept = by_department[by_department["month"] == OCT]
    assert oct_dept.groupby("department")["licensed"].first().to_dict() == {
        "Service": 3, "Vertrieb": 9}
    # Every segment is present for every month and department, zero or not.
    assert len(oct_dept) == 2 * 5


def test_lifecycle(frame: pd.DataFrame) -> None:
    lifecycle = adoption.lifecycle_by_month(frame)
    october = lifecycle[lifecycle["month"] == OCT].set_index("state")["people"].to_dict()
    # New: Clara, Frieda. Returning: Anna, Lena, Ida, Jan, bot. Back again: Bernd (August).
    # Dormant: Kai (productive in September, nothing in October).
    assert october == {"new": 2, "returning": 5, "resurrecting": 1, "dormant": 1}
    september = lifecycle[lifecycle["month"] == SEP].set_index("state")["people"].to_dict()
    # Bernd was active in August only: dormant in September; everyone else active is new.
    assert september == {"new": 7, "returning": 0, "resurrecting": 0, "dormant": 1}


def test_movement_matrix(frame: pd.DataFrame) -> None:
    matrix = adoption.movement_matrix(frame, OCT)
    moves = {(r.from_segment, r.to_segment): r.people for r in matrix.itertuples()
             if r.people}
    assert moves == {
        ("sporadic", "productive"): 1,  # Anna
        ("barely", "sporadic"): 2,  # Bernd, Ida
        ("never", "barely"): 1,  # Clara
        ("never", "never"): 1,  # Dieter
        ("not_licensed", "new"): 1,  # Emil
        ("not_licensed", "productive"): 1,  # Frieda
        ("sporadic", "not_licensed"): 1,  # Gustav left
        ("not_licensed", "never"): 1,  # Hanna
        ("sporadic", "sporadic"): 1,  # Lena
        ("sporadic", "barely"): 1,  # Jan
        ("productive", "barely"): 1,  # Kai
        ("productive", "productive"): 1,  # the bot
    }
    assert matrix["people"].sum() == 13  # everyone licensed in either month, once


def test_breadth(frame: pd.DataFrame) -> None:
    breadth = adoption.breadth_by_month(frame).set_index("month")
    # Anna 3 (Account = account), Bernd 2, Clara 1, Frieda 2, Lena 2, Ida 0, Jan 1, bot 1.
    assert breadth.loc[OCT, "avg_breadth"] == pytest.approx(12 / 8)
    distribution = adoption.breadth_distribution(frame, OCT)
    assert dict(zip(distribution["areas"], distribution["people"], strict=True)) == {
        "0": 1, "1": 3, "2": 3, "3": 1, "4": 0, "5+": 0}


def test_stickiness_by_month(frame: pd.DataFrame) -> None:
    sticky = adoption.stickiness_by_month(frame).set_index("month")
    assert sticky.loc[OCT, "mau"] == 8
    assert sticky.loc[OCT, "dau"] == pytest.approx(42 / 31)
    assert sticky.loc[OCT, "stickiness"] == pytest.approx(42 / 248)
    assert sticky.loc[SEP, "stickiness"] == pytest.approx(35 / 210)
