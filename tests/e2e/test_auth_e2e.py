"""Login, logout, deep links, refusals and lockout in a real Chromium."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crm_dash.pages import PAGES
from crm_dash.ui.auth import COOKIE_NAME
from tests.e2e.conftest import AppServer, login, screenshot, wait_idle

StartApp = Callable[[Path], AppServer]
LOGIN_HEADING = "Log in to crm-dash"


def _heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=20_000)


def _wait_for_login_cookie(page: Page, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if any(c["name"] == COOKIE_NAME for c in page.context.cookies()):
            return
        page.wait_for_timeout(200)
    pytest.fail(f"the browser never stored the login cookie {COOKIE_NAME!r}")


def test_login_and_logout(start_app: StartApp, accounts_db: Path, page: Page) -> None:
    server = start_app(accounts_db)
    page.goto(server.url)
    wait_idle(page)
    _heading(page, LOGIN_HEADING)
    screenshot(page, "login")
    login(page, "lead")
    _heading(page, "Overview")
    expect(page.get_by_text("Logged in as")).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("Upload data")).to_be_visible()
    expect(nav.get_by_text("Administration")).to_have_count(0)
    screenshot(page, "overview-lead")

    page.get_by_role("button", name="Log out").click()
    wait_idle(page)
    _heading(page, LOGIN_HEADING)
    expect(page.get_by_text("You have been logged out.")).to_be_visible()
    # Nothing of the logged-in page is left: one login form, no "logged in as", no figures.
    expect(page.get_by_role("heading", name=LOGIN_HEADING)).to_have_count(1)
    expect(page.get_by_text("Logged in as")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    page.reload()  # the remembered login is gone too
    wait_idle(page)
    _heading(page, LOGIN_HEADING)


def test_deep_link_survives_login_and_reload(
    start_app: StartApp, accounts_db: Path, page: Page
) -> None:
    server = start_app(accounts_db)
    page.goto(f"{server.url}/imports")
    wait_idle(page)
    _heading(page, LOGIN_HEADING)
    login(page, "lead")
    _heading(page, "Import history")
    assert page.url.endswith("/imports")
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("Upload data")).to_be_visible()  # the role's navigation appears
    _wait_for_login_cookie(page)  # written by a component in the browser, even on a slow machine
    page.reload()
    wait_idle(page)
    _heading(page, "Import history")
    expect(page.get_by_role("heading", name=LOGIN_HEADING)).to_have_count(0)
    page.goto(f"{server.url}/upload")  # a deep link while logged in (remembered login)
    wait_idle(page)
    _heading(page, "Upload data")


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_every_page_url_as_first_request_to_a_fresh_server_shows_only_the_login(
    start_app: StartApp, accounts_db: Path, page: Page, spec: object
) -> None:
    server = start_app(accounts_db)
    page.goto(f"{server.url}/{spec.url_path}")  # type: ignore[attr-defined]
    wait_idle(page)
    _heading(page, LOGIN_HEADING)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading")).to_have_count(1)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_be_hidden()
    expect(page.get_by_text("admin", exact=True)).to_be_hidden()


def test_executive_typing_the_upload_url_is_refused(
    start_app: StartApp, accounts_db: Path, page: Page
) -> None:
    server = start_app(accounts_db)
    page.goto(server.url)
    wait_idle(page)
    login(page, "executive")
    _heading(page, "Overview")
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("Upload data")).to_have_count(0)
    page.goto(f"{server.url}/upload")
    wait_idle(page)
    expect(page.get_by_text("Your role may not open this page")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    expect(page.get_by_role("heading", name="Upload data")).to_have_count(0)
    screenshot(page, "executive-refused")


def test_lockout_after_five_failures_holds_across_sessions(
    start_app: StartApp, accounts_db: Path, page: Page
) -> None:
    server = start_app(accounts_db)
    page.goto(server.url)
    wait_idle(page)
    for _ in range(4):
        login(page, "lead", "not the password")
        expect(page.get_by_text("Username or password is not correct")).to_be_visible()
    login(page, "lead", "not the password")
    expect(page.get_by_text("locked until")).to_be_visible()
    page.reload()
    wait_idle(page)
    login(page, "lead")  # the right password, but locked
    expect(page.get_by_text("locked until")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    screenshot(page, "lockout")
