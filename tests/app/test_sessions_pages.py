"""Every run checks the tab's server-side session (AppTest): what ends it shows the login."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import auth, db, sessions
from crm_dash.pages import Role
from crm_dash.ui.session_cookie import SESSION_STATE_KEY
from tests.app.conftest import COOKIE_KEY, PASSWORD, ensure_user, open_session

MakeApp = Callable[..., AppTest]
LOGIN_SCRIPT = "pages/overview.py"  # see tests/app/test_auth_pages.py
ENDED = "Your session has ended"


def _logged_in(make_app: MakeApp, database: Path) -> AppTest:
    ensure_user(database, "admin", Role.ADMIN)
    at = make_app(database, script=LOGIN_SCRIPT, role="lead").run()
    assert at.title[0].value == "Overview"
    return at


def _shows_the_login(at: AppTest, *, ended: bool) -> None:
    assert not at.exception
    assert [t.value for t in at.title] == ["Log in to crm-dash"]
    assert not at.metric and not at.sidebar.caption
    assert any(ENDED in i.value for i in at.info) is ended
    assert SESSION_STATE_KEY not in at.session_state


@pytest.mark.parametrize(
    "end",
    [
        lambda conn: auth.end_sessions(conn, "lead"),  # logout in another browser
        lambda conn: auth.set_password(conn, "lead", "a brand new password", actor="admin"),
        lambda conn: auth.set_role(conn, "lead", Role.EXECUTIVE, actor="admin"),
        lambda conn: auth.remove_user(conn, "lead", actor="admin"),
        lambda conn: conn.execute(  # the server's time limit
            "UPDATE app_sessions SET expires_at = TIMESTAMP '2000-01-01'"),
    ],
    ids=["logout-elsewhere", "new-password", "new-role", "removed", "expired"],
)
def test_what_ends_a_session_shows_the_login_on_the_next_run(
    make_app: MakeApp, fixture_db_path: Path, end: Callable[..., object]
) -> None:
    at = _logged_in(make_app, fixture_db_path)
    conn = db.connect(fixture_db_path)
    end(conn)
    conn.close()
    at.run()
    _shows_the_login(at, ended=True)
    at.run()  # and stays there
    _shows_the_login(at, ended=True)


def test_own_logout_ends_the_session_and_says_so(make_app: MakeApp, fixture_db_path: Path) -> None:
    at = _logged_in(make_app, fixture_db_path)
    session_id = at.session_state[SESSION_STATE_KEY]
    at.sidebar.button[0].click().run()
    _shows_the_login(at, ended=False)
    assert "logged out" in at.success[0].value
    conn = db.connect(fixture_db_path)
    assert sessions.check_session(conn, session_id) is None
    conn.close()


def test_a_form_login_opens_a_session_and_draws_no_cookie_frame_without_the_routes(
    make_app: MakeApp, fixture_db_path: Path
) -> None:
    """Under AppTest (no server routes) the login holds for the session; nothing is drawn that
    would post a grant in vain."""
    ensure_user(fixture_db_path, "lead", Role.LEAD)
    at = make_app(fixture_db_path, script=LOGIN_SCRIPT, role=None).run()
    at.text_input[0].input("lead")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert at.title[0].value == "Overview"
    session_id = at.session_state[SESSION_STATE_KEY]
    conn = db.connect(fixture_db_path)
    live = sessions.check_session(conn, session_id)
    conn.close()
    assert live is not None and live.username == "lead"
    assert not at.get("iframe")


def test_with_the_routes_the_frame_posts_the_grant_until_it_is_redeemed(
    make_app: MakeApp, fixture_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The frame reports nothing back (no rerun); the runs draw it, unchanged, until the
    database says the grant was exchanged for the cookie, and never again after that."""
    from crm_dash.ui import session_routes

    monkeypatch.setattr(session_routes, "mounted", True)
    ensure_user(fixture_db_path, "lead", Role.LEAD)
    at = make_app(fixture_db_path, script=LOGIN_SCRIPT, role=None).run()
    assert not at.get("iframe")  # no cookie sent, nothing to clear
    at.text_input[0].input("lead")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    frames = at.get("iframe")
    assert len(frames) == 1
    grant = at.session_state["crm_dash_session_grant"]
    srcdoc = frames[0].proto.srcdoc
    assert grant in srcdoc and session_routes.SESSION_PATH in srcdoc
    at.run()
    assert [f.proto.srcdoc for f in at.get("iframe")] == [srcdoc]  # the same frame, no new grant
    conn = db.connect(fixture_db_path)
    assert sessions.redeem_grant(conn, grant, secret=COOKIE_KEY) is not None
    conn.close()
    at.run()
    assert not at.get("iframe")
    at.sidebar.button[0].click().run()  # logout: a frame asks the server to clear the cookie
    frames = at.get("iframe")
    assert len(frames) == 1 and session_routes.END_PATH in frames[0].proto.srcdoc


def test_an_admin_gives_another_role_on_the_admin_page_and_the_user_is_logged_out(
    make_app: MakeApp, fixture_db_path: Path
) -> None:
    ensure_user(fixture_db_path, "lead", Role.LEAD)
    lead_session = open_session(fixture_db_path, "lead")
    at = make_app(fixture_db_path, script="pages/admin.py", role="admin").run()
    assert not at.exception
    role_button = next(b for b in at.button if b.label == "Set role")
    assert role_button.disabled  # the first user listed is the admin: not their own role
    at.selectbox(key="admin_target").select("lead").run()
    at.selectbox(key="admin_role_value_lead").select("executive")
    next(b for b in at.button if b.label == "Set role").click().run()
    assert not at.exception
    assert any("lead now has the role Executive" in s.value for s in at.success)
    conn = db.connect(fixture_db_path)
    user = auth.get_user(conn, "lead")
    assert user is not None and user.role == Role.EXECUTIVE
    assert sessions.check_session(conn, lead_session) is None
    conn.close()
