"""Server-side sessions: each attack on a login must fail (crm_dash.sessions)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from datetime import datetime, timedelta
from pathlib import Path

import bcrypt
import duckdb
import pytest

from crm_dash import auth, config, db, sessions
from crm_dash.auth import AccountError
from crm_dash.cli import main
from crm_dash.pages import Role

T0 = datetime(2026, 11, 23, 9, 0, 0)
KEY = "k" * 48
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _quick_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sessions do not depend on the cost of a hash: the cheapest one keeps the tests quick."""
    gensalt = bcrypt.gensalt
    monkeypatch.setattr(bcrypt, "gensalt", lambda *a, **k: gensalt(rounds=4))


@pytest.fixture
def accounts(conn: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    auth.add_user(conn, "admin", PASSWORD, Role.ADMIN, actor="test")
    auth.add_user(conn, "anna", PASSWORD, Role.LEAD, actor="test")
    auth.add_user(conn, "bert", PASSWORD, Role.LEAD, actor="test")
    return conn


def _login(conn: duckdb.DuckDBPyConnection, username: str = "anna",
           now: datetime = T0) -> tuple[str, str]:
    """A session as the login opens it, its cookie handed out: ``(session_id, cookie)``."""
    user = auth.get_user(conn, username)
    assert user is not None
    new = sessions.create_session(conn, username, user.role.value, secret=KEY, now=now)
    issued = sessions.redeem_grant(conn, new.grant, secret=KEY, now=now)
    assert issued is not None
    return new.session_id, issued.value


def _alive(conn: duckdb.DuckDBPyConnection, session_id: str, now: datetime = T0) -> bool:
    return sessions.check_session(conn, session_id, now=now) is not None


def test_a_session_is_created_checked_and_found_by_its_cookie(
    accounts: duckdb.DuckDBPyConnection,
) -> None:
    session_id, cookie = _login(accounts)
    live = sessions.check_session(accounts, session_id, now=T0 + timedelta(minutes=5))
    assert live is not None and live.username == "anna" and not live.cookie_pending
    by_cookie = sessions.session_from_cookie(accounts, cookie, secret=KEY, now=T0)
    assert by_cookie is not None and by_cookie.session_id == session_id
    assert sessions.open_sessions(accounts, "anna", now=T0) == 1


def test_only_keyed_hashes_of_the_token_and_grant_are_stored(
    accounts: duckdb.DuckDBPyConnection,
) -> None:
    new = sessions.create_session(accounts, "anna", "lead", secret=KEY, now=T0)
    issued = sessions.redeem_grant(accounts, new.grant, secret=KEY, now=T0)
    assert issued is not None
    token = issued.value.split(".", 1)[1]
    assert len(base64.urlsafe_b64decode(token + "=")) == 32  # 256 random bits
    stored = accounts.execute("SELECT * FROM app_sessions").fetchall()
    text = repr(stored)
    assert token not in text and new.grant.split(".", 1)[1] not in text
    assert hmac.new(KEY.encode(), token.encode(), hashlib.sha256).hexdigest() in text
    # A new cookie key (CRM_DASH_COOKIE_KEY or .cookie_key) ends every remembered login.
    assert sessions.session_from_cookie(accounts, issued.value, secret="x" * 48, now=T0) is None


def test_the_server_caps_the_life_of_a_session_whatever_is_asked(
    accounts: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRM_DASH_SESSION_HOURS", "8")
    ten_years = 24 * 3650.0
    new = sessions.create_session(accounts, "anna", "lead", secret=KEY, hours=ten_years, now=T0)
    assert new.expires_at == T0 + timedelta(hours=8)
    issued = sessions.redeem_grant(accounts, new.grant, secret=KEY, now=T0)
    assert issued is not None and issued.max_age == 8 * 3600  # the cookie says what we decided
    almost = T0 + timedelta(hours=8) - timedelta(seconds=1)
    assert _alive(accounts, new.session_id, almost)
    assert sessions.session_from_cookie(accounts, issued.value, secret=KEY, now=almost)
    later = T0 + timedelta(hours=8)
    assert not _alive(accounts, new.session_id, later)
    assert sessions.session_from_cookie(accounts, issued.value, secret=KEY, now=later) is None
    # Activity does not extend it: the cap counts from the login.
    shorter = sessions.create_session(accounts, "anna", "lead", secret=KEY, hours=1, now=T0)
    assert shorter.expires_at == T0 + timedelta(hours=1)


def test_a_forged_cookie_gives_no_session(accounts: duckdb.DuckDBPyConnection) -> None:
    session_id, cookie = _login(accounts)
    # The old cookie format: a JWT signed with the installation's key, valid for ten years.
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")
    claims = {"username": "anna", "exp_date": (T0 + timedelta(days=3650)).timestamp()}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    signature = base64.urlsafe_b64encode(
        hmac.new(KEY.encode(), header + b"." + payload, hashlib.sha256).digest()).rstrip(b"=")
    jwt = b".".join([header, payload, signature]).decode()
    forged = [
        jwt,
        secrets.token_urlsafe(32),
        f"{session_id}.{secrets.token_urlsafe(32)}",  # the right session, a guessed token
        f"{secrets.token_urlsafe(16)}.{cookie.split('.', 1)[1]}",  # the token, another id
        f"{session_id}.",
        ".",
        "",
        cookie + "x",
        cookie * 10,
    ]
    for value in forged:
        assert sessions.session_from_cookie(accounts, value, secret=KEY, now=T0) is None, value


def test_a_session_without_its_cookie_cannot_be_named_by_a_cookie(
    accounts: duckdb.DuckDBPyConnection,
) -> None:
    new = sessions.create_session(accounts, "anna", "lead", secret=KEY, now=T0)
    grant_secret = new.grant.split(".", 1)[1]
    assert sessions.session_from_cookie(accounts, new.grant, secret=KEY, now=T0) is None
    assert sessions.session_from_cookie(
        accounts, f"{new.session_id}.{grant_secret}", secret=KEY, now=T0) is None
    live = sessions.check_session(accounts, new.session_id, now=T0)
    assert live is not None and live.cookie_pending and not live.grant_expired


def test_a_grant_is_redeemed_once(accounts: duckdb.DuckDBPyConnection) -> None:
    new = sessions.create_session(accounts, "anna", "lead", secret=KEY, now=T0)
    first = sessions.redeem_grant(accounts, new.grant, secret=KEY, now=T0)
    assert first is not None
    assert sessions.redeem_grant(accounts, new.grant, secret=KEY, now=T0) is None
    live = sessions.check_session(accounts, new.session_id, now=T0)
    assert live is not None and not live.cookie_pending
    assert sessions.renew_grant(accounts, new.session_id, secret=KEY, now=T0) is None


def test_parallel_redemptions_of_one_grant_give_one_cookie(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "parallel.duckdb")
    auth.add_user(conn, "anna", PASSWORD, Role.LEAD, actor="test")
    new = sessions.create_session(conn, "anna", "lead", secret=KEY)
    results: list[sessions.IssuedCookie | None] = []
    start = threading.Barrier(8)

    def redeem() -> None:
        start.wait()
        results.append(sessions.redeem_grant(conn, new.grant, secret=KEY))

    threads = [threading.Thread(target=redeem) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cookies = [r for r in results if r is not None]
    assert len(results) == 8 and len(cookies) == 1
    assert sessions.session_from_cookie(conn, cookies[0].value, secret=KEY) is not None
    conn.close()


def test_a_grant_expires_after_60_seconds(accounts: duckdb.DuckDBPyConnection) -> None:
    new = sessions.create_session(accounts, "anna", "lead", secret=KEY, now=T0)
    late = T0 + timedelta(seconds=60)
    assert sessions.redeem_grant(accounts, new.grant, secret=KEY, now=late) is None
    live = sessions.check_session(accounts, new.session_id, now=late)
    assert live is not None and live.cookie_pending and live.grant_expired
    # The page asks for a new grant; the old one stays refused.
    renewed = sessions.renew_grant(accounts, new.session_id, secret=KEY, now=late)
    assert renewed is not None and renewed != new.grant
    assert sessions.redeem_grant(accounts, new.grant, secret=KEY, now=late) is None
    assert sessions.redeem_grant(accounts, renewed, secret=KEY, now=late) is not None
    just_in_time = sessions.create_session(accounts, "anna", "lead", secret=KEY, now=T0)
    assert sessions.redeem_grant(accounts, just_in_time.grant, secret=KEY,
                                 now=T0 + timedelta(seconds=59)) is not None


def test_a_wrong_grant_is_refused(accounts: duckdb.DuckDBPyConnection) -> None:
    new = sessions.create_session(accounts, "anna", "lead", secret=KEY, now=T0)
    other = sessions.create_session(accounts, "bert", "lead", secret=KEY, now=T0)
    session_id, grant_secret = new.grant.split(".", 1)
    wrong = [
        f"{session_id}.{secrets.token_urlsafe(32)}",
        f"{other.session_id}.{grant_secret}",  # anna's grant for bert's session
        grant_secret,
        "",
        "x" * 5000,
    ]
    for value in wrong:
        assert sessions.redeem_grant(accounts, value, secret=KEY, now=T0) is None, value
    assert sessions.redeem_grant(accounts, new.grant, secret="y" * 48, now=T0) is None
    assert sessions.redeem_grant(accounts, new.grant, secret=KEY, now=T0) is not None


def test_a_grant_of_an_ended_session_is_refused(accounts: duckdb.DuckDBPyConnection) -> None:
    new = sessions.create_session(accounts, "anna", "lead", secret=KEY, now=T0)
    auth.end_sessions(accounts, "anna")
    assert sessions.redeem_grant(accounts, new.grant, secret=KEY) is None


def test_logout_ends_every_session_of_the_user_only(accounts: duckdb.DuckDBPyConnection) -> None:
    browser_a, cookie_a = _login(accounts)
    browser_b, cookie_b = _login(accounts)
    other, _ = _login(accounts, "bert")
    auth.end_sessions(accounts, "anna")  # logout in browser A
    assert not _alive(accounts, browser_a) and not _alive(accounts, browser_b)
    for cookie in (cookie_a, cookie_b):
        assert sessions.session_from_cookie(accounts, cookie, secret=KEY, now=T0) is None
    assert _alive(accounts, other)
    assert sessions.open_sessions(accounts, "anna", now=T0) == 0
    assert ("anna", "logout") in accounts.execute(
        "SELECT actor, action FROM audit_log").fetchall()


def test_a_new_password_ends_every_session(accounts: duckdb.DuckDBPyConnection) -> None:
    first, cookie = _login(accounts)
    second, _ = _login(accounts)
    auth.set_password(accounts, "anna", "a brand new password", actor="admin")
    assert not _alive(accounts, first) and not _alive(accounts, second)
    assert sessions.session_from_cookie(accounts, cookie, secret=KEY, now=T0) is None
    reason = accounts.execute("SELECT DISTINCT revoked_reason FROM app_sessions"
                              " WHERE username = 'anna'").fetchall()
    assert reason == [("password_changed",)]


def test_a_role_change_ends_every_session(accounts: duckdb.DuckDBPyConnection) -> None:
    first, cookie = _login(accounts)
    second, _ = _login(accounts)
    other, _ = _login(accounts, "bert")
    changed = auth.set_role(accounts, "anna", Role.EXECUTIVE, actor="admin")
    assert changed.role == Role.EXECUTIVE
    assert not _alive(accounts, first) and not _alive(accounts, second)
    assert sessions.session_from_cookie(accounts, cookie, secret=KEY, now=T0) is None
    assert _alive(accounts, other)
    # Changing it back does not bring the old sessions back.
    auth.set_role(accounts, "anna", Role.LEAD, actor="admin")
    assert not _alive(accounts, first)
    details = accounts.execute("SELECT details FROM audit_log WHERE action = 'user_role'"
                               " ORDER BY id").fetchall()
    assert json.loads(details[0][0]) == {"from": "lead", "to": "executive"}


def test_a_role_changed_behind_our_back_ends_the_session_too(
    accounts: duckdb.DuckDBPyConnection,
) -> None:
    session_id, _ = _login(accounts)
    accounts.execute("UPDATE app_users SET role = 'admin' WHERE username = 'anna'")
    assert not _alive(accounts, session_id)
    accounts.execute("UPDATE app_users SET role = 'lead' WHERE username = 'anna'")
    assert not _alive(accounts, session_id)  # revoked when it was seen with the other role


def test_removing_the_user_ends_every_session(accounts: duckdb.DuckDBPyConnection) -> None:
    session_id, cookie = _login(accounts)
    auth.remove_user(accounts, "anna", actor="admin")
    assert not _alive(accounts, session_id)
    # An account created again under the same name does not inherit the old sessions.
    auth.add_user(accounts, "anna", PASSWORD, Role.LEAD, actor="admin")
    assert not _alive(accounts, session_id)
    assert sessions.session_from_cookie(accounts, cookie, secret=KEY, now=T0) is None


def test_the_last_admin_keeps_the_admin_role(accounts: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(AccountError, match="last admin"):
        auth.set_role(accounts, "admin", Role.LEAD, actor="admin")
    with pytest.raises(AccountError, match="no user named"):
        auth.set_role(accounts, "nobody", Role.LEAD, actor="admin")
    auth.set_role(accounts, "anna", Role.ADMIN, actor="admin")
    assert auth.set_role(accounts, "admin", Role.LEAD, actor="anna").role == Role.LEAD


def test_last_seen_is_written_at_most_once_a_minute(accounts: duckdb.DuckDBPyConnection) -> None:
    session_id, _ = _login(accounts)

    def last_seen() -> datetime:
        row = accounts.execute("SELECT last_seen FROM app_sessions WHERE session_id = ?",
                               [session_id]).fetchone()
        assert row is not None
        return row[0]

    assert _alive(accounts, session_id, T0 + timedelta(seconds=30))
    assert last_seen() == T0
    assert _alive(accounts, session_id, T0 + timedelta(seconds=90))
    assert last_seen() == T0 + timedelta(seconds=90)


def test_sessions_long_expired_are_deleted(accounts: duckdb.DuckDBPyConnection) -> None:
    old, _ = _login(accounts)
    _login(accounts, now=T0 + sessions.KEEP_ENDED + timedelta(hours=config.session_hours() + 1))
    ids = [r[0] for r in accounts.execute("SELECT session_id FROM app_sessions").fetchall()]
    assert old not in ids and len(ids) == 1


def test_cli_user_role(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]) -> None:
    db_file = str(tmp_path / "u.duckdb")
    for name, role in (("root", "admin"), ("petra", "lead")):
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO(PASSWORD + "\n"))
        assert main(["user", "add", name, "--role", role, "--password-stdin", "--db", db_file]) == 0
    conn = db.connect(db_file)
    session_id, _ = _login(conn, "petra", now=sessions.utc_now())
    conn.close()
    capsys.readouterr()
    assert main(["user", "role", "Petra", "--role", "executive", "--db", db_file, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "username": "petra", "name": "petra", "role": "executive"}
    assert main(["user", "role", "root", "--role", "lead", "--db", db_file]) == 1
    assert "last admin" in capsys.readouterr().err
    conn = db.connect(db_file)
    assert sessions.check_session(conn, session_id) is None
    conn.close()
