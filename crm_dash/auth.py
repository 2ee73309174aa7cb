"""Accounts of the people who log in and their passwords (bcrypt only).

The login itself (limits, lockouts, the bcrypt check) is :mod:`crm_dash.login_limits`; its
functions are importable from here too. No Streamlit here: the CLI, the admin page and the
login widget all call these functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import bcrypt
import duckdb

from crm_dash import login_limits
from crm_dash.audit import log_event
from crm_dash.db import transaction
from crm_dash.errors import CrmDashError
from crm_dash.pages import Role
from crm_dash.sessions import revoke_user_sessions

# The login (its limits, lockouts and the bcrypt check) lives in crm_dash.login_limits; these
# names stay importable from here.
MAX_PASSWORD_BYTES = login_limits.MAX_PASSWORD_BYTES
utc_now = login_limits.utc_now
password_matches = login_limits.password_matches
locked_until = login_limits.locked_until
record_login_attempt = login_limits.record_login_attempt
record_refused_login = login_limits.record_refused_login
attempt_login = login_limits.attempt_login
LoginOutcome = login_limits.Outcome
LoginResult = login_limits.LoginResult

MIN_PASSWORD_CHARS = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


class AccountError(CrmDashError):
    """A user account cannot be created or changed as asked."""

    title = "Account"
    title_key_default = "error.title.account"
    default_code = "account"


@dataclass(frozen=True)
class AppUser:
    """A person who may log in."""

    username: str
    display_name: str
    role: Role
    sessions_valid_from: datetime


@dataclass(frozen=True)
class DemoAccount:
    """A login of the demo database, shown on its login page."""

    username: str
    password: str
    role: Role
    display_name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "demo-admin-2026", Role.ADMIN, "Demo Admin"),
    DemoAccount("lead", "demo-lead-2026", Role.LEAD, "Petra Projektleitung"),
    DemoAccount("executive", "demo-exec-2026", Role.EXECUTIVE, "Dr. Klaus Geschäftsführer"),
)


def validate_password(password: str) -> None:
    """Raise :class:`AccountError` unless ``password`` is 10+ characters and at most 72 bytes."""
    if password != password.strip():
        raise AccountError.says("error.password.space")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError.says("error.password.short", n=len(password),
                                min=MIN_PASSWORD_CHARS)
    size = len(password.encode("utf-8"))
    if size > MAX_PASSWORD_BYTES:
        raise AccountError.says("error.password.long", size=size,
                                max=MAX_PASSWORD_BYTES)


def validate_username(username: str) -> None:
    """Raise :class:`AccountError` unless ``username`` is 2-64 lower-case letters, digits, ._@-"""
    if not _USERNAME.match(username):
        raise AccountError.says("error.username.invalid", username=username)


def hash_password(password: str) -> str:
    """The bcrypt hash stored for ``password``."""
    validate_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def _row_to_user(row: tuple[object, ...]) -> AppUser:
    return AppUser(
        username=str(row[0]), display_name=str(row[1]), role=Role(str(row[2])),
        sessions_valid_from=row[3],  # type: ignore[arg-type]
    )


def get_user(conn: duckdb.DuckDBPyConnection, username: str) -> AppUser | None:
    """The account ``username``, or ``None``."""
    row = conn.cursor().execute(
        "SELECT username, display_name, role, sessions_valid_from FROM app_users"
        " WHERE username = ?",
        [username],
    ).fetchone()
    return None if row is None else _row_to_user(row)


def list_users(conn: duckdb.DuckDBPyConnection) -> list[AppUser]:
    """All accounts, by username."""
    rows = conn.cursor().execute(
        "SELECT username, display_name, role, sessions_valid_from FROM app_users ORDER BY username"
    ).fetchall()
    return [_row_to_user(r) for r in rows]


def count_users(conn: duckdb.DuckDBPyConnection) -> int:
    """How many accounts exist."""
    row = conn.cursor().execute("SELECT count(*) FROM app_users").fetchone()
    return int(row[0]) if row else 0


def password_hashes(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """``{username: bcrypt hash}`` for the login widget."""
    rows = conn.cursor().execute("SELECT username, password_hash FROM app_users").fetchall()
    return {str(u): str(h) for u, h in rows}


def add_user(
    conn: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    role: Role,
    *,
    display_name: str | None = None,
    actor: str,
) -> AppUser:
    """Create an account; the password is stored only as a bcrypt hash.

    Usernames are stored in lower case (the login compares them in lower case).
    """
    username = username.strip().lower()
    validate_username(username)
    password_hash = hash_password(password)
    if get_user(conn, username) is not None:
        raise AccountError.says("error.user.exists", username=username)
    with transaction(conn) as cur:
        cur.execute(
            "INSERT INTO app_users (username, display_name, role, password_hash)"
            " VALUES (?, ?, ?, ?)",
            [username, display_name or username, role.value, password_hash],
        )
        log_event(cur, actor, "user_add", username, {"role": role.value})
    user = get_user(conn, username)
    assert user is not None
    return user


def remove_user(conn: duckdb.DuckDBPyConnection, username: str, *, actor: str) -> None:
    """Delete an account. The last admin cannot be removed."""
    user = get_user(conn, username)
    if user is None:
        raise AccountError.says("error.user.missing", username=username)
    if user.role == Role.ADMIN and _admin_count(conn) == 1:
        raise AccountError.says("error.user.last_admin_remove")
    with transaction(conn) as cur:
        cur.execute("DELETE FROM app_users WHERE username = ?", [username])
        cur.execute("DELETE FROM login_lockouts WHERE username = ?", [username])
        revoke_user_sessions(cur, username, "user_removed")
        log_event(cur, actor, "user_remove", username)


def set_password(
    conn: duckdb.DuckDBPyConnection, username: str, password: str, *, actor: str
) -> None:
    """Replace a password; every session of the user ends at once, and a lockout is lifted."""
    password_hash = hash_password(password)
    if get_user(conn, username) is None:
        raise AccountError.says("error.user.missing", username=username)
    with transaction(conn) as cur:
        cur.execute(
            "UPDATE app_users SET password_hash = ?, sessions_valid_from = ? WHERE username = ?",
            [password_hash, utc_now(), username],
        )
        cur.execute("DELETE FROM login_lockouts WHERE username = ?", [username])
        revoke_user_sessions(cur, username, "password_changed")
        log_event(cur, actor, "user_passwd", username)


def set_role(
    conn: duckdb.DuckDBPyConnection, username: str, role: Role, *, actor: str
) -> AppUser:
    """Give ``username`` another role; every session of the user ends at once.

    The last admin cannot lose the admin role.
    """
    user = get_user(conn, username)
    if user is None:
        raise AccountError.says("error.user.missing", username=username)
    if user.role == role:
        return user
    if user.role == Role.ADMIN and _admin_count(conn) == 1:
        raise AccountError.says("error.user.last_admin_role")
    with transaction(conn) as cur:
        cur.execute("UPDATE app_users SET role = ? WHERE username = ?", [role.value, username])
        revoke_user_sessions(cur, username, "role_changed")
        log_event(cur, actor, "user_role", username,
                  {"from": user.role.value, "to": role.value})
    changed = get_user(conn, username)
    assert changed is not None
    return changed


def _admin_count(conn: duckdb.DuckDBPyConnection) -> int:
    row = conn.cursor().execute("SELECT count(*) FROM app_users WHERE role = 'admin'").fetchone()
    return int(row[0]) if row else 0


def end_sessions(conn: duckdb.DuckDBPyConnection, username: str) -> None:
    """Logout: every session of ``username`` ends, in every browser."""
    with transaction(conn) as cur:
        revoke_user_sessions(cur, username, "logout")
        cur.execute(
            "UPDATE app_users SET sessions_valid_from = ? WHERE username = ?",
            [utc_now(), username],
        )
        log_event(cur, username, "logout")


def create_demo_accounts(conn: duckdb.DuckDBPyConnection) -> None:
    """The demo's logins (only ever called for the demo database)."""
    for account in DEMO_ACCOUNTS:
        if get_user(conn, account.username) is None:
            add_user(conn, account.username, account.password, account.role,
                     display_name=account.display_name, actor="demo")
