from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from crm_dash import auth, config
from crm_dash.auth import AccountError
from crm_dash.cli import main
from crm_dash.pages import Role

T0 = datetime(2026, 11, 23, 9, 0, 0)
PASSWORD = "correct horse battery"


def _fail(conn: duckdb.DuckDBPyConnection, minute: int) -> datetime | None:
    return auth.record_login_attempt(conn, "anna", False, T0 + timedelta(minutes=minute))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("123456789", "at least 10"),
        ("ä" * 37, "74 bytes"),
        (" leading-space-pw", "space"),
    ],
)
def test_password_rules_reject_with_a_clear_message(password: str, message: str) -> None:
    with pytest.raises(AccountError, match=message):
        auth.validate_password(password)


@pytest.mark.parametrize("password", ["1234567890", "ä" * 36, "x" * 72])
def test_password_rules_accept(password: str) -> None:
    auth.validate_password(password)


def test_only_a_bcrypt_hash_is_stored(conn: duckdb.DuckDBPyConnection) -> None:
    auth.add_user(conn, "Anna", PASSWORD, Role.LEAD, actor="test")
    stored = conn.execute("SELECT username, password_hash FROM app_users").fetchall()
    assert stored[0][0] == "anna"
    assert stored[0][1].startswith("$2") and PASSWORD not in stored[0][1]
    assert auth.password_matches(PASSWORD, stored[0][1])
    assert not auth.password_matches("wrong password!", stored[0][1])


def test_add_list_remove_and_audit(conn: duckdb.DuckDBPyConnection) -> None:
    auth.add_user(conn, "admin", PASSWORD, Role.ADMIN, actor="setup")
    auth.add_user(conn, "exec", PASSWORD, Role.EXECUTIVE, display_name="Dr. Chef", actor="admin")
    with pytest.raises(AccountError, match="already exists"):
        auth.add_user(conn, "EXEC", PASSWORD, Role.LEAD, actor="admin")
    assert [(u.username, u.role) for u in auth.list_users(conn)] == [
        ("admin", Role.ADMIN), ("exec", Role.EXECUTIVE)
    ]
    with pytest.raises(AccountError, match="last admin"):
        auth.remove_user(conn, "admin", actor="admin")
    auth.remove_user(conn, "exec", actor="admin")
    assert auth.get_user(conn, "exec") is None
    actions = conn.execute("SELECT actor, action, target FROM audit_log ORDER BY id").fetchall()
    assert actions == [
        ("setup", "user_add", "admin"), ("admin", "user_add", "exec"),
        ("admin", "user_remove", "exec"),
    ]


def test_invalid_username(conn: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(AccountError, match="not a valid username"):
        auth.add_user(conn, "a b", PASSWORD, Role.LEAD, actor="t")


def test_fifth_failure_within_15_minutes_locks_for_15_minutes(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    for minute in range(4):
        assert _fail(conn, minute) is None
    assert auth.locked_until(conn, "anna", T0 + timedelta(minutes=4)) is None
    until = auth.record_login_attempt(conn, "anna", False, T0 + timedelta(minutes=5))
    assert until == T0 + timedelta(minutes=20)
    assert auth.locked_until(conn, "anna", T0 + timedelta(minutes=19)) == until
    assert auth.locked_until(conn, "anna", T0 + timedelta(minutes=20, seconds=1)) is None
    assert auth.locked_until(conn, "bert", T0 + timedelta(minutes=6)) is None
    assert ("anna", "login_locked") in conn.execute(
        "SELECT actor, action FROM audit_log"
    ).fetchall()


def test_failures_spread_over_more_than_15_minutes_do_not_lock(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    for minute in (0, 5, 10, 15, 20):
        assert _fail(conn, minute) is None


def test_a_success_starts_the_count_again(conn: duckdb.DuckDBPyConnection) -> None:
    for minute in range(3):
        auth.record_login_attempt(conn, "anna", False, T0 + timedelta(minutes=minute))
    auth.record_login_attempt(conn, "anna", True, T0 + timedelta(minutes=3))
    for minute in range(4, 8):
        assert _fail(conn, minute) is None


def test_new_password_lifts_a_lockout_and_ends_sessions(conn: duckdb.DuckDBPyConnection) -> None:
    auth.add_user(conn, "anna", PASSWORD, Role.LEAD, actor="t")
    before = auth.get_user(conn, "anna")
    assert before is not None
    now = auth.utc_now()
    for _ in range(5):
        auth.record_login_attempt(conn, "anna", False, now)
    assert auth.locked_until(conn, "anna") is not None
    auth.set_password(conn, "anna", "another long password", actor="admin")
    after = auth.get_user(conn, "anna")
    assert auth.locked_until(conn, "anna") is None
    assert after is not None and after.sessions_valid_from > before.sessions_valid_from


def test_demo_accounts_follow_the_password_rules(conn: duckdb.DuckDBPyConnection) -> None:
    auth.create_demo_accounts(conn)
    auth.create_demo_accounts(conn)  # idempotent
    assert {u.role for u in auth.list_users(conn)} == set(Role)


def test_cli_user_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    db_file = str(tmp_path / "u.duckdb")
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "Petra", "--role", "lead", "--password-stdin", "--db", db_file,
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "username": "petra", "name": "petra", "role": "lead"
    }
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("short\n"))
    assert main(["user", "add", "kurt", "--role", "admin", "--password-stdin",
                 "--db", db_file]) == 1
    assert "at least 10" in capsys.readouterr().err
    assert main(["user", "list", "--db", db_file, "--json"]) == 0
    assert [u["username"] for u in json.loads(capsys.readouterr().out)["users"]] == ["petra"]
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a new long password\n"))
    assert main(["user", "passwd", "petra", "--password-stdin", "--db", db_file]) == 0
    assert main(["user", "remove", "petra", "--db", db_file]) == 0
    assert main(["user", "remove", "petra", "--db", db_file]) == 1
    assert "no user named" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["user", "add", "x", "--role", "boss", "--db", db_file])
    assert exc.value.code == 2


def test_cookie_key_is_generated_once_and_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRM_DASH_COOKIE_KEY", raising=False)
    database = tmp_path / "db" / "crm.duckdb"
    first = config.cookie_key(database)
    assert len(first) >= 32 and config.cookie_key(database) == first
    mode = stat.S_IMODE(os.stat(database.parent / ".cookie_key").st_mode)
    assert mode == 0o600
    other = config.cookie_key(tmp_path / "elsewhere" / "crm.duckdb")
    assert other != first
    monkeypatch.setenv("CRM_DASH_COOKIE_KEY", "e" * 40)
    assert config.cookie_key(database) == "e" * 40
    monkeypatch.setenv("CRM_DASH_COOKIE_KEY", "short")
    with pytest.raises(config.ConfigError, match="32"):
        config.cookie_key(database)


def test_session_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRM_DASH_SESSION_HOURS", raising=False)
    assert config.session_hours() == 8
    monkeypatch.setenv("CRM_DASH_SESSION_HOURS", "0.5")
    assert config.session_hours() == 0.5
    monkeypatch.setenv("CRM_DASH_SESSION_HOURS", "acht")
    with pytest.raises(config.ConfigError, match="number"):
        config.session_hours()


def test_a_refused_login_during_a_lockout_is_audited_and_keeps_the_lock(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    for minute in range(5):
        until = _fail(conn, minute)
    assert until == T0 + timedelta(minutes=19)
    for _ in range(3):
        auth.record_refused_login(conn, "anna", until)
    assert auth.locked_until(conn, "anna", T0 + timedelta(minutes=10)) == until
    assert auth.locked_until(conn, "anna", T0 + timedelta(minutes=19, seconds=1)) is None
    refused = conn.execute(
        "SELECT actor, target, details FROM audit_log WHERE action = 'login_refused_locked'"
    ).fetchall()
    assert len(refused) == 3
    assert refused[0][:2] == ("anna", "anna")
    assert json.loads(refused[0][2]) == {"locked_until": until.isoformat()}
    # not counted as login attempts, so they cannot lead to a new lockout either
    assert conn.execute("SELECT count(*) FROM login_attempts").fetchone() == (5,)


def _key_file(tmp_path: Path, content: str, mode: int) -> Path:
    path = tmp_path / ".cookie_key"
    path.write_text(content, encoding="ascii")
    path.chmod(mode)
    return path


@pytest.mark.parametrize("content", ["", "short-key", "k" * 31])
def test_a_too_short_cookie_key_file_is_an_error_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    monkeypatch.delenv("CRM_DASH_COOKIE_KEY", raising=False)
    path = _key_file(tmp_path, content, 0o600)
    with pytest.raises(config.ConfigError, match=r"at least 32 needed\). Delete it \(rm "):
        config.cookie_key(tmp_path / "crm.duckdb")
    assert path.read_text(encoding="ascii") == content  # left for the owner to delete


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_cookie_key_file_other_users_can_access_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    monkeypatch.delenv("CRM_DASH_COOKIE_KEY", raising=False)
    path = _key_file(tmp_path, "k" * 40, mode)
    with pytest.raises(config.ConfigError) as exc:
        config.cookie_key(tmp_path / "crm.duckdb")
    assert f"chmod 600 {path}" in exc.value.message
    path.chmod(0o600)
    assert config.cookie_key(tmp_path / "crm.duckdb") == "k" * 40


def test_an_empty_world_readable_cookie_key_file_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRM_DASH_COOKIE_KEY", raising=False)
    _key_file(tmp_path, "", 0o644)
    with pytest.raises(config.ConfigError, match="Delete it"):
        config.cookie_key(tmp_path / "crm.duckdb")
