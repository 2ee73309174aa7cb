"""The one-time setup link: the first administrator is created in the browser, not in a terminal.

A database without accounts cannot be used by anyone. ``crm-dash run`` (the serving process,
:mod:`crm_dash.ui.serve`) issues a random token, prints the link that carries it to the terminal
and the log, and stores only its SHA-256 with an expiry. The link's page creates the first
administrator with the usual password rules. The terminal is the proof that the person is the
one who started crm-dash: whoever only knows the URL has no token.

The token is valid for one use, for at most :data:`TOKEN_LIFETIME`, and only while no account
exists. A newer token replaces older ones. No Streamlit here.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

import duckdb

from crm_dash import auth
from crm_dash.audit import log_event
from crm_dash.db import transaction
from crm_dash.errors import CrmDashError
from crm_dash.pages import Role

TOKEN_LIFETIME = timedelta(hours=1)
QUERY_PARAM = "setup"
_TOKEN_BYTES = 32
_MAX_TOKEN_CHARS = 128

log = logging.getLogger("crm_dash.setup")


class TokenState(enum.Enum):
    """What a presented token is worth."""

    VALID = "valid"
    MISSING = "missing"  # no token in the link
    WRONG = "wrong"  # never issued (or replaced by a newer one)
    EXPIRED = "expired"
    USED = "used"
    ADMIN_EXISTS = "admin_exists"  # accounts exist: setup is over, the link is dead


class SetupRefused(CrmDashError):
    """The first administrator cannot be created with this token."""

    title = "Setup"
    default_code = "setup"

    def __init__(self, state: TokenState) -> None:
        super().__init__(f"The setup link cannot be used: {state.value}.")
        self.state = state

    @property
    def error_code(self) -> str:
        """``setup.<state>``: why the link was refused (the page words it as ``setup.state.*``)."""
        return f"setup.{self.state.value}"


@dataclass(frozen=True)
class IssuedToken:
    """A fresh token (shown once, never stored) and when it stops working (naive UTC)."""

    token: str
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def setup_needed(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether nobody can log in yet (no account at all)."""
    return auth.count_users(conn) == 0


def issue_token(
    conn: duckdb.DuckDBPyConnection, *, now: datetime | None = None
) -> IssuedToken | None:
    """A new setup token, replacing every earlier one; ``None`` once an account exists."""
    now = now or auth.utc_now()
    if not setup_needed(conn):
        return None
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    expires_at = now + TOKEN_LIFETIME
    with transaction(conn) as cur:
        cur.execute("DELETE FROM setup_tokens")
        cur.execute(
            "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES (?, ?, ?)",
            [_digest(token), now, expires_at],
        )
        log_event(cur, "system", "setup_link_issued", None, {"expires_at": expires_at})
    return IssuedToken(token, expires_at)


def live_token_exists(conn: duckdb.DuckDBPyConnection, *, now: datetime | None = None) -> bool:
    """Whether an unused, unexpired token is waiting (then no new one is needed)."""
    now = now or auth.utc_now()
    row = conn.cursor().execute(
        "SELECT count(*) FROM setup_tokens WHERE used_at IS NULL AND expires_at > ?", [now]
    ).fetchone()
    return bool(row and row[0])


def token_state(
    conn: duckdb.DuckDBPyConnection, token: str | None, *, now: datetime | None = None
) -> TokenState:
    """What ``token`` (from the link) allows now."""
    return _state(conn.cursor(), token, now or auth.utc_now())


def _state(cur: duckdb.DuckDBPyConnection, token: str | None, now: datetime) -> TokenState:
    """:func:`token_state` on ``cur`` itself, so it sees the caller's transaction."""
    users = cur.execute("SELECT count(*) FROM app_users").fetchone()
    if users and users[0]:
        return TokenState.ADMIN_EXISTS
    if not token:
        return TokenState.MISSING
    if len(token) > _MAX_TOKEN_CHARS:
        return TokenState.WRONG
    digest = _digest(token)
    rows = cur.execute("SELECT token_hash, expires_at, used_at FROM setup_tokens").fetchall()
    for token_hash, expires_at, used_at in rows:
        if hmac.compare_digest(str(token_hash), digest):
            if used_at is not None:
                return TokenState.USED
            if expires_at <= now:
                return TokenState.EXPIRED
            return TokenState.VALID
    return TokenState.WRONG


def create_first_admin(
    conn: duckdb.DuckDBPyConnection,
    token: str | None,
    username: str,
    password: str,
    *,
    display_name: str | None = None,
    now: datetime | None = None,
) -> auth.AppUser:
    """Create the first administrator with a valid setup token, and spend the token.

    The password rules are those of every account (:func:`crm_dash.auth.validate_password`);
    they are checked before the token is spent, so a too-short password costs no new link.
    Raises :class:`SetupRefused` for a missing, wrong, expired or used token and once any
    account exists; :class:`crm_dash.auth.AccountError` for a bad username or password.
    """
    now = now or auth.utc_now()
    username = username.strip().lower()
    auth.validate_username(username)
    password_hash = auth.hash_password(password)  # validates the password
    digest = _digest(token or "")
    with transaction(conn) as cur:
        # Checked again inside the write transaction: two tabs submitting at once cannot both
        # create an administrator (DuckDB refuses the second, conflicting commit).
        state = _state(cur, token, now)
        if state is not TokenState.VALID:
            raise SetupRefused(state)
        cur.execute(
            "UPDATE setup_tokens SET used_at = ?, used_by = ? WHERE token_hash = ?",
            [now, username, digest],
        )
        cur.execute(
            "INSERT INTO app_users (username, display_name, role, password_hash)"
            " VALUES (?, ?, ?, ?)",
            [username, display_name or username, Role.ADMIN.value, password_hash],
        )
        log_event(cur, "setup_link", "user_add", username, {"role": Role.ADMIN.value})
    user = auth.get_user(conn, username)
    assert user is not None
    return user


def setup_url(base_url: str, token: str) -> str:
    """The link to print: ``base_url`` (``http://host:port/``) with the token as a parameter."""
    return f"{base_url.rstrip('/')}/?{QUERY_PARAM}={quote(token, safe='')}"


def announce(url: str, expires_at: datetime) -> None:
    """Print the link to the terminal and write it to the log (crm-dash's only setup channel)."""
    message = (
        "No account exists yet. Open this one-time link to create the first administrator "
        f"(valid once, until {expires_at:%Y-%m-%d %H:%M} UTC):\n\n    {url}\n"
    )
    print(f"\n  crm-dash setup\n  {message}", flush=True)
    log.warning("%s", message.replace("\n\n    ", " ").strip())
