"""Hostile text in an uploaded file stays text in the browser (issue 15, the header probe).

Headers, values and the file name carry Markdown images and links to a loopback listener,
HTML tags and Streamlit directives. Through detection, mapping, the check, the label choices,
a missing-columns warning, the load and the Import history, the page gains no image, link,
tag, coloured text or icon from them, shows each literally, and the browser never asks the
listener for anything. The AppTest twin is tests/app/test_upload_escaping.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crm_dash.markdown import WORD_JOINER
from tests.e2e.conftest import AppServer, login, open_page, wait_idle, whole_page
from tests.hostile_files import (
    hostile_labels,
    hostile_missing_csv,
    hostile_texts,
    hostile_usage_csv,
)


class _Listener:
    """A loopback HTTP server that counts every request (a fetched image, a followed link)."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    server = _Listener()
    yield server
    server.close()


def _elements_from(page: Page, host: str, directive_texts: list[str]) -> list[str]:
    """Elements in the app's main area that hostile text would have made."""
    return list(page.get_by_test_id("stMain").evaluate(
        """(main, [host, directives]) => {
            const found = [];
            const q = (sel) => [...main.querySelectorAll(sel)];
            q(`img[src*="${host}"], a[href*="${host}"], a[href^="javascript"]`)
                .forEach(e => found.push(e.outerHTML));
            q('[data-testid=stMarkdownContainer] :is(b, img, script)')
                .forEach(e => found.push(e.outerHTML));
            q('.stMarkdownColoredText').filter(e => directives.includes(e.textContent.trim()))
                .forEach(e => found.push(e.outerHTML));
            q('[data-testid=stMarkdownContainer] span[role=img]')
                .filter(e => (e.getAttribute('aria-label') || '').startsWith('warning'))
                .forEach(e => found.push(e.outerHTML));
            if (window.pwned) found.push('window.pwned');
            return found;
        }""", [host, directive_texts]))


def _shown(page: Page) -> str:
    return str(page.get_by_test_id("stMain").inner_text()).replace(WORD_JOINER, "")


def test_hostile_headers_values_and_names_stay_text(
    start_app: Callable[[Path], AppServer], accounts_db: Path, page: Page, tmp_path: Path,
    listener: _Listener,
) -> None:
    host = listener.host
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    directives = ["red header", "act", "f"]  # the text :red[...] would colour
    usage = hostile_usage_csv(tmp_path, host)
    missing = hostile_missing_csv(tmp_path, host)

    server = start_app(accounts_db)
    page.goto(f"{server.url}/upload")
    login(page, "lead")
    expect(page.get_by_role("heading", name="Upload data").first).to_be_visible(timeout=20_000)
    wait_idle(page)
    page.get_by_text("Usage log", exact=True).click()
    expect(page.get_by_text("--kind usage")).to_be_visible(timeout=20_000)
    wait_idle(page)

    with page.expect_file_chooser() as chooser:  # both files at once, as a person would
        page.get_by_test_id("stFileUploaderDropzone").get_by_test_id(
            "stBaseButton-secondary").click()
    chooser.value.set_files([str(usage), str(missing)])
    for path in (usage, missing):  # each panel's heading reads the file name, literally
        heading = page.get_by_role("heading").filter(has_text=path.name[:7])
        expect(heading).to_be_visible(timeout=30_000)
        text = str(heading.inner_text()).replace(WORD_JOINER, "")
        assert text.removeprefix("description").strip() == path.name  # after the icon
    expect(page.get_by_text("Values crm-dash does not know")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Required fields without a column")).to_be_visible(timeout=20_000)
    wait_idle(page)
    expected = [*hostile_texts(host), *hostile_labels(host)]
    shown = _shown(page)
    deadline = time.monotonic() + 20  # the second file's panel may draw in a later run
    while any(text not in shown for text in expected) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        shown = _shown(page)
    for text in expected:
        assert text in shown, text  # unused columns, the unsure match, the label choices
    assert _elements_from(page, host, directives) == []
    whole_page(page, "escaping-upload-check")

    warning = page.get_by_test_id("stAlert").filter(has_text="Required fields without a column")
    listed = str(warning.inner_text()).replace(WORD_JOINER, "")
    for text in hostile_texts(host):
        assert text in listed, text
    assert _elements_from(page, host, directives) == []

    page.get_by_role("button", name="Load", exact=True).first.click()
    wait_idle(page)
    expect(page.get_by_text("rows as upload #").first).to_be_visible(timeout=20_000)
    open_page(page, "Import history")
    # The newest upload is picked: what deleting it removes names the file, in bold.
    expect(page.get_by_text(f"only {usage.name} supplied")).to_be_visible(timeout=20_000)
    assert _elements_from(page, host, directives) == []
    whole_page(page, "escaping-import-history")

    page.wait_for_timeout(500)  # an image would have been requested by now
    assert [u for u in requested if host in u] == []
    assert listener.hits == []
