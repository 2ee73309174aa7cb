"""The login form under the limits of crm_dash.login_limits (issue 15), as Streamlit runs it.

AppTest has no browser address, so its attempts count in the client bucket "unknown", as a
browser on the server itself does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import auth, db, login_limits
from crm_dash.pages import Role
from tests.app.conftest import PASSWORD, ensure_user

MakeApp = Callable[..., AppTest]
LOGIN_SCRIPT = "pages/overview.py"  # see test_auth_pages.py: the form, without st.navigation


def _login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def _fill(db_path: Path, failures: int, client: str | None, *, spread: bool = False) -> None:
    """``failures`` failed attempts just now, each for its own username; ``spread`` gives each
    its own address (``client`` is then ignored)."""
    conn = db.connect(db_path)
    now = auth.utc_now() - timedelta(seconds=1)
    for i in range(failures):
        auth.record_login_attempt(conn, f"guess{i}", False, now,
                                  client=f"192.0.2.{i}" if spread else client)
    conn.close()


def _audited(db_path: Path) -> list[str]:
    conn = db.connect(db_path)
    try:
        rows = conn.execute(
            "SELECT action FROM audit_log WHERE actor = 'lead' ORDER BY id").fetchall()
    finally:
        conn.close()
    return [str(r[0]) for r in rows]


@pytest.mark.parametrize(
    ("lang", "message"),
    [("en", "Too many failed logins from this device"),
     ("de", "Zu viele fehlgeschlagene Anmeldungen von diesem Gerät")],
)
def test_a_client_over_its_limit_sees_why_and_no_password_is_checked(
    make_app: MakeApp, fixture_db_path: Path, monkeypatch: pytest.MonkeyPatch,
    lang: str, message: str,
) -> None:
    ensure_user(fixture_db_path, "lead", Role.LEAD)
    _fill(fixture_db_path, login_limits.MAX_CLIENT_FAILURES, login_limits.UNKNOWN_CLIENT)
    checked: list[bytes] = []
    monkeypatch.setattr(login_limits, "password_matches",
                        lambda password, hashed: checked.append(b"") or True)
    at = make_app(fixture_db_path, script=LOGIN_SCRIPT, role=None)
    at.query_params["lang"] = lang
    at.run()
    _login(at, "lead", PASSWORD)  # the right password, refused unchecked
    assert not at.exception
    assert message in at.error[0].value
    assert not at.metric and checked == []
    assert _audited(fixture_db_path) == ["login_refused_client"]


def test_the_installation_over_its_limit_sees_why(
    make_app: MakeApp, fixture_db_path: Path
) -> None:
    ensure_user(fixture_db_path, "lead", Role.LEAD)
    _fill(fixture_db_path, login_limits.MAX_ATTEMPTS_PER_MINUTE, None, spread=True)
    at = make_app(fixture_db_path, script=LOGIN_SCRIPT, role=None).run()
    _login(at, "lead", PASSWORD)
    assert not at.exception
    assert "Too many login attempts on crm-dash right now" in at.error[0].value
    assert not at.metric
    assert _audited(fixture_db_path) == ["login_refused_global"]


def test_a_locked_username_sees_the_lock_and_no_exception(
    make_app: MakeApp, fixture_db_path: Path
) -> None:
    ensure_user(fixture_db_path, "lead", Role.LEAD)
    conn = db.connect(fixture_db_path)
    for _ in range(login_limits.MAX_FAILED_LOGINS):
        auth.record_login_attempt(conn, "lead", False, client="198.51.100.1")
    conn.close()
    at = make_app(fixture_db_path, script=LOGIN_SCRIPT, role=None).run()
    _login(at, "lead", PASSWORD)
    assert not at.exception
    assert "locked until" in at.error[0].value
    assert not at.metric


def test_an_over_long_username_is_a_plain_failure(
    make_app: MakeApp, fixture_db_path: Path
) -> None:
    ensure_user(fixture_db_path, "lead", Role.LEAD)
    at = make_app(fixture_db_path, script=LOGIN_SCRIPT, role=None).run()
    _login(at, "lead" * 50_000, PASSWORD)
    assert not at.exception
    assert "not correct" in at.error[0].value


def test_an_unexpected_error_shows_a_message_not_a_traceback(
    make_app: MakeApp, fixture_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_user(fixture_db_path, "lead", Role.LEAD)

    def broken(*args: object, **kwargs: object) -> login_limits.LoginResult:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(auth, "attempt_login", broken)
    at = make_app(fixture_db_path, script=LOGIN_SCRIPT, role=None).run()
    _login(at, "lead", PASSWORD)
    assert not at.exception
    assert "not available right now" in at.error[0].value
    assert "disk is full" not in " ".join(e.value for e in at.error)
    assert at.title[0].value == "Log in to crm-dash"  # the form stays, to try again
