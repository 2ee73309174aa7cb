"""Adoption in a real Chromium: filters change the URL and the figures, a shared link restores
them, executives see no names; screenshots of every adoption page."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.conftest import FIXTURES, fixture_db
from tests.e2e.conftest import (
    AppServer,
    login,
    metric_value,
    screenshot,
    wait_idle,
    whole_page,
    with_accounts,
)

StartApp = Callable[[Path], AppServer]
NAMES = ("Anna Adler", "Bernd Berger", "Lena Lang", "anna.adler@", "005XA0000000001")


def _adoption_db(tmp_path: Path) -> Path:
    return with_accounts(fixture_db(FIXTURES / "adoption", tmp_path / "adoption.duckdb"))




def _heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", name=name, exact=True).first).to_be_visible(
        timeout=20_000)
    wait_idle(page)




def _choose(page: Page, label: str, option: str) -> None:
    wait_idle(page)
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def test_lead_filters_adoption_and_shares_the_view(
    start_app: StartApp, tmp_path: Path, page: Page, browser: Browser
) -> None:
    server = start_app(_adoption_db(tmp_path))
    page.goto(server.url)
    login(page, "lead")
    _heading(page, "Overview")
    page.get_by_test_id("stSidebarNav").get_by_text("Adoption", exact=True).click()
    _heading(page, "Adoption")
    assert metric_value(page, "Licensed people") == "12"
    assert metric_value(page, "Stickiness") == "16.9%"
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(8)
    expect(page.get_by_text("Moved up: 4 · slipped: 2").first).to_be_visible()
    whole_page(page, "adoption-lead")

    _choose(page, "Department", "Vertrieb")
    expect(page).to_have_url(re.compile(r"department=Vertrieb"), timeout=15_000)
    expect(page.get_by_test_id("stMetric").filter(has_text="Licensed people")
           .get_by_test_id("stMetricValue").first).to_have_text("9")
    expect(page.get_by_text("Moved up: 3 · slipped: 0").first).to_be_visible()  # Anna, Bernd, Clara

    # The end of the month range one step back: September.
    page.get_by_role("slider").last.focus()
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"months=2026-08&months=2026-09"), timeout=15_000)
    expect(page.get_by_text("September 2026, the last month of the selected range").first
           ).to_be_visible()
    assert metric_value(page, "Licensed people") == "7"  # Vertrieb in September, Gustav included
    whole_page(page, "adoption-lead-filtered")


    # The link restores the view in another browser session.
    shared = page.url
    other = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    second = other.new_page()
    second.goto(shared)
    login(second, "lead")
    _heading(second, "Adoption")
    assert metric_value(second, "Licensed people") == "7"
    expect(second.get_by_text("September 2026, the last month").first).to_be_visible()
    other.close()

    # Switching the language keeps the chosen department and translates "all teams".
    page.get_by_text("Deutsch", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("combobox", name="Team / Region")).to_have_value("Alle Teams")
    expect(page.get_by_role("combobox", name="Abteilung")).to_have_value("Vertrieb")
    expect(page).to_have_url(re.compile(r"department=Vertrieb"))


def test_lead_pages_people_settings_overview(
    start_app: StartApp, tmp_path: Path, page: Page
) -> None:
    server = start_app(_adoption_db(tmp_path))
    page.goto(server.url)
    login(page, "lead")
    _heading(page, "Overview")
    expect(page.get_by_role("heading", name="Adoption in October 2026")).to_be_visible()
    assert metric_value(page, "Productive") == "3 · 25%"
    whole_page(page, "overview-adoption-lead")

    page.goto(f"{server.url}/people")
    _heading(page, "People")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    page.get_by_role("textbox", name="Search").fill("hotline")
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("3 of 12 people shown.").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=hotline"))
    whole_page(page, "people-lead")

    page.goto(f"{server.url}/settings")
    _heading(page, "Metric settings")
    whole_page(page, "settings-lead")
    writes = page.get_by_role("spinbutton", name="Productive: min. writes")
    writes.fill("3")
    writes.press("Tab")
    page.get_by_role("button", name="Preview").click()
    wait_idle(page)
    expect(page.get_by_text("People per segment in October 2026").first).to_be_visible()
    whole_page(page, "settings-lead-preview")
    page.get_by_role("button", name="Save as new version").click()
    wait_idle(page)
    expect(page.get_by_text("Saved: 1 setting changed.").first).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Definition version").first).to_be_visible()
    whole_page(page, "settings-lead-saved")

    page.get_by_text("Deutsch", exact=True).click()
    wait_idle(page)
    page.get_by_test_id("stSidebarNav").get_by_text("Nutzung", exact=True).click()
    _heading(page, "Nutzung")
    assert metric_value(page, "Anteil produktiv") == "33\u00a0%"  # 4 of 12 with 3 writes
    whole_page(page, "adoption-lead-de")


def test_executive_sees_aggregates_only(
    start_app: StartApp, tmp_path: Path, page: Page
) -> None:
    server = start_app(_adoption_db(tmp_path))
    page.goto(f"{server.url}/adoption")
    login(page, "executive")
    _heading(page, "Adoption")
    assert metric_value(page, "Licensed people") == "12"
    expect(page.get_by_text("fewer than 5 licensed people are shown as").first).to_be_visible()
    text = page.get_by_test_id("stMain").inner_text()
    assert not any(name in text for name in NAMES)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("People", exact=True)).to_have_count(0)
    whole_page(page, "adoption-executive")

    page.goto(f"{server.url}/people")  # typed into the address bar
    wait_idle(page)
    if page.get_by_role("button", name="Log in").count():  # the login cookie not yet written
        login(page, "executive")
    expect(page.get_by_text("Your role may not open this page").first).to_be_visible(timeout=20_000)
    text = page.get_by_test_id("stMain").inner_text()
    assert not any(name in text for name in NAMES)
    screenshot(page, "people-executive-refused")
