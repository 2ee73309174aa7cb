"""Upload an Excel roster (.xlsx) through the browser's file chooser; the Overview counts it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests import workbooks
from tests.e2e.conftest import (
    AppServer,
    choose_file,
    login,
    metric_value,
    open_page,
    wait_idle,
    whole_page,
)


def test_upload_an_xlsx_roster_and_see_the_figures(
    start_app: Callable[[Path], AppServer], accounts_db: Path, page: Page, tmp_path: Path
) -> None:
    roster = workbooks.roster(tmp_path / "Mitarbeiter.xlsx", id_prefix="005B0000000000")
    server = start_app(accounts_db)
    page.goto(server.url)
    login(page, "lead")
    expect(page.get_by_role("heading", name="Overview").first).to_be_visible(timeout=20_000)
    wait_idle(page)
    assert metric_value(page, "People in the roster") == "6"

    open_page(page, "Upload data")
    choose_file(page, roster)
    expect(page.get_by_text("Excel workbook, sheet")).to_be_visible(timeout=20_000)
    assert metric_value(page, "Will be loaded") == "3"
    expect(page.locator("td", has_text="Özlem Çelik").first).to_be_attached()
    whole_page(page, "upload-xlsx-check")
    page.get_by_role("button", name="Load", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Loaded 3 rows as upload #")).to_be_visible(timeout=20_000)

    open_page(page, "Overview")
    assert metric_value(page, "People in the roster") == "9"
    whole_page(page, "overview-after-xlsx-upload")
