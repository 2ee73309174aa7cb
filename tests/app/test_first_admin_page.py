"""The first-admin page behind the setup link, as Streamlit runs it (AppTest)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import auth, db, setup_link
from crm_dash.pages import Role
from tests.app.conftest import PASSWORD
from tests.conftest import FIXTURES, fixture_db

MakeApp = Callable[..., AppTest]
SCRIPT = "pages/overview.py"  # form tests run a page directly (see test_auth_pages.py)


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    return fixture_db(FIXTURES / "generic", tmp_path / "my data" / "crm.duckdb")


def _issue(path: Path) -> str:
    conn = db.connect(path)
    issued = setup_link.issue_token(conn)
    conn.close()
    assert issued is not None
    return issued.token


def _users(path: Path) -> list[auth.AppUser]:
    conn = db.connect(path)
    users = auth.list_users(conn)
    conn.close()
    return users


def _open(make_app: MakeApp, path: Path, token: str | None, lang: str = "en") -> AppTest:
    at = make_app(path, script=SCRIPT, role=None)
    at.query_params["lang"] = lang
    if token is not None:
        at.query_params["setup"] = token
    return at.run()


def _fill(at: AppTest, username: str, password: str, repeated: str | None = None) -> AppTest:
    at.text_input(key="crm_dash_setup_username").input(username)
    at.text_input(key="crm_dash_setup_password").input(password)
    at.text_input(key="crm_dash_setup_repeat").input(password if repeated is None else repeated)
    return at.button(key="crm_dash_setup_submit").click().run()


def test_without_the_link_the_page_only_says_where_it_is(
    make_app: MakeApp, empty_db: Path
) -> None:
    _issue(empty_db)
    at = _open(make_app, empty_db, None)
    assert not at.exception
    assert at.title[0].value == "Welcome to crm-dash"
    assert "one-time setup link" in at.markdown[0].value
    assert not at.text_input and not at.metric and not at.error
    # the CLI stays, for automation, with this app's database
    assert at.code[0].value.startswith("crm-dash user add admin --role admin --db '")


def test_a_wrong_link_is_refused(make_app: MakeApp, empty_db: Path) -> None:
    real = _issue(empty_db)
    at = _open(make_app, empty_db, "not-the-token")
    assert "not valid" in at.error[0].value
    assert not at.text_input
    conn = db.connect(empty_db)
    assert setup_link.token_state(conn, real) is setup_link.TokenState.VALID  # not replaced
    conn.close()


def test_the_link_creates_the_admin_and_logs_in(make_app: MakeApp, empty_db: Path) -> None:
    token = _issue(empty_db)
    at = _open(make_app, empty_db, token)
    assert not at.exception
    _fill(at, "anna", "short")
    assert "needs at least 10" in at.error[0].value
    _fill(at, "anna", PASSWORD, "another password")
    assert "differ" in at.error[0].value
    assert _users(empty_db) == []
    _fill(at, "Anna", PASSWORD)
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert "setup" not in at.query_params
    assert [(u.username, u.role) for u in _users(empty_db)] == [("anna", Role.ADMIN)]
    # the same link again, in another browser: the setup is over
    again = _open(make_app, empty_db, token)
    assert again.title[0].value == "Log in to crm-dash"


def test_an_expired_link_prints_a_new_one(
    make_app: MakeApp, empty_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _issue(empty_db)
    conn = db.connect(empty_db)
    conn.execute("UPDATE setup_tokens SET expires_at = created_at - INTERVAL 1 MINUTE")
    conn.close()
    at = _open(make_app, empty_db, old)
    assert "expired" in at.error[0].value
    assert "new setup link has just been printed" in at.info[0].value
    printed = capsys.readouterr().out
    assert "?setup=" in printed and old not in printed
    assert not at.text_input


def test_the_page_in_german(make_app: MakeApp, empty_db: Path) -> None:
    token = _issue(empty_db)
    at = _open(make_app, empty_db, token, lang="de")
    assert at.title[0].value == "Willkommen bei crm-dash"
    assert at.button(key="crm_dash_setup_submit").label == "Administrator anlegen und anmelden"
    _fill(at, "anna", "kurz")
    assert "mindestens 10" in at.error[0].value
