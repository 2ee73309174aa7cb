"""Login, logout, roles and refusals as Streamlit runs them (AppTest)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from crm_dash import auth, db
from crm_dash.pages import PAGES, Role, page, pages_for
from tests.app.conftest import PASSWORD, ensure_user

MakeApp = Callable[..., AppTest]


def _login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    return at.button[0].click().run()


# The first-admin page (setup link) is tested in tests/app/test_first_admin_page.py.


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_every_page_opened_directly_without_a_session_shows_only_the_login(
    make_app: MakeApp, fixture_db_path: Path, spec: object
) -> None:
    ensure_user(fixture_db_path, "lead", Role.LEAD)
    at = make_app(fixture_db_path, script=spec.script, role=None).run()  # type: ignore[attr-defined]
    assert not at.exception
    assert [t.value for t in at.title] == ["Log in to crm-dash"]
    assert not at.metric and not at.dataframe and not at.tabs


# AppTest gives widgets rendered before st.navigation new identities on the run after a page is
# chosen, which a browser does not; the form tests therefore run a page script directly (the
# browser tests in tests/e2e log in through app.py).
LOGIN_SCRIPT = "pages/overview.py"


def test_login_with_the_form_then_the_page_renders(
    make_app: MakeApp, fixture_db_path: Path
) -> None:
    ensure_user(fixture_db_path, "lead", Role.LEAD)
    at = make_app(fixture_db_path, script=LOGIN_SCRIPT, role=None).run()
    assert at.title[0].value == "Log in to crm-dash"
    _login(at, "LEAD", PASSWORD)
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert {m.label: m.value for m in at.metric}["People in the roster"] == "6"
    assert "Project lead" in at.sidebar.caption[0].value


def test_wrong_password_then_lockout_survives_a_new_session(
    make_app: MakeApp, fixture_db_path: Path
) -> None:
    ensure_user(fixture_db_path, "lead", Role.LEAD)
    at = make_app(fixture_db_path, script=LOGIN_SCRIPT, role=None).run()
    for _ in range(4):
        _login(at, "lead", "wrong password!")
        assert "not correct" in at.error[0].value
    _login(at, "lead", "wrong password!")
    assert "locked until" in at.error[0].value
    conn = db.connect(fixture_db_path)
    lock = auth.locked_until(conn, "lead")
    conn.close()
    fresh = make_app(fixture_db_path, script=LOGIN_SCRIPT, role=None).run()  # another browser
    _login(fresh, "lead", PASSWORD)
    assert "locked until" in fresh.error[0].value
    assert not fresh.metric
    _login(fresh, "lead", "another guess!")
    assert "locked until" in fresh.error[0].value
    conn = db.connect(fixture_db_path)
    events = [r[0] for r in conn.execute(
        "SELECT action FROM audit_log WHERE actor = 'lead' ORDER BY id").fetchall()]
    refused = conn.execute(
        "SELECT target, details FROM audit_log WHERE action = 'login_refused_locked'"
    ).fetchall()
    assert auth.locked_until(conn, "lead") == lock  # refusals neither extend nor lift it
    conn.close()
    assert events.count("login_failed") == 5 and "login_locked" in events
    assert events.count("login_refused_locked") == 2  # each refused attempt leaves a trace
    assert "login" not in events
    assert all(target == "lead" and PASSWORD not in details and "guess" not in details
               for target, details in refused)


def test_logout_shows_the_login_again(make_app: MakeApp, fixture_db_path: Path) -> None:
    at = make_app(fixture_db_path, script=LOGIN_SCRIPT, role="lead").run()
    assert at.title[0].value == "Overview"
    at.sidebar.button[0].click().run()
    assert "logged out" in at.success[0].value
    assert at.title[0].value == "Log in to crm-dash"
    assert not at.metric
    conn = db.connect(fixture_db_path)
    assert ("lead", "logout") in conn.execute("SELECT actor, action FROM audit_log").fetchall()
    conn.close()


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (Role.EXECUTIVE, ["overview", "goals", "adoption", "training", "pipeline", "retro"]),
        (Role.LEAD, ["overview", "goals", "adoption", "people", "training", "pipeline", "retro",
                     "upload", "imports", "health", "settings"]),
        (Role.ADMIN, ["overview", "goals", "adoption", "people", "training", "pipeline", "retro",
                      "upload", "imports", "health", "settings", "admin"]),
        (None, []),
    ],
)
def test_navigation_lists_only_the_pages_a_role_may_open(
    role: Role | None, visible: list[str]
) -> None:
    assert [spec.key for spec in pages_for(role)] == visible


NAV_ALL = ["", "goals", "adoption", "people", "training", "pipeline", "retro", "upload",
           "imports", "health", "settings", "admin"]
NAV_TITLES = {
    "": "Overview", "goals": "Goals", "adoption": "Adoption", "people": "People",
    "training": "Training", "pipeline": "Pipeline", "retro": "Retrospective",
    "upload": "Upload data", "imports": "Import history", "health": "Data health",
    "settings": "Metric settings", "admin": "Administration",
}
NAV_VISIBLE = {
    "executive": ["", "goals", "adoption", "training", "pipeline", "retro"],
    "lead": ["", "goals", "adoption", "people", "training", "pipeline", "retro", "upload",
             "imports", "health", "settings"],
    "admin": NAV_ALL,
    None: [],
}


def _visible(sections: dict[str, list[Any]]) -> list[tuple[str, str]]:
    return [(p.url_path, p.title) for pages in sections.values() for p in pages
            if p.visibility == "visible"]


@pytest.mark.parametrize("role", ["executive", "lead", "admin", None])
def test_app_navigation_lists_exactly_the_pages_of_the_role(
    make_app: MakeApp, fixture_db_path: Path, monkeypatch: pytest.MonkeyPatch,
    role: str | None,
) -> None:
    """What app.py hands to st.navigation in a real run (AppTest exposes no sidebar nav)."""
    ensure_user(fixture_db_path, "someone", Role.ADMIN)  # so that the login form is shown
    drawn: list[dict[str, list[Any]]] = []
    real_navigation = st.navigation

    def spy(pages: dict[str, list[Any]], **kwargs: Any) -> Any:
        drawn.append(pages)
        return real_navigation(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", spy)
    at = make_app(fixture_db_path, role=role).run()
    assert not at.exception
    assert at.title[0].value == ("Overview" if role else "Log in to crm-dash")
    visible = _visible(drawn[-1])
    assert visible == [(path, NAV_TITLES[path]) for path in NAV_VISIBLE[role]]
    # every page stays routable (hidden), so a typed URL reaches the page's own refusal
    assert sorted(p.url_path for pages in drawn[-1].values() for p in pages) == sorted(NAV_ALL)
    if role == "executive":
        assert not {"upload", "imports", "people", "health", "settings", "admin"} & {
            p for p, _ in visible}
    if role == "lead":
        assert "admin" not in {p for p, _ in visible}


@pytest.mark.parametrize(
    ("role", "key"),
    [("executive", "upload"), ("executive", "imports"), ("executive", "admin"), ("lead", "admin")],
)
def test_a_role_typing_a_forbidden_url_is_refused(
    make_app: MakeApp, fixture_db_path: Path, role: str, key: str
) -> None:
    at = make_app(fixture_db_path, script=page(key).script, role=role).run()
    assert not at.exception
    assert "may not open this page" in at.error[0].value
    assert not at.title and not at.tabs and not at.file_uploader


def test_demo_database_shows_demo_accounts_on_the_login(
    make_app: MakeApp, fixture_db_path: Path
) -> None:
    conn = db.connect(fixture_db_path)
    with db.transaction(conn) as cur:
        db.set_meta(cur, "demo", "true")
    auth.create_demo_accounts(conn)
    conn.close()
    at = make_app(fixture_db_path, script=LOGIN_SCRIPT, role=None).run()
    assert "demo database" in at.info[0].value
    shown = at.dataframe[0].value
    assert list(shown["Username"]) == ["admin", "lead", "executive"]
    _login(at, "executive", "demo-exec-2026")
    assert at.title[0].value == "Overview"


def test_real_database_never_shows_demo_accounts(
    make_app: MakeApp, fixture_db_path: Path
) -> None:
    ensure_user(fixture_db_path, "lead", Role.LEAD)
    at = make_app(fixture_db_path, role=None).run()
    assert not at.info and not at.dataframe and not at.warning


def test_removed_account_loses_its_session(make_app: MakeApp, fixture_db_path: Path) -> None:
    ensure_user(fixture_db_path, "admin", Role.ADMIN)
    at = make_app(fixture_db_path, role="lead").run()
    assert at.title[0].value == "Overview"
    conn = db.connect(fixture_db_path)
    auth.remove_user(conn, "lead", actor="admin")
    conn.close()
    at.run()
    assert at.title[0].value == "Log in to crm-dash"
