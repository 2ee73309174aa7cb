"""A lead runs a retrospective in a real Chromium: saves part of it, leaves the rest as a draft,
switches pages and reloads, and finds everything intact; an executive reads it.

Data: tests/fixtures/retro (see its README). The retrospective is held on 20 Nov 2026, so its
figures are those of October 2026.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from crm_dash import db
from crm_dash.retro.model import ItemStatus
from crm_dash.retro.store import get_retro, read_draft, retro_items
from tests.conftest import fixture_db
from tests.e2e.conftest import AppServer, login, wait_idle, whole_page, with_accounts

StartApp = Callable[[Path], AppServer]
FIXTURE = Path(__file__).parent.parent / "fixtures" / "retro"
TITLE = "Retrospective of 20 Nov 2026"


def _retro_db(tmp_path: Path) -> Path:
    return with_accounts(fixture_db(FIXTURE, tmp_path / "retro.duckdb"))


def _item(page: Page, item_id: str) -> Locator:
    return page.locator(f".st-key-retro-item-{item_id.replace('.', '-')}")


def _tab(page: Page, name: str) -> None:
    wait_idle(page)
    page.get_by_role("tab", name=name, exact=True).first.click()  # a rerun can show two
    wait_idle(page)


def _set_status(page: Page, item_id: str, label: str) -> None:
    """Choose ``label`` in the status box of an item (again if a rerun swapped the list)."""
    box = _item(page, item_id).get_by_test_id("stSelectbox")
    for _ in range(3):
        wait_idle(page)
        box.click()
        try:
            page.get_by_role("option", name=label, exact=True).click(timeout=5_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        wait_idle(page)
        expect(box.get_by_role("combobox").first).to_have_value(label)
        return
    raise AssertionError(f"could not choose {label!r} for {item_id}")


def _type(field: Locator, page: Page, text: str) -> None:
    """Type into a text field and leave it, which commits the value (and writes the draft)."""
    field.fill(text)
    field.press("Tab")
    wait_idle(page)




def _check_intact(page: Page) -> None:
    """The saved item and the drafted ones show what was chosen and typed.

    ``.first``: during a rerun, the previous run's field can briefly stand beside the new one.
    """
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=20_000)
    _tab(page, "Origin")
    results = _item(page, "origin.results")
    expect(results.get_by_role("combobox").first).to_have_value("In progress")
    expect(results.get_by_label("Notes").first).to_have_value("Figures for the management meeting")
    expect(results.get_by_label("Owner").first).to_have_value("Petra")
    _tab(page, "Introduction and training")
    expect(_item(page, "training.regular").get_by_role("combobox").first).to_have_value("Done")
    expect(_item(page, "training.everyone").get_by_role("combobox").first).to_have_value(
        "In progress")
    expect(_item(page, "training.onboarding").get_by_label("Notes").first).to_have_value(
        "Checklist for joiners with HR")


def test_lead_fills_in_part_reloads_and_finds_it_intact(
    start_app: StartApp, tmp_path: Path, page: Page
) -> None:
    path = _retro_db(tmp_path)
    server = start_app(path)
    page.set_viewport_size({"width": 1400, "height": 1600})
    page.goto(f"{server.url}/retro")
    login(page, "lead")
    expect(page.get_by_text("No retrospective yet")).to_be_visible(timeout=20_000)

    # Start one: the form is open while there is none
    day = page.locator(".st-key-retro_new_held_on").get_by_role("spinbutton").first
    day.click()
    page.keyboard.type("20112026")  # day, month, year: the segments advance by themselves
    page.keyboard.press("Tab")
    wait_idle(page)
    expect(page.get_by_text("This is the first retrospective")).to_be_visible()
    _type(page.locator(".st-key-retro_new_participants input"), page,
          "Project team, CRM admin, key users")
    page.get_by_role("button", name="Start retrospective").click()
    wait_idle(page)
    expect(page.get_by_text("Retrospective of 20 Nov 2026 started.")).to_be_visible()
    expect(page).to_have_url(f"{server.url}/retro?retro=1")
    expect(page.get_by_text("Figures of October 2026")).to_be_visible()

    # Saved path: two training items, one of them by taking the data's suggestion
    _tab(page, "Introduction and training")
    onboarding = _item(page, "training.onboarding")
    expect(onboarding).to_contain_text("3 of 5 joiners of the 12 months up to October 2026 (60%)")
    expect(onboarding).to_contain_text("Suggested: In progress")
    _set_status(page, "training.regular", "Done")
    _item(page, "training.everyone").get_by_role("button", name="Take suggestion").click()
    wait_idle(page)
    expect(_item(page, "training.everyone").get_by_role("combobox")).to_have_value("In progress")
    _type(onboarding.get_by_label("Notes"), page, "Checklist for joiners with HR")
    page.locator(".st-key-retro_1_save").get_by_role("button", name="Save").first.click()
    wait_idle(page)
    expect(page.get_by_text("Retrospective saved (3 items changed).")).to_be_visible()

    # Draft path: typed, not saved
    _tab(page, "Origin")
    _set_status(page, "origin.results", "In progress")
    results = _item(page, "origin.results")
    _type(results.get_by_label("Notes"), page, "Figures for the management meeting")
    _type(results.get_by_label("Owner"), page, "Petra")

    # A page switch keeps it ...
    page.get_by_role("link", name="Goals").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Goals", exact=True)).to_be_visible(timeout=20_000)
    page.get_by_role("link", name="Retrospective").click()
    wait_idle(page)
    _check_intact(page)

    # ... and so does a reload, which starts a new session: the URL names the retrospective
    # and the draft comes back from the database
    page.reload()
    wait_idle(page)
    expect(page).to_have_url(f"{server.url}/retro?retro=1")
    banner = page.locator(".st-key-retro-draft-banner")
    expect(banner).to_contain_text("Unsaved changes from")
    expect(banner).to_contain_text("restored")
    _check_intact(page)
    assert page.locator("[data-testid=stException]").count() == 0
    _tab(page, "Origin")
    whole_page(page, "retro-lead")
    _tab(page, "Introduction and training")
    whole_page(page, "retro-lead-training")

    page.get_by_role("button", name="Log out").click()
    wait_idle(page)
    page.goto(f"{server.url}/retro")
    login(page, "executive")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=20_000)
    expect(page.get_by_text("You see the retrospectives read-only")).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    expect(page.get_by_role("button", name="Start retrospective")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Notes")).to_have_count(0)
    expect(page.get_by_text("Figures for the management meeting")).to_have_count(0)  # a draft
    _tab(page, "Introduction and training")
    expect(_item(page, "training.onboarding")).to_contain_text("Checklist for joiners with HR")
    expect(_item(page, "training.regular")).to_contain_text("Done")
    whole_page(page, "retro-executive")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download Markdown").click()
    markdown = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert download_info.value.suggested_filename == "retro-2026-11-20.md"
    assert markdown.startswith(f"# {TITLE}")
    assert "Checklist for joiners with HR" in markdown
    assert "Figures for the management meeting" not in markdown

    page.get_by_text("Deutsch", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Retrospektive vom 20.11.2026")).to_be_visible()
    _tab(page, "Einführung und Schulung")
    whole_page(page, "retro-executive-de")

    server.stop()  # the app holds the database file
    conn = db.connect(path)
    retro = get_retro(conn, 1)
    items = {i.item_id: i for i in retro_items(conn, retro)}
    draft = read_draft(conn, 1, "lead")
    conn.close()
    assert items["training.regular"].status is ItemStatus.DONE
    assert items["origin.results"].status is ItemStatus.OPEN  # only in the draft
    assert draft is not None
    assert draft.payload["items"]["origin.results"]["notes"] == \
        "Figures for the management meeting"


def test_notes_typed_and_not_left_survive_a_reload(
    start_app: StartApp, tmp_path: Path, page: Page
) -> None:
    """Issue 18: typed, never left (no Tab, no click elsewhere), reloaded: the text is there,
    and it became the lead's draft."""
    from datetime import date

    from crm_dash.retro.store import create_retro

    path = _retro_db(tmp_path)
    conn = db.connect(path)
    create_retro(conn, {"held_on": date(2026, 11, 20), "participants": "Project team"},
                 actor="lead")
    conn.close()
    server = start_app(path)
    page.goto(f"{server.url}/retro?retro=1")
    login(page, "lead")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=20_000)
    _tab(page, "Origin")
    notes = _item(page, "origin.results").get_by_label("Notes").first
    notes.click()
    page.keyboard.type("Typed, never left")
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=20_000)
    _tab(page, "Origin")
    expect(_item(page, "origin.results").get_by_label("Notes").first).to_have_value(
        "Typed, never left", timeout=10_000)
    wait_idle(page)
    page.reload()  # now from the database draft, the browser copy is gone
    wait_idle(page)
    _tab(page, "Origin")
    expect(_item(page, "origin.results").get_by_label("Notes").first).to_have_value(
        "Typed, never left", timeout=10_000)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('crm-dash-draft:'))"
                         ".length") == 0
    whole_page(page, "retro-typed-reload")
