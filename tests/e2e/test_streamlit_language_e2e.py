"""Streamlit's own English in a real Chromium (issue 18): the German Upload page shows none of
the uploader's English, ``<html lang>`` follows the UI language, and Back and Forward leave the
page consistent (files with "start over", or an empty uploader without it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import AppServer, choose_file, login, open_page, wait_idle, whole_page

EXPORTS = Path(__file__).parent.parent / "fixtures" / "exports"
UPLOADER_BUTTON = ("[data-testid=stFileUploaderDropzone] [data-testid=stBaseButton-secondary] "
                   "[data-testid=stMarkdownContainer]")


def _consistent(page: Page, start_over: str) -> int:
    """The files in the uploader; the start-over button is there exactly when there are some."""
    wait_idle(page)
    page.wait_for_timeout(500)  # the frontend draws the uploader's files after the run
    wait_idle(page)
    files = page.get_by_test_id("stFileUploader").get_by_test_id("stFileChip").count()
    buttons = page.get_by_role("button", name=start_over).count()
    assert (files > 0) == (buttons > 0), f"{files} files, {buttons} start-over buttons"
    return files


def test_german_upload_has_no_streamlit_english_and_back_forward_stay_consistent(
    start_app: Callable[[Path], AppServer], accounts_db: Path, page: Page
) -> None:
    server = start_app(accounts_db)
    page.goto(f"{server.url}/upload")
    login(page, "lead")
    expect(page.get_by_role("heading", name="Upload data").first).to_be_visible(timeout=20_000)
    assert page.evaluate("document.documentElement.lang") == "en"
    whole_page(page, "upload-streamlit-english-en")
    page.get_by_text("Deutsch", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Daten hochladen").first).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    text = page.locator("body").inner_text()
    for english in ("Drag and drop", "Browse files", "200MB", "per file •"):
        assert english not in text, english
    assert page.locator(UPLOADER_BUTTON).first.evaluate(
        "e => getComputedStyle(e, '::after').content") == '"Hochladen"'
    whole_page(page, "upload-streamlit-english-de")

    choose_file(page, EXPORTS / "roster_de_excel.csv")
    assert _consistent(page, "Andere Dateien hochladen") == 1
    open_page(page, "Importverlauf")
    page.go_back()
    _consistent(page, "Andere Dateien hochladen")
    page.go_forward()
    wait_idle(page)
    page.go_back()
    _consistent(page, "Andere Dateien hochladen")
    whole_page(page, "upload-after-back-forward-de")
