"""Sessions in a real Chromium: each attack on a login must fail.

An open tab after a logout elsewhere or after a new password, a replayed cookie, a script reading
the cookie, a hand-made token (the old JWT format with a ten-year expiry, or random bytes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Cookie, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from crm_dash.sessions import SESSION_COOKIE
from tests.e2e.conftest import AppServer, login, open_page, screenshot, wait_idle

StartApp = Callable[[Path], AppServer]
LOGIN_HEADING = "Log in to crm-dash"
KEY = "e2e-cookie-key-" + "x" * 40
SESSION_ENDED = "Your session has ended"


@pytest.fixture(autouse=True)
def _known_cookie_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The servers sign with a key the test knows, so it can forge the best possible token."""
    monkeypatch.setenv("CRM_DASH_COOKIE_KEY", KEY)


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """``new_context()``: another browser (own cookies), like the ``page`` fixture's."""
    contexts: list[BrowserContext] = []

    def _new() -> BrowserContext:
        context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


def _heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", name=name).first).to_be_visible(timeout=20_000)


def _session_cookie(page: Page, timeout_s: float = 20.0) -> Cookie:
    """The login cookie once the browser has it (the page posts its grant after the login)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for cookie in page.context.cookies():
            if cookie["name"] == SESSION_COOKIE:
                return cookie
        page.wait_for_timeout(200)
    pytest.fail(f"the browser never stored the login cookie {SESSION_COOKIE!r}")


def _no_session_cookie(page: Page, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if all(c["name"] != SESSION_COOKIE for c in page.context.cookies()):
            return
        page.wait_for_timeout(200)
    pytest.fail(f"the browser still holds {SESSION_COOKIE!r} after the logout")


def _logged_in(context: BrowserContext, server: AppServer, username: str) -> Page:
    page = context.new_page()
    page.goto(server.url)
    login(page, username)
    _heading(page, "Overview")
    _session_cookie(page)
    return page


def _shows_only_the_login(page: Page) -> None:
    _heading(page, LOGIN_HEADING)
    expect(page.get_by_text("Logged in as")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)


def _forged_jwt(username: str) -> str:
    """A login cookie of the old format (streamlit-authenticator's JWT), signed with the real
    key and valid for ten years."""
    def b64(raw: bytes) -> bytes:
        return base64.urlsafe_b64encode(raw).rstrip(b"=")

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"username": username, "exp_date": time.time() + 3650 * 86400}
    payload = b64(json.dumps(claims).encode())
    signature = b64(hmac.new(KEY.encode(), header + b"." + payload, hashlib.sha256).digest())
    return b".".join([header, payload, signature]).decode()


def test_the_login_cookie_is_httponly_survives_a_reload_and_cannot_be_forged(
    start_app: StartApp, accounts_db: Path, page: Page, new_context: Callable[[], BrowserContext]
) -> None:
    server = start_app(accounts_db)
    page.goto(f"{server.url}/imports")
    login(page, "lead")
    _heading(page, "Import history")
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] in ("Lax", "Strict")
    assert cookie["secure"] is False  # plain HTTP on loopback; Secure comes with HTTPS
    assert cookie["expires"] <= time.time() + 8 * 3600 + 60  # the server's cap, 8 hours
    assert SESSION_COOKIE not in page.evaluate("document.cookie")  # no script can read it
    # Nothing the app writes from the browser: no other cookie of the login remains.
    assert {c["name"] for c in page.context.cookies()} <= {SESSION_COOKIE, "_streamlit_xsrf"}
    page.reload()
    wait_idle(page)
    _heading(page, "Import history")
    expect(page.get_by_role("heading", name=LOGIN_HEADING)).to_have_count(0)
    open_page(page, "Overview")  # and it stays logged in while navigating

    host = "127.0.0.1"
    forged_values = {
        "crm_dash_login": _forged_jwt("admin"),  # the old cookie, ten years, the real key
        SESSION_COOKIE: _forged_jwt("admin"),
    }
    for name, value in [*forged_values.items(), (SESSION_COOKIE, secrets.token_urlsafe(32)),
                        (SESSION_COOKIE, f"{secrets.token_urlsafe(16)}."
                                         f"{secrets.token_urlsafe(32)}")]:
        forger = new_context()
        forger.add_cookies([{"name": name, "value": value, "domain": host, "path": "/"}])
        attack = forger.new_page()
        attack.goto(f"{server.url}/admin")
        wait_idle(attack)
        _shows_only_the_login(attack)
        expect(attack.get_by_role("heading", name="Administration")).to_have_count(0)


def test_logout_in_one_browser_ends_the_session_in_the_other(
    start_app: StartApp, accounts_db: Path, new_context: Callable[[], BrowserContext]
) -> None:
    server = start_app(accounts_db)
    browser_a = _logged_in(new_context(), server, "lead")
    browser_b = _logged_in(new_context(), server, "lead")
    stolen = _session_cookie(browser_a)["value"]
    open_page(browser_b, "Import history")

    browser_a.get_by_role("button", name="Log out").click()
    wait_idle(browser_a)
    _shows_only_the_login(browser_a)
    _no_session_cookie(browser_a)  # cleared by the server (a nicety: it is void anyway)

    # B's next click is not served: the login form, and why.
    browser_b.get_by_test_id("stSidebarNav").get_by_text("Upload data", exact=True).click()
    wait_idle(browser_b)
    _shows_only_the_login(browser_b)
    expect(browser_b.get_by_text(SESSION_ENDED)).to_be_visible()
    expect(browser_b.get_by_test_id("stFileUploader")).to_have_count(0)
    screenshot(browser_b, "session-ended-elsewhere")
    browser_b.reload()  # its cookie is void as well
    wait_idle(browser_b)
    _shows_only_the_login(browser_b)

    # A's old cookie, replayed in a third browser after the logout, opens nothing.
    replay = new_context()
    replay.add_cookies([{"name": SESSION_COOKIE, "value": stolen, "domain": "127.0.0.1",
                         "path": "/"}])
    attack = replay.new_page()
    attack.goto(f"{server.url}/imports")
    wait_idle(attack)
    _shows_only_the_login(attack)


def test_a_new_password_set_by_the_admin_ends_the_users_open_tab(
    start_app: StartApp, accounts_db: Path, new_context: Callable[[], BrowserContext]
) -> None:
    server = start_app(accounts_db)
    user = _logged_in(new_context(), server, "lead")
    admin = _logged_in(new_context(), server, "admin")
    admin.get_by_test_id("stSidebarNav").get_by_role("link", name="Administration").click()
    _heading(admin, "Administration")
    wait_idle(admin)
    option = admin.get_by_role("option", name="lead", exact=True)
    for _ in range(3):  # a click during a rerun can land on the old select and open nothing
        admin.locator(".st-key-admin_target").get_by_role("combobox").first.click()
        try:
            option.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            wait_idle(admin)
    option.click()
    wait_idle(admin)
    admin.locator(".st-key-admin_passwd_value input").fill("a brand new password")
    admin.get_by_role("button", name="Set password").click()
    wait_idle(admin)
    expect(admin.get_by_text("Password of lead changed")).to_be_visible()

    user.get_by_test_id("stSidebarNav").get_by_text("Import history", exact=True).click()
    wait_idle(user)
    _shows_only_the_login(user)
    expect(user.get_by_text(SESSION_ENDED)).to_be_visible()
    login(user, "lead", "a brand new password")
    _heading(user, "Import history")
