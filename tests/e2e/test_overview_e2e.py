from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from crm_dash import auth, db
from crm_dash.datasets import DatasetKind
from crm_dash.pages import Role
from crm_dash.summary import data_summary
from tests.e2e.conftest import PASSWORD, AppServer, login, metric_value, screenshot, wait_idle


def test_overview_shows_the_numbers_in_the_database(
    start_app: Callable[[Path], AppServer], accounts_db: Path, page: Page
) -> None:
    conn = db.connect(accounts_db)
    expected = data_summary(conn)
    conn.close()
    server = start_app(accounts_db)

    page.goto(server.url)
    login(page, "executive")
    page.get_by_role("heading", name="Overview").wait_for()
    assert metric_value(page, "People in the roster") == str(expected.people)
    assert metric_value(page, "Usage events") == str(expected.dataset(DatasetKind.USAGE).rows)
    assert metric_value(page, "Opportunities") == str(expected.dataset(DatasetKind.PIPELINE).rows)
    screenshot(page, "overview-en")

    page.get_by_text("Deutsch", exact=True).click()
    page.get_by_role("heading", name="Übersicht").wait_for()
    wait_idle(page)
    assert "lang=de" in page.url
    assert metric_value(page, "Personen in der Benutzerliste") == str(expected.people)
    screenshot(page, "overview-de")


def test_empty_database_shows_what_to_upload(
    start_app: Callable[[Path], AppServer], tmp_path: Path, page: Page
) -> None:
    empty = tmp_path / "empty.duckdb"
    conn = db.connect(empty)
    auth.add_user(conn, "lead", PASSWORD, Role.LEAD, actor="test")
    conn.close()
    server = start_app(empty)
    page.goto(server.url)
    login(page, "lead")
    page.get_by_text("Getting started: load your four exports").wait_for()
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "overview-empty")
