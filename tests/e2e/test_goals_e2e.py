"""A lead sets a goal in the browser, logs out; an executive logs in and sees it with its status.

Data: tests/fixtures/goals (Vertrieb Süd: 2 productive users in January 2025, 4 in April).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from crm_dash import db
from crm_dash.goals.store import list_goals
from tests.conftest import fixture_db
from tests.e2e.conftest import AppServer, login, screenshot, wait_idle, with_accounts

GOAL_FIXTURES = Path(__file__).parent.parent / "fixtures" / "goals"
GOAL_NAME = "+50 % productive users in Vertrieb Süd within 9 months"


@pytest.fixture
def goals_db(tmp_path: Path) -> Path:
    return with_accounts(fixture_db(GOAL_FIXTURES, tmp_path / "goals.duckdb"))


def _choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``.

    A rerun (e.g. right after the login) can replace the open list under the pointer: then the
    list is opened again.
    """
    for _ in range(3):
        wait_idle(page)
        # .first: during a rerun the previous run's element can stand beside the new one
        box = page.locator("[data-testid=stSelectbox]:visible").filter(has_text=label).first
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        wait_idle(page)
        expect(box.get_by_role("combobox")).to_have_value(option)
        return
    raise AssertionError(f"could not choose {option!r} in {label!r}")


def test_lead_sets_a_goal_and_the_executive_sees_it(
    start_app: Callable[[Path], AppServer], goals_db: Path, page: Page, browser: Browser,
    tmp_path: Path,
) -> None:
    server = start_app(goals_db)
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(f"{server.url}/goals")
    login(page, "lead")
    expect(page.get_by_role("heading", name="Set a new goal")).to_be_visible(timeout=20_000)

    _choose(page, "Department", "Vertrieb Süd")
    _choose(page, "Start month", "February 2025")
    target = page.get_by_label("Target change (%)")
    target.fill("50")
    target.press("Enter")
    wait_idle(page)
    preview = page.locator("[data-testid=stAlert]").filter(has_text="Baseline:")
    # January 2025: 2 productive users; 2 x 1.5 = 3 by 31 October 2025, shown before saving.
    expect(preview).to_contain_text("2 (Productive users, January 2025)")
    expect(preview).to_contain_text("target: 3 by 31 Oct 2025 (+50 %)")
    screenshot(page, "goals-lead-form")
    page.get_by_role("button", name="Save goal").click()
    wait_idle(page)
    expect(page.get_by_text("saved; its baseline is frozen")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("heading", name=GOAL_NAME)).to_be_visible()
    page.get_by_text("Change history").click()
    wait_idle(page)
    screenshot(page, "goals-lead")

    page.get_by_role("button", name="Log out").click()
    wait_idle(page)
    page.goto(f"{server.url}/goals")
    login(page, "executive")
    heading = page.get_by_role("heading", name=GOAL_NAME)
    expect(heading).to_be_visible(timeout=20_000)
    expect(heading).to_contain_text("Achieved")  # April: 4 >= 3
    expect(page.get_by_text("You see the goals read-only")).to_be_visible()
    expect(page.get_by_role("button", name="Save goal")).to_have_count(0)
    expect(page.get_by_text("Edit or archive")).to_have_count(0)
    expect(page.get_by_text("Anna Adler")).to_have_count(0)
    expect(page.locator("[data-testid=stVegaLiteChart]")).to_have_count(1)
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "goals-executive")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download report (HTML)").click()
    report = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(report)
    assert report.name == "goal-1-2025-04.html"
    html = report.read_text(encoding="utf-8")
    assert GOAL_NAME in html and "Achieved" in html and "<svg" in html

    context = browser.new_context(viewport={"width": 900, "height": 1300}, offline=True)
    viewer = context.new_page()
    viewer.goto(report.as_uri())
    expect(viewer.get_by_role("heading", name=GOAL_NAME)).to_be_visible()
    expect(viewer.locator("svg polyline.series-actual")).to_have_count(1)
    screenshot(viewer, "goals-report")
    context.close()

    server.stop()  # the app holds the database file
    conn = db.connect(goals_db)
    [goal] = list_goals(conn)
    conn.close()
    assert (goal.baseline, goal.target, goal.created_by) == (2, 3, "lead")
