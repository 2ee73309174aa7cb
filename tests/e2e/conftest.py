"""Browser tests: `streamlit run` on a free loopback port, driven in a real headless Chromium.

Chromium comes from Debian (`/usr/bin/chromium`, or `CRM_DASH_CHROMIUM`); Playwright never downloads
a browser. Without Chromium the tests are skipped with a loud message, except under CI
(`CI=true`), where a missing browser fails the run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).parent.parent.parent
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = Path(os.environ.get("CRM_DASH_CHROMIUM", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
_MISSING_BROWSER = (
    f"\n{'!' * 78}\n  BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM}.\n"
    "  Install it with `apt-get install chromium` (or set CRM_DASH_CHROMIUM) to run them.\n"
    f"{'!' * 78}"
)
IDLE_APP = "[data-testid=stApp][data-test-script-state=notRunning]"
_CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not CHROMIUM.exists() and not IN_CI:
        terminalreporter.write_line(_MISSING_BROWSER, red=True, bold=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"CI=true but no Chromium at {CHROMIUM}: browser tests cannot run.")
        pytest.skip(_MISSING_BROWSER)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=_CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class AppServer:
    """The app served as `crm-dash run` serves it (crm_dash.ui.serve running asgi.py: the app
    plus the login cookie routes), on 127.0.0.1."""

    def __init__(self, db_path: Path, log_path: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "CRM_DASH_DB": str(db_path)}
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "crm_dash.ui.serve", "run", str(ROOT / "asgi.py"),
                "--server.port", str(self.port), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none",
            ],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )
        self._wait_healthy(log_path)

    def _wait_healthy(self, log_path: Path, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {log_path.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit did not become healthy: {log_path.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


@pytest.fixture
def start_app(tmp_path: Path) -> Iterator[Callable[[Path], AppServer]]:
    """``start_app(db_path)`` starts a fresh server; every server is stopped after the test."""
    servers: list[AppServer] = []

    def _start(db_path: Path) -> AppServer:
        server = AppServer(db_path, tmp_path / f"streamlit-{len(servers)}.log")
        servers.append(server)
        return server

    yield _start
    for server in servers:
        server.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.stash[_FAILED] = report.failed


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser page (English locale, desktop size); screenshot kept when a test fails."""
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    if request.node.stash.get(_FAILED, False):
        screenshot(pg, f"FAILED-{request.node.name}")
    context.close()


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script (no sleeping)."""
    page.wait_for_selector(IDLE_APP, timeout=timeout)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-output/screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def whole_page(page: Page, name: str, *, settle_ms: int = 1500) -> Path:
    """Screenshot of the whole page: Streamlit scrolls inside its main area, so the window is
    made as tall as the content first (and given ``settle_ms`` to draw the charts)."""
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain] *')]"
        ".map(e => e.scrollHeight))"
    )
    size = page.viewport_size
    assert size is not None
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height + 100)})
    wait_idle(page)
    page.wait_for_timeout(settle_ms)
    path = screenshot(page, name)
    page.set_viewport_size(size)
    return path


def metric_value(page: Page, label: str) -> str:
    """The value of the metric tile labelled ``label``.

    ``.first``: during a rerun, the previous run's element can briefly stand beside the new one.
    """
    card = page.get_by_test_id("stMetric").filter(has_text=label)
    return str(card.get_by_test_id("stMetricValue").first.inner_text()).strip()


PASSWORD = "correct horse battery"


def with_accounts(path: Path) -> Path:
    """The database file ``path`` with one account per role, named like the role (password
    :data:`PASSWORD`)."""
    from crm_dash import auth, db
    from crm_dash.pages import Role

    conn = db.connect(path)
    for role in Role:
        auth.add_user(conn, role.value, PASSWORD, role, actor="test")
    conn.close()
    return path


@pytest.fixture
def accounts_db(fixture_db_path: Path) -> Path:
    """The fixture database with one account per role, named like the role."""
    return with_accounts(fixture_db_path)


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Fill in the login form on the current page and wait for the app to settle."""
    wait_idle(page)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    wait_idle(page)


def open_page(page: Page, title: str) -> None:
    """Open a page from the sidebar navigation and wait until it has drawn its title."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=title).first).to_be_visible(timeout=20_000)
    wait_idle(page)


def choose_file(page: Page, path: Path) -> None:
    """Upload ``path`` through the file chooser, as a person would, and wait for its panel."""
    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("stFileUploaderDropzone").get_by_test_id(
            "stBaseButton-secondary").click()
    chooser.value.set_files(str(path))
    expect(page.get_by_role("heading", name=path.name)).to_be_visible(timeout=30_000)
    wait_idle(page)
