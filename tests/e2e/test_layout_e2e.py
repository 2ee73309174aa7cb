"""Layout and accessibility in Chromium (issue 18): every page in German, the longer language, at
1280 and 1920 px wide, and the executive's Overview and Goals on a phone (390 px).

Full-page screenshots go to ``test-output/screenshots/layout-*.png`` (kept by CI as artifacts;
look at them). What a screenshot shows only to a person is asserted too, where a browser can
measure it:

- the document does not scroll sideways at any width;
- no metric tile cuts its label or value (``scrollWidth`` over ``clientWidth`` of its texts);
- at 1280 px no table scrolls sideways (``st.dataframe`` draws on a canvas; its columns get
  explicit widths in ``column_config``);
- axe-core (from ``axe-playwright-python``) finds nothing serious or critical on any page, except
  the reviewed findings inside Streamlit's own widgets in :data:`AXE_EXCEPTIONS`
  (docs/accessibility.md);
- the login works by keyboard alone: Tab to the user name, Tab to the password, Enter.

One server over a small demo company, one browser page per login (an administrator for every
page, an executive on the phone), reused from page to page.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from crm_dash.i18n import Language, t
from crm_dash.pages import PAGES, Role
from crm_dash.sessions import SESSION_COOKIE
from tests.e2e.conftest import AppServer, screenshot, wait_idle

#: German by default, the longer language; ``CRM_DASH_LAYOUT_LANG=en`` takes the same pictures in
#: English (to look at; CI runs German).
LANG: Language = "en" if os.environ.get("CRM_DASH_LAYOUT_LANG") == "en" else "de"
LOCALE = {"de": "de-DE", "en": "en-GB"}[LANG]
DESKTOP_WIDTHS = (1280, 1920)
PHONE = {"width": 390, "height": 844}
PHONE_PAGES = ("overview", "goals")


@dataclass(frozen=True)
class AxeException:
    """A reviewed axe-core finding inside one of Streamlit's own widgets, which the app cannot
    change (rule id, a CSS selector the finding's target must match, and why it stays)."""

    rule: str
    selector: str
    reason: str


#: Serious and critical axe findings the scan allows: each inside Streamlit's own markup.
AXE_EXCEPTIONS: tuple[AxeException, ...] = (
    AxeException("list", "[data-testid=stSidebarNav]",
                 "Streamlit's page navigation puts its section headings as <div> directly in the "
                 "<ul> of links; st.navigation has no option for other markup."),
    AxeException("listitem", "[data-testid=stSidebarNav]",
                 "The same navigation: its <li> links sit in a <div> of a section, not in the "
                 "<ul>; screen readers still announce them as links."),
)

#: Tables wider than a 1280 px screen by design, known by a heading of theirs, with their key
#: columns first (the name pinned where there is one); the rest is a sideways scroll away.
WIDE_TABLES = {
    t("people.col.breadth", LANG): "People: nine columns a lead acts on; name, department, "
                                   "segments, active days and writes are in view",
    t("pipeline.col.reasons", LANG): "Pipeline per owner: twelve measures; name, department, "
                                     "segment, open, score and reasons are in view",
    t("imports.col.rejected", LANG): "Import history: file, dataset and what became of the rows "
                                     "(read, loaded, rejected, duplicates) and when are in view; "
                                     "who and the format follow",
}


def _demo_db(path: Path) -> Path:
    """A small demo company (150 people: the full demo's shapes, built in a few seconds) with
    the demo's goals, retrospective and logins, as ``crm-dash demo`` builds it."""
    from crm_dash import db
    from crm_dash.auth import create_demo_accounts
    from crm_dash.demo import build_demo
    from crm_dash.goals.demo import add_demo_goals
    from crm_dash.months import last_complete_month
    from crm_dash.retro.demo import add_demo_retro

    conn = db.connect(path)
    summary = build_demo(conn, end_month=last_complete_month(date.today()), out_dir=None,
                         users=150)
    add_demo_goals(conn, summary)
    add_demo_retro(conn, summary)
    with db.transaction(conn) as cur:
        db.set_meta(cur, "demo", "true")
        db.set_meta(cur, "demo_end_month", summary.end_month.isoformat())
    create_demo_accounts(conn)
    conn.close()
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("layout")
    app = AppServer(_demo_db(tmp / "demo.duckdb"), tmp / "streamlit.log")
    yield app
    app.stop()


def _keyboard_login(page: Page, username: str, password: str) -> None:
    """Log in with the keyboard alone: Tab until the user name has the focus, type, Tab to the
    password, type, Enter."""
    wait_idle(page)
    user_box = page.get_by_role("textbox", name=t("auth.username", LANG))
    password_box = page.get_by_role("textbox", name=t("auth.password", LANG))
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if user_box.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the user name field of the login")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert password_box.evaluate("e => e === document.activeElement"), \
        "Tab from the user name does not reach the password"
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible(timeout=20_000)
    wait_idle(page)


@pytest.fixture(scope="module")
def admin_page(browser: Browser, server: AppServer) -> Iterator[Page]:
    """An administrator (sees every page), logged in by keyboard, German UI, 1280 px wide."""
    context = browser.new_context(locale=LOCALE, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/?lang={LANG}")
    _keyboard_login(page, "admin", "demo-admin-2026")
    yield page
    context.close()


def _wait_for_session_cookie(page: Page, timeout_s: float = 20) -> None:
    """Wait until the browser holds the login's session cookie (before loading a page by its
    address, which starts a new session)."""
    deadline = time.monotonic() + timeout_s
    while not any(c["name"] == SESSION_COOKIE for c in page.context.cookies()):
        assert time.monotonic() < deadline, "the login set no session cookie"
        page.wait_for_timeout(100)


_CONTENT_HEIGHT = """() => {
  const block = document.querySelector('[data-testid=stMainBlockContainer]');
  return block ? Math.ceil(block.getBoundingClientRect().height) : 0;
}"""


def _whole_page(page: Page, name: str, *, settle_ms: int) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main area, so the window is
    made as tall as the content, again while drawing the charts makes it taller."""
    size = page.viewport_size
    assert size is not None
    height = 0
    for _ in range(3):
        content = int(page.evaluate(_CONTENT_HEIGHT)) + 120
        if content <= height:
            break
        height = content
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
        wait_idle(page)
        page.wait_for_timeout(settle_ms)
    screenshot(page, name)
    page.set_viewport_size(size)


def _open(page: Page, key: str) -> None:
    title = t(f"nav.{key}", LANG)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=title).first).to_be_visible(timeout=20_000)
    wait_idle(page)


#: Measures, in the browser, what a person would see as cut off or scrolling sideways.
_MEASURE = """(WIDE) => {
  const cut = e => e.scrollWidth > e.clientWidth + 1;
  const text = e => (e.innerText || '').trim().slice(0, 60);
  const tiles = [...document.querySelectorAll('[data-testid=stMetric]')].flatMap(m =>
    [...m.querySelectorAll('[data-testid=stMetricLabel] *, [data-testid=stMetricValue] *,'
                          + '[data-testid=stMetricLabel], [data-testid=stMetricValue]')]
      .filter(cut).map(text));
  const tables = [...document.querySelectorAll('[data-testid=stDataFrame]')]
    .filter(d => d.offsetParent !== null).map(d => {
    const s = d.querySelector('.dvn-scroller');
    const cols = [...d.querySelectorAll('[role=columnheader]')].map(h => h.innerText.trim());
    return s ? {scroll: s.scrollWidth, width: s.clientWidth, cols} : null;
  }).filter(x => x && x.scroll > x.width + 1 && !x.cols.some(c => WIDE.includes(c)));
  const main = document.querySelector('[data-testid=stMain]');
  return {
    document: [document.scrollingElement.scrollWidth, window.innerWidth],
    main: main ? [main.scrollWidth, main.clientWidth] : null,
    tiles: [...new Set(tiles)],
    tables,
  };
}"""


def _layout_problems(page: Page, where: str, *, tables: bool) -> list[str]:
    m: dict[str, Any] = page.evaluate(_MEASURE, list(WIDE_TABLES))
    problems = []
    doc_width, window = m["document"]
    if doc_width > window:
        problems.append(f"{where}: the page scrolls sideways ({doc_width} > {window} px)")
    if m["main"] and m["main"][0] > m["main"][1] + 1:
        problems.append(f"{where}: the main area scrolls sideways ({m['main']})")
    problems += [f"{where}: tile text cut off: {text!r}" for text in m["tiles"]]
    if tables:
        problems += [f"{where}: table scrolls sideways ({x['scroll']} > {x['width']} px): "
                     f"{x['cols']}" for x in m["tables"]]
    return problems


def _inside(page: Page, target: str, selector: str) -> bool:
    """Whether the element axe reports as ``target`` lies within ``selector``."""
    return bool(page.evaluate(
        "([t, s]) => { const e = document.querySelector(t); return !!(e && e.closest(s)); }",
        [target, selector]))


def _axe_problems(page: Page, where: str) -> list[str]:
    # Streamlit fades an element while a rerun may replace it: axe would measure the faded grey
    wait_idle(page)
    page.wait_for_function("!document.querySelector('[data-stale=\"true\"]')")
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] not in {"serious", "critical"}:
            continue
        for node in violation["nodes"]:
            target = str(node["target"][0]) if node["target"] else ""
            if any(x.rule == violation["id"] and _inside(page, target, x.selector)
                   for x in AXE_EXCEPTIONS):
                continue
            problems.append(f"{where}: {violation['id']} ({violation['impact']}) at {target}: "
                            f"{node.get('failureSummary', '')[:200]}")
    return problems


def test_every_page_fits_in_german_at_1280_and_1920_px_and_passes_axe(admin_page: Page) -> None:
    page = admin_page
    layout: list[str] = []
    axe: list[str] = []
    for spec in PAGES:
        assert spec.allows(Role.ADMIN)
        _open(page, spec.key)
        for width in DESKTOP_WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(300)
            _whole_page(page, f"layout-{LANG}-{width}-{spec.key}", settle_ms=400)
            layout += _layout_problems(page, f"{spec.key} at {width} px",
                                       tables=width == 1280)
            if width == 1280:
                axe += _axe_problems(page, spec.key)
        page.set_viewport_size({"width": 1280, "height": 900})
    assert not layout, "\n".join(layout)
    assert not axe, "\n".join(axe)


def test_overview_and_goals_read_on_a_phone(browser: Browser, server: AppServer) -> None:
    context = browser.new_context(locale=LOCALE, viewport=PHONE, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto(f"{server.url}/?lang={LANG}")
        wait_idle(page)
        page.get_by_role("textbox", name=t("auth.username", LANG)).fill("executive")
        page.get_by_role("textbox", name=t("auth.password", LANG)).fill("demo-exec-2026")
        page.get_by_role("button", name=t("auth.login.submit", LANG)).click()
        wait_idle(page)
        _wait_for_session_cookie(page)  # arrives with a run after the login
        problems: list[str] = []
        for key in PHONE_PAGES:
            spec = next(p for p in PAGES if p.key == key)
            page.goto(f"{server.url}/{spec.url_path}?lang={LANG}")
            wait_idle(page)
            expect(page.get_by_role("heading", name=t(f"nav.{key}", LANG)).first
                   ).to_be_visible(timeout=20_000)
            wait_idle(page)
            _whole_page(page, f"layout-{LANG}-390-{key}", settle_ms=700)
            problems += _layout_problems(page, f"{key} at 390 px", tables=False)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
