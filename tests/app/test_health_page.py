"""The Data health page and the Overview's health line in AppTest (databases from
``tests/fixtures/health``; the figures are worked out in tests/unit/test_health.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from crm_dash.markdown import md_unescape
from tests.conftest import FIXTURES, fixture_db


def test_health_page_for_a_lead_lists_the_findings(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    database = fixture_db(FIXTURES / "health" / "problems", tmp_path / "crm.duckdb")
    at = make_app(database, "pages/health.py").run()
    assert not at.exception
    assert at.title[0].value == "Data health"
    assert at.dataframe[0].value["Rows"].tolist() == ["7", "9", "4", "3"]
    # Seven findings, each a warning box with its numbers, examples and what to do.
    assert len(at.warning) == 7
    first = md_unescape(at.warning[0].value)  # as the reader sees it
    assert "**2 user ids of the usage log are not on the roster: 4 of 9 events (44%)" in first
    assert "Examples: 3f2504e0-4f89-11d3-9a0c-0305e82c3301" in first
    assert "**What to do:**" in first
    assert "Ben Bauer (alt)" in md_unescape(at.warning[3].value)  # names: leads and admins only


def test_health_page_refuses_executives(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    database = fixture_db(FIXTURES / "health" / "problems", tmp_path / "crm.duckdb")
    at = make_app(database, "pages/health.py", role="executive").run()
    assert not at.exception
    assert not at.warning and not at.dataframe
    assert at.error


def test_overview_shows_one_health_line(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    database = fixture_db(FIXTURES / "health" / "clear", tmp_path / "crm.duckdb")
    at = make_app(database, "pages/overview.py").run()
    assert not at.exception
    lines = [m.value for m in at.markdown if "Data health" in m.value]
    assert lines == [":green[:material/check_circle:] Data health: nothing needs attention."]
