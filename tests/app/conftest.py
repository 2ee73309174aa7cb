"""AppTest helpers: point the app at a database and start every test with empty caches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from crm_dash import auth, db, sessions
from crm_dash.pages import Role
from crm_dash.ui.session_cookie import SESSION_STATE_KEY
from crm_dash.views.snapshot import clear_caches

ROOT = Path(__file__).parent.parent.parent


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    clear_caches()
    yield
    st.cache_resource.clear()


PASSWORD = "correct horse battery"


def ensure_user(db_path: Path, username: str, role: Role) -> None:
    """Create ``username`` with ``role`` (password :data:`PASSWORD`) unless it exists."""
    conn = db.connect(db_path)
    try:
        if auth.get_user(conn, username) is None:
            auth.add_user(conn, username, PASSWORD, role, actor="test")
    finally:
        conn.close()


def open_session(db_path: Path, username: str) -> str:
    """A server-side session for ``username``, as a login opens it; its id."""
    conn = db.connect(db_path)
    try:
        user = auth.get_user(conn, username)
        assert user is not None
        return sessions.create_session(conn, username, user.role.value, secret=COOKIE_KEY
                                       ).session_id
    finally:
        conn.close()


COOKIE_KEY = "k" * 40


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``make_app(db_path, script="app.py", role="lead")``: an AppTest of a script.

    With a role, an account named like the role exists and is logged in (as the login would
    leave the session); with ``role=None`` nobody is logged in.
    """

    def _make(db_path: Path, script: str = "app.py", role: str | None = "lead") -> AppTest:
        monkeypatch.setenv("CRM_DASH_DB", str(db_path))
        monkeypatch.setenv("CRM_DASH_COOKIE_KEY", COOKIE_KEY)
        at = AppTest.from_file(str(ROOT / script), default_timeout=30)
        if role is not None:
            ensure_user(db_path, role, Role(role))
            at.session_state[SESSION_STATE_KEY] = open_session(db_path, role)
        return at

    return _make
