"""Adoption's department table and Import history offer CSV (UI language) and .xlsx."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import FIXTURES, fixture_db


def test_adoption_departments_download_in_german(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    database = fixture_db(FIXTURES / "adoption", tmp_path / "adoption.duckdb")
    at = make_app(database, "pages/adoption.py")
    at.query_params["lang"] = "de"
    at.run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels[-2:] == ["CSV herunterladen", "Excel herunterladen (.xlsx)"]


def test_import_history_downloads(make_app: Callable[..., AppTest], fixture_db_path: Path) -> None:
    at = make_app(fixture_db_path, "pages/imports.py").run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels[:2] == ["Download CSV", "Download Excel (.xlsx)"]
