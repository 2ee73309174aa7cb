"""Server-side login sessions: created at login, checked on every script run, ended at once.

A login opens a row in ``app_sessions``. The Streamlit session keeps its id and asks
:func:`check_session` on every run, a single-row lookup: a revoked, expired or role-changed
session, or one whose user is gone, ends there. Logout, a new password, a new role and removing
the account revoke every session of that user (:func:`revoke_user_sessions`, called inside the
transaction of the change), so other browsers lose the login on their next click.

The browser remembers the login in an HttpOnly cookie ``<session_id>.<token>`` that script code
cannot read or write. It gets it through a one-time grant: the login run creates the grant, the
page posts it to a server route, and the route redeems it (:func:`redeem_grant`) and answers
with ``Set-Cookie``. Only keyed hashes (HMAC-SHA256 with the installation's cookie key) of the
token and of the grant are stored, so the database alone opens no session, and a new cookie
key ends every remembered login. The cookie claims nothing: how long a session lives is
decided here (``expires_at``, capped by :func:`crm_dash.config.session_hours`).

No Streamlit here: the UI, the server route and the tests call these functions.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

from crm_dash import config
from crm_dash.db import transaction

#: Name of the HttpOnly cookie that remembers a login in the browser.
SESSION_COOKIE = "crm_dash_session"
#: How long a grant may wait to be exchanged for the cookie.
GRANT_LIFETIME = timedelta(seconds=60)
#: ``last_seen`` is written at most this often per session (a rerun is not a write).
LAST_SEEN_EVERY = timedelta(seconds=60)
#: Ended sessions are deleted this long after they expired.
KEEP_ENDED = timedelta(days=30)
_TOKEN_BYTES = 32  # 256 bits
_ID_BYTES = 16
_MAX_COOKIE_CHARS = 200  # a real cookie has 22 + 1 + 43 characters


@dataclass(frozen=True)
class NewSession:
    """A session just opened at login: its id (kept in the Streamlit session) and the grant
    that sets the browser's cookie."""

    session_id: str
    grant: str
    expires_at: datetime


@dataclass(frozen=True)
class LiveSession:
    """A session that is valid right now."""

    session_id: str
    username: str
    expires_at: datetime
    cookie_pending: bool  # its grant has not been exchanged for the cookie yet
    grant_expired: bool  # ... and that grant can no longer be


@dataclass(frozen=True)
class IssuedCookie:
    """What a redeemed grant sets in the browser."""

    value: str
    max_age: int  # seconds until the session expires on the server


def utc_now() -> datetime:
    """Now, as the naive UTC timestamp the database stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def _digest(secret: str, value: str) -> str:
    return hmac.new(secret.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()


def _split(value: str) -> tuple[str, str] | None:
    """``(session_id, secret part)`` of a cookie or grant, or ``None`` for anything else."""
    if not isinstance(value, str) or not value or len(value) > _MAX_COOKIE_CHARS:
        return None
    session_id, dot, rest = value.partition(".")
    if not dot or not session_id or not rest:
        return None
    return session_id, rest


def create_session(
    conn: duckdb.DuckDBPyConnection,
    username: str,
    role: str,
    *,
    secret: str,
    hours: float | None = None,
    now: datetime | None = None,
) -> NewSession:
    """Open a session for ``username`` (logged in with ``role``) and its cookie grant.

    ``hours`` may ask for a shorter life; it is capped by the server's
    :func:`~crm_dash.config.session_hours`, whatever is asked.
    """
    now = now or utc_now()
    cap = config.session_hours()
    lifetime = timedelta(hours=cap if hours is None else max(0.0, min(hours, cap)))
    session_id = secrets.token_urlsafe(_ID_BYTES)
    grant_secret = secrets.token_urlsafe(_TOKEN_BYTES)
    expires_at = now + lifetime
    with transaction(conn) as cur:
        cur.execute("DELETE FROM app_sessions WHERE expires_at < ?", [now - KEEP_ENDED])
        cur.execute(
            "INSERT INTO app_sessions (session_id, username, role, created_at, last_seen,"
            " expires_at, grant_hash, grant_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [session_id, username, role, now, now, expires_at,
             _digest(secret, grant_secret), now + GRANT_LIFETIME],
        )
    return NewSession(session_id, f"{session_id}.{grant_secret}", expires_at)


_SESSION_ROW = (
    "SELECT s.session_id, s.username, s.role, s.expires_at, s.revoked_at, s.last_seen,"
    " s.token_hash, s.grant_hash, s.grant_expires_at, s.grant_used_at, u.role"
    " FROM app_sessions s LEFT JOIN app_users u ON u.username = s.username"
    " WHERE s.session_id = ?"
)


@dataclass(frozen=True)
class _Row:
    session_id: str
    username: str
    role: str
    expires_at: datetime
    revoked_at: datetime | None
    last_seen: datetime
    token_hash: str | None
    grant_hash: str | None
    grant_expires_at: datetime | None
    grant_used_at: datetime | None
    user_role: str | None  # None: the account is gone

    def ended(self, now: datetime) -> str | None:
        """Why this session is over at ``now``, or ``None`` while it is valid."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        if self.user_role is None:
            return "user_removed"
        if self.user_role != self.role:
            return "role_changed"
        return None


def _row(cur: duckdb.DuckDBPyConnection, session_id: str) -> _Row | None:
    found = cur.execute(_SESSION_ROW, [session_id]).fetchone()
    return None if found is None else _Row(*found)


def check_session(
    conn: duckdb.DuckDBPyConnection, session_id: str, *, now: datetime | None = None
) -> LiveSession | None:
    """The session ``session_id`` if it is valid now, else ``None``: every run asks this.

    A session whose user now has another role is revoked here as well, so it cannot come back
    should the role be changed back.
    """
    now = now or utc_now()
    row = _row(conn.cursor(), session_id)
    if row is None:
        return None
    reason = row.ended(now)
    if reason == "role_changed":
        revoke_session(conn, session_id, reason, now=now)
    if reason is not None:
        return None
    if now - row.last_seen >= LAST_SEEN_EVERY:
        # A parallel run of the same session may have written it a moment ago.
        with suppress(duckdb.TransactionException):
            conn.cursor().execute(
                "UPDATE app_sessions SET last_seen = ? WHERE session_id = ?", [now, session_id]
            )
    pending = row.token_hash is None
    return LiveSession(
        session_id=row.session_id, username=row.username, expires_at=row.expires_at,
        cookie_pending=pending,
        grant_expired=pending and (row.grant_expires_at is None or row.grant_expires_at <= now),
    )


def session_from_cookie(
    conn: duckdb.DuckDBPyConnection, cookie: str, *, secret: str, now: datetime | None = None
) -> LiveSession | None:
    """The valid session the browser's cookie stands for, or ``None`` (forged, old, ended)."""
    parts = _split(cookie)
    if parts is None:
        return None
    session_id, token = parts
    row = _row(conn.cursor(), session_id)
    if row is None or row.token_hash is None:
        return None
    if not hmac.compare_digest(_digest(secret, token), row.token_hash):
        return None
    return check_session(conn, session_id, now=now)


def renew_grant(
    conn: duckdb.DuckDBPyConnection, session_id: str, *, secret: str, now: datetime | None = None
) -> str | None:
    """A fresh grant for a valid session whose cookie was never handed out (the old grant
    expired unused, e.g. the page was closed); ``None`` when there is nothing to renew."""
    now = now or utc_now()
    grant_secret = secrets.token_urlsafe(_TOKEN_BYTES)
    with transaction(conn) as cur:
        row = _row(cur, session_id)
        if row is None or row.ended(now) is not None or row.token_hash is not None:
            return None
        cur.execute(
            "UPDATE app_sessions SET grant_hash = ?, grant_expires_at = ?, grant_used_at = NULL"
            " WHERE session_id = ?",
            [_digest(secret, grant_secret), now + GRANT_LIFETIME, session_id],
        )
    return f"{session_id}.{grant_secret}"


def redeem_grant(
    conn: duckdb.DuckDBPyConnection, grant: str, *, secret: str, now: datetime | None = None
) -> IssuedCookie | None:
    """Exchange a grant for the session's cookie, once; ``None`` for a grant that is wrong,
    used, older than :data:`GRANT_LIFETIME`, or of a session that has ended.

    The cookie's token is made here, so it never passes through the page; two parallel
    redemptions of one grant cannot both succeed (the second conflicts on the row).
    """
    now = now or utc_now()
    parts = _split(grant)
    if parts is None:
        return None
    session_id, grant_secret = parts
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    try:
        with transaction(conn) as cur:
            row = _row(cur, session_id)
            if (
                row is None or row.ended(now) is not None or row.grant_hash is None
                or row.grant_used_at is not None or row.token_hash is not None
                or row.grant_expires_at is None or row.grant_expires_at <= now
                or not hmac.compare_digest(_digest(secret, grant_secret), row.grant_hash)
            ):
                return None
            cur.execute(
                "UPDATE app_sessions SET token_hash = ?, grant_used_at = ?"
                " WHERE session_id = ? AND grant_used_at IS NULL",
                [_digest(secret, token), now, session_id],
            )
            expires_at = row.expires_at
    except duckdb.TransactionException:
        return None  # redeemed by a parallel request
    return IssuedCookie(
        value=f"{session_id}.{token}", max_age=int((expires_at - now).total_seconds())
    )


def cookie_is_live(
    conn: duckdb.DuckDBPyConnection, cookie: str | None, *, secret: str,
    now: datetime | None = None,
) -> bool:
    """Whether ``cookie`` stands for a valid session (then a logout page must not clear it)."""
    if not cookie:
        return False
    return session_from_cookie(conn, cookie, secret=secret, now=now) is not None


def revoke_session(
    conn: duckdb.DuckDBPyConnection, session_id: str, reason: str, *, now: datetime | None = None
) -> None:
    """End one session."""
    with suppress(duckdb.TransactionException):  # a parallel run may have revoked it
        conn.cursor().execute(
            "UPDATE app_sessions SET revoked_at = ?, revoked_reason = ?"
            " WHERE session_id = ? AND revoked_at IS NULL",
            [now or utc_now(), reason, session_id],
        )


def revoke_user_sessions(
    cur: duckdb.DuckDBPyConnection, username: str, reason: str, *, now: datetime | None = None
) -> None:
    """End every session of ``username`` (inside the caller's transaction)."""
    cur.execute(
        "UPDATE app_sessions SET revoked_at = ?, revoked_reason = ?"
        " WHERE username = ? AND revoked_at IS NULL",
        [now or utc_now(), reason, username],
    )


def open_sessions(conn: duckdb.DuckDBPyConnection, username: str,
                  *, now: datetime | None = None) -> int:
    """How many sessions of ``username`` are valid now."""
    row = conn.cursor().execute(
        "SELECT count(*) FROM app_sessions s JOIN app_users u ON u.username = s.username"
        " WHERE s.username = ? AND s.revoked_at IS NULL AND s.expires_at > ?"
        " AND u.role = s.role",
        [username, now or utc_now()],
    ).fetchone()
    return int(row[0]) if row else 0
