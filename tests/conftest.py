"""Shared fixtures: small databases built in tmp_path from the CSVs in tests/fixtures/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from crm_dash import db
from crm_dash.fixtures import load_generic_folder

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT_ROOT = Path(__file__).parent.parent


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An empty, migrated database."""
    connection = db.connect(tmp_path / "empty.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def fixture_conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A database holding the generic fixtures (7 roster rows incl. 1 integration account)."""
    connection = db.connect(tmp_path / "fixture.duckdb")
    load_generic_folder(connection, FIXTURES / "generic")
    yield connection
    connection.close()


def fixture_db(folder: Path, path: Path) -> Path:
    """``path``, a closed database file holding the generic-template CSVs of ``folder`` (for
    the app, the CLI and the browser)."""
    connection = db.connect(path)
    load_generic_folder(connection, folder)
    connection.close()
    return path


@pytest.fixture
def fixture_db_path(tmp_path: Path) -> Path:
    """Path of a closed database file holding the generic fixtures (for the app and the CLI)."""
    return fixture_db(FIXTURES / "generic", tmp_path / "fixture.duckdb")
