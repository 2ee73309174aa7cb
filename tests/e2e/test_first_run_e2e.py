"""A measured first run (issue 19): from an empty database to a correct Overview, in Chromium.

The server prints the setup link; the admin is created through it; the admin creates a lead; the
lead follows the Overview's checklist and uploads the four datasets from our fixtures. Every
action a person takes (a click, a file chosen, a form submitted with Enter, a link opened) is
counted: at most 30. Time and actions go to test-output/first-run.json (bench/first_run.py
prints them); screenshots of each step to test-output/screenshots/first-run-*.png.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    AppServer,
    metric_value,
    wait_idle,
    whole_page,
)

GENERIC = Path(__file__).parent.parent / "fixtures" / "generic"
RESULT = Path(__file__).parent.parent.parent / "test-output" / "first-run.json"
MAX_ACTIONS = 30
PASSWORD = "a long first password"


class Journey:
    """The page, the count of a person's actions, and when each step ended."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.actions = 0
        self.started = time.monotonic()
        self.steps: list[tuple[str, int, float]] = []

    def act(self) -> None:
        self.actions += 1

    def click(self, locator: object) -> None:
        self.act()
        locator.click()  # type: ignore[attr-defined]
        wait_idle(self.page)

    def enter(self, field: object) -> None:
        """Submit a form with Enter in ``field``."""
        self.act()
        field.press("Enter")  # type: ignore[attr-defined]
        wait_idle(self.page)

    def choose_file(self, path: Path) -> None:
        page = self.page
        with page.expect_file_chooser() as chooser:
            page.get_by_test_id("stFileUploaderDropzone").get_by_test_id(
                "stBaseButton-secondary").click()
        chooser.value.set_files(str(path))
        self.act()  # choosing the file is one action (the dialog's button and the pick)
        expect(page.get_by_role("heading", name=path.name)).to_be_visible(timeout=30_000)
        wait_idle(page)

    def step(self, name: str) -> None:
        self.steps.append((name, self.actions, round(time.monotonic() - self.started, 2)))
        whole_page(self.page, f"first-run-{len(self.steps):02d}-{name}", settle_ms=300)


def _setup_link(log: Path, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"http://\S+/\?setup=[\w-]+", log.read_text(errors="replace"))
        if found:
            return found.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no setup link in the log: {log.read_text(errors='replace')}")


def _upload(j: Journey, kind_label: str, file: str, rows: str) -> None:
    """From the Overview: the checklist's Upload button, the file, Load; back to the Overview."""
    page = j.page
    row = page.get_by_test_id("stHorizontalBlock").filter(has_text=kind_label).last
    j.click(row.get_by_role("button", name="Upload"))
    expect(page.get_by_role("heading", name="Upload data").first).to_be_visible(timeout=20_000)
    expect(page.get_by_role("radio", name=kind_label)).to_be_checked()
    j.choose_file(GENERIC / file)
    j.click(page.get_by_role("button", name="Load", exact=True))
    expect(page.get_by_text(f"Loaded {rows} rows as upload #")).to_be_visible(timeout=30_000)
    j.click(page.get_by_test_id("stSidebarNav").get_by_text("Overview", exact=True))
    expect(page.get_by_role("heading", name="Overview").first).to_be_visible(timeout=20_000)


def test_first_run_to_a_correct_overview(
    start_app: Callable[[Path], AppServer], tmp_path: Path, page: Page
) -> None:
    server = start_app(tmp_path / "company.duckdb")
    j = Journey(page)
    link = _setup_link(tmp_path / "streamlit-0.log")
    assert link.startswith(server.url)

    # 1. The admin, through the setup link (the username is proposed: "admin").
    j.act()
    page.goto(link)
    wait_idle(page)
    expect(page.get_by_role("heading", name="Welcome to crm-dash")).to_be_visible()
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    repeat = page.get_by_role("textbox", name="Repeat the password")
    repeat.fill(PASSWORD)
    j.step("setup-link")
    j.enter(repeat)
    expect(page.get_by_text("Logged in as")).to_be_visible(timeout=20_000)
    assert "setup=" not in page.url

    # 2. The admin creates the lead.
    j.click(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Administration"))
    form = page.get_by_test_id("stForm").filter(has_text="Add a user")
    form.get_by_role("textbox", name="Username").fill("petra")
    form.get_by_role("textbox", name="Display name").fill("Petra Projektleitung")
    j.click(form.get_by_role("combobox"))
    j.click(page.get_by_role("option", name="Project lead"))
    form.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    j.step("admin-adds-lead")
    j.click(form.get_by_role("button", name="Create user"))
    expect(page.get_by_text("User petra created.")).to_be_visible(timeout=20_000)

    # 3. The lead, in a browser of her own, opens the app, logs in and follows the checklist.
    browser = page.context.browser
    assert browser is not None
    lead = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    page = j.page = lead.new_page()
    j.act()
    page.goto(server.url)
    wait_idle(page)
    page.get_by_role("textbox", name="Username").fill("petra")
    password = page.get_by_role("textbox", name="Password", exact=True)
    password.fill(PASSWORD)
    j.enter(password)
    expect(page.get_by_role("heading", name="Getting started: load your four exports")
           ).to_be_visible(timeout=20_000)
    j.step("lead-checklist")
    _upload(j, "User roster", "users.csv", "7")
    _upload(j, "Usage log", "usage.csv", "12")
    _upload(j, "Training records", "training.csv", "5")
    _upload(j, "Sales pipeline", "pipeline.csv", "4")

    # 4. A correct Overview: the fixture's figures, and nothing left "not loaded".
    assert metric_value(page, "People in the roster") == "6"
    assert metric_value(page, "Usage events") == "12"
    assert metric_value(page, "Opportunities") == "4"
    expect(page.get_by_text("Not loaded yet")).to_have_count(0)
    seconds = round(time.monotonic() - j.started, 1)
    j.step("overview")
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps({"actions": j.actions, "seconds": seconds,
                                  "steps": j.steps}, indent=2))
    lead.close()
    assert j.actions <= MAX_ACTIONS, j.steps
