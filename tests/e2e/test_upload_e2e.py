"""Upload a German Excel roster and a usage log through the browser; the Overview changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    AppServer,
    choose_file,
    login,
    metric_value,
    open_page,
    wait_idle,
    whole_page,
)

EXPORTS = Path(__file__).parent.parent / "fixtures" / "exports"






def test_upload_roster_and_usage_then_the_overview_changes(
    start_app: Callable[[Path], AppServer], accounts_db: Path, page: Page
) -> None:
    server = start_app(accounts_db)
    page.goto(server.url)
    login(page, "lead")
    expect(page.get_by_role("heading", name="Overview").first).to_be_visible(timeout=20_000)
    wait_idle(page)
    assert metric_value(page, "People in the roster") == "6"
    assert metric_value(page, "Usage events") == "12"

    open_page(page, "Upload data")
    choose_file(page, EXPORTS / "roster_de_excel.csv")  # ';', cp1252, a title block above
    expect(page.get_by_text("Windows-1252 (ANSI) · semicolon-separated · header in line 4")
           ).to_be_visible(timeout=20_000)
    assert metric_value(page, "Will be loaded") == "5"
    expect(page.locator("td", has_text="Jürgen Müller").first).to_be_attached()  # umlauts
    whole_page(page, "upload-roster-check")
    page.get_by_role("button", name="Load", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Loaded 5 rows as upload #")).to_be_visible(timeout=20_000)
    whole_page(page, "upload-roster-loaded")

    page.get_by_text("Usage log", exact=True).click()
    expect(page.get_by_text("--kind usage")).to_be_visible(timeout=20_000)
    wait_idle(page)
    choose_file(page, EXPORTS / "usage_e2e.csv")
    assert metric_value(page, "Will be loaded") == "5"
    whole_page(page, "upload-usage-check")
    page.get_by_role("button", name="Load", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("Loaded 5 rows as upload #")).to_be_visible(timeout=20_000)

    open_page(page, "Overview")
    # 6 + 4 people (the SAP integration account does not count), 12 + 5 events.
    assert metric_value(page, "People in the roster") == "10"
    assert metric_value(page, "Usage events") == "17"
    whole_page(page, "overview-after-upload")

    open_page(page, "Import history")
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    whole_page(page, "import-history")


def test_rejects_shown_in_the_browser(
    start_app: Callable[[Path], AppServer], accounts_db: Path, page: Page
) -> None:
    server = start_app(accounts_db)
    page.goto(f"{server.url}/upload")
    login(page, "lead")
    expect(page.get_by_role("heading", name="Upload data").first).to_be_visible(timeout=20_000)
    wait_idle(page)  # logged in before the language changes
    page.get_by_text("Deutsch", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Daten hochladen").first).to_be_visible(
        timeout=20_000)
    wait_idle(page)
    page.get_by_text("Nutzungsprotokoll", exact=True).click()
    expect(page.get_by_text("--kind usage")).to_be_visible(timeout=20_000)
    wait_idle(page)
    choose_file(page, EXPORTS / "bad" / "invalid_dates.csv")
    assert metric_value(page, "Abgelehnte Zeilen") == "3"
    expect(page.get_by_role("button", name="Ohne die abgelehnten Zeilen laden")).to_be_visible(
        timeout=20_000)
    expect(page.get_by_role("button", name="Abgelehnte Zeilen herunterladen (CSV)")
           ).to_be_visible()
    whole_page(page, "upload-rejects-de")
