"""The demo says it is the demo on every page and explains how to start with your own data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.unit.test_demo_refusal import demo_db


@pytest.mark.parametrize("script", ["pages/overview.py", "pages/training.py"])
def test_every_demo_page_offers_your_own_data(
    make_app: Callable[..., AppTest], tmp_path: Path, script: str
) -> None:
    at = make_app(demo_db(tmp_path / "demo.duckdb"), script, role="lead").run()
    assert not at.exception
    assert "Nothing here is real" in at.warning[0].value
    steps = " ".join(m.value for m in at.markdown)
    assert "one-time setup link" in steps and "never in the demo" in steps
    assert "crm-dash run --db data/company.duckdb" in at.code[0].value


def test_the_login_page_of_the_demo_too_in_german(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    at = make_app(demo_db(tmp_path / "demo.duckdb"), "pages/overview.py", role=None)
    at.query_params["lang"] = "de"
    at.run()
    assert "Nichts hiervon ist echt" in at.warning[0].value
    assert "Einrichtungslink" in " ".join(m.value for m in at.markdown)


def test_no_such_offer_on_a_company_database(
    make_app: Callable[..., AppTest], fixture_db_path: Path
) -> None:
    at = make_app(fixture_db_path, "pages/overview.py", role="lead").run()
    assert not any("setup link" in m.value for m in at.markdown)
