"""The one-time setup link: one use, one hour, a wrong token refused, no second setup."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from crm_dash import auth, db, setup_link
from crm_dash.pages import Role
from crm_dash.setup_link import SetupRefused, TokenState
from crm_dash.ui.serve import base_url

PASSWORD = "correct horse battery"


@pytest.fixture
def conn(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return db.connect(tmp_path / "empty.duckdb")


def test_only_a_hash_of_the_token_is_stored(conn: duckdb.DuckDBPyConnection) -> None:
    issued = setup_link.issue_token(conn)
    assert issued is not None and len(issued.token) >= 40
    stored = conn.execute("SELECT token_hash, expires_at - created_at FROM setup_tokens").fetchall()
    assert len(stored) == 1
    assert issued.token not in stored[0][0] and stored[0][1] == timedelta(hours=1)
    assert setup_link.token_state(conn, issued.token) is TokenState.VALID


def test_the_token_creates_the_first_admin_once(conn: duckdb.DuckDBPyConnection) -> None:
    issued = setup_link.issue_token(conn)
    assert issued is not None
    user = setup_link.create_first_admin(conn, issued.token, " Anna ", PASSWORD,
                                         display_name="Anna Admin")
    assert (user.username, user.role, user.display_name) == ("anna", Role.ADMIN, "Anna Admin")
    assert auth.attempt_login(conn, "anna", PASSWORD, "127.0.0.1").succeeded
    with pytest.raises(SetupRefused) as refused:
        setup_link.create_first_admin(conn, issued.token, "mallory", PASSWORD)
    assert refused.value.state is TokenState.ADMIN_EXISTS
    assert [u.username for u in auth.list_users(conn)] == ["anna"]
    assert conn.execute("SELECT used_by FROM setup_tokens").fetchall() == [("anna",)]


def test_a_used_token_is_refused_even_without_accounts(conn: duckdb.DuckDBPyConnection) -> None:
    issued = setup_link.issue_token(conn)
    assert issued is not None
    setup_link.create_first_admin(conn, issued.token, "anna", PASSWORD)
    conn.execute("DELETE FROM app_users")  # whatever removed the account: the link stays spent
    assert setup_link.token_state(conn, issued.token) is TokenState.USED
    with pytest.raises(SetupRefused):
        setup_link.create_first_admin(conn, issued.token, "mallory", PASSWORD)


def test_the_token_expires_after_one_hour(conn: duckdb.DuckDBPyConnection) -> None:
    now = auth.utc_now()
    issued = setup_link.issue_token(conn, now=now)
    assert issued is not None
    later = now + timedelta(minutes=59)
    assert setup_link.token_state(conn, issued.token, now=later) is TokenState.VALID
    expired = now + timedelta(hours=1)
    assert setup_link.token_state(conn, issued.token, now=expired) is TokenState.EXPIRED
    assert not setup_link.live_token_exists(conn, now=expired)
    with pytest.raises(SetupRefused) as refused:
        setup_link.create_first_admin(conn, issued.token, "anna", PASSWORD, now=expired)
    assert refused.value.state is TokenState.EXPIRED
    assert auth.count_users(conn) == 0


@pytest.mark.parametrize("token", [None, "", "x" * 43, "y" * 500])
def test_without_the_right_token_nobody_is_created(
    conn: duckdb.DuckDBPyConnection, token: str | None
) -> None:
    issued = setup_link.issue_token(conn)
    assert issued is not None
    with pytest.raises(SetupRefused) as refused:
        setup_link.create_first_admin(conn, token, "mallory", PASSWORD)
    assert refused.value.state in {TokenState.MISSING, TokenState.WRONG}
    assert auth.count_users(conn) == 0
    assert setup_link.token_state(conn, issued.token) is TokenState.VALID  # still usable


def test_a_newer_token_replaces_the_older(conn: duckdb.DuckDBPyConnection) -> None:
    first = setup_link.issue_token(conn)
    second = setup_link.issue_token(conn)
    assert first is not None and second is not None
    assert setup_link.token_state(conn, first.token) is TokenState.WRONG
    assert setup_link.token_state(conn, second.token) is TokenState.VALID


def test_a_weak_password_does_not_spend_the_token(conn: duckdb.DuckDBPyConnection) -> None:
    issued = setup_link.issue_token(conn)
    assert issued is not None
    with pytest.raises(auth.AccountError):
        setup_link.create_first_admin(conn, issued.token, "anna", "short")
    assert setup_link.token_state(conn, issued.token) is TokenState.VALID


def test_no_token_once_an_account_exists(conn: duckdb.DuckDBPyConnection) -> None:
    auth.add_user(conn, "anna", PASSWORD, Role.LEAD, actor="test")
    assert setup_link.issue_token(conn) is None
    assert setup_link.token_state(conn, "anything") is TokenState.ADMIN_EXISTS


def test_the_link_points_at_the_server(conn: duckdb.DuckDBPyConnection) -> None:
    argv = ["run", "asgi.py", "--server.port", "8777", "--server.address", "0.0.0.0"]
    assert base_url(argv) == "http://localhost:8777"
    assert base_url(["run", "--server.port=9", "--server.baseUrlPath=/crm/"]) == (
        "http://localhost:9/crm"
    )
    assert setup_link.setup_url("http://h:1/", "a+b") == "http://h:1/?setup=a%2Bb"
