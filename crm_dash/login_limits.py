"""The login door: every attempt is reserved, within limits, before its password is checked.

Three limits decide whether a password is checked at all (the numbers are below, in one place):

- per username: 5 failures within 15 minutes, counted since the last success, lock the
  username for 15 minutes, across sessions and reloads;
- per client (the browser's IP address; every browser whose address the server does not know
  shares the bucket ``unknown``): 10 failures within 15 minutes, across all usernames;
- for the whole installation: 60 attempts per minute.

Parallel guesses: every Streamlit session is a thread of one process that holds the one
DuckDB connection, and DuckDB lets only one process write the file. A process-wide lock around
"count, then refuse or reserve" therefore makes the count and the reservation one step; a
reserved attempt counts as a failure until its outcome is known. bcrypt runs outside the lock,
so 15 simultaneous guesses for one username check at most 5 passwords, and the others are
refused as locked. Writes that meet a DuckDB write-write conflict (another transaction changed
the same lockout row) are retried.

Unknown usernames cost the same as known ones: their password is compared with a dummy bcrypt
hash of the same cost. Over-long input is a failed attempt before anything is stored or hashed:
the username is recorded with at most 64 characters, and no password longer than bcrypt can
use is checked.

Every attempt leaves exactly one audit event, whatever happens in parallel: ``login``,
``login_failed``, ``login_refused_locked``, ``login_refused_client`` or
``login_refused_global`` (a failure that locks the username adds ``login_locked``).

No Streamlit here: the login form passes the client's address in.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

import bcrypt
import duckdb

from crm_dash.audit import log_event
from crm_dash.db import transaction

# --- The limits -------------------------------------------------------------------------------

#: Failures of one username within :data:`FAILED_LOGIN_WINDOW` that lock it for :data:`LOCKOUT`.
MAX_FAILED_LOGINS = 5
FAILED_LOGIN_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
#: Failures from one client within :data:`CLIENT_WINDOW`, across usernames, before that client
#: is refused. Two usernames' worth of guesses: a person who mistypes a few times never meets
#: it, a script spraying usernames checks 10 passwords per quarter hour instead of 108 a minute.
MAX_CLIENT_FAILURES = 10
CLIENT_WINDOW = timedelta(minutes=15)
#: Attempts of the whole installation within :data:`GLOBAL_WINDOW`, from any client: a bound on
#: guesses spread over many addresses (and on the CPU that bcrypt takes, about 15 s a minute).
MAX_ATTEMPTS_PER_MINUTE = 60
GLOBAL_WINDOW = timedelta(minutes=1)
#: The longest username an account can have (crm_dash.auth.validate_username): a longer one is a
#: failed attempt, recorded with its first 64 characters.
MAX_USERNAME_CHARS = 64
#: bcrypt uses at most 72 bytes of a password, so no stored password is longer.
MAX_PASSWORD_BYTES = 72
#: Characters a typed password may carry beyond that before it is refused unread (the form
#: strips surrounding spaces, so a few are allowed; anything longer is never encoded or hashed).
PASSWORD_INPUT_MARGIN = 16
#: The client bucket of every browser whose address the server does not know (Streamlit knows
#: none for browsers on the server itself).
UNKNOWN_CLIENT = "unknown"
_MAX_CLIENT_CHARS = 64  # an IPv6 address with a zone has fewer
_WRITE_ATTEMPTS = 5  # tries of one login write when DuckDB reports a write-write conflict


class Outcome(StrEnum):
    """What became of one login attempt."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    #: Refused unchecked: the username is locked, or guesses in flight use up its allowance.
    LOCKED = "locked"
    #: Refused unchecked: too many failures from this client.
    CLIENT_LIMIT = "client_limit"
    #: Refused unchecked: too many attempts on the whole installation.
    GLOBAL_LIMIT = "global_limit"


_REFUSAL_ACTIONS = {
    Outcome.LOCKED: "login_refused_locked",
    Outcome.CLIENT_LIMIT: "login_refused_client",
    Outcome.GLOBAL_LIMIT: "login_refused_global",
}


@dataclass(frozen=True)
class LoginResult:
    """One attempt's outcome. ``username`` is as recorded (normalised, at most 64 characters);
    ``until`` is when a lock or limit ends (for a failure, only when it locked the username)."""

    outcome: Outcome
    username: str
    until: datetime | None = None

    @property
    def succeeded(self) -> bool:
        """Whether the password was right (and checked)."""
        return self.outcome is Outcome.SUCCEEDED


def utc_now() -> datetime:
    """Now, as the naive UTC timestamp the database stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def client_bucket(address: object) -> str:
    """The bucket the per-client limit counts ``address`` in: ``unknown`` for anything but a
    non-empty string (Streamlit gives ``None`` for a browser on this machine, and a stand-in
    object under its AppTest)."""
    if not isinstance(address, str) or not address.strip():
        return UNKNOWN_CLIENT
    return address.strip()[:_MAX_CLIENT_CHARS]


def password_matches(password: str, password_hash: str) -> bool:
    """Whether ``password`` is the one behind ``password_hash``."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))
    except (ValueError, UnicodeError):
        return False


@cache
def _dummy_hash() -> str:
    """A bcrypt hash of a random password nobody knows, at the cost of the stored ones
    (``gensalt()``'s default, as :func:`crm_dash.auth.hash_password`), made once per process."""
    return bcrypt.hashpw(secrets.token_hex(16).encode("ascii"), bcrypt.gensalt()).decode("ascii")


def _password_too_long(password: str) -> bool:
    if len(password) > MAX_PASSWORD_BYTES + PASSWORD_INPUT_MARGIN:  # decided without reading it
        return True
    return len(password.strip().encode("utf-8", "surrogatepass")) > MAX_PASSWORD_BYTES


# --- Writes: one at a time per process, retried on conflicts -----------------------------------

_LOCK = threading.Lock()
_Result = TypeVar("_Result")


def _write(conn: duckdb.DuckDBPyConnection,
           work: Callable[[duckdb.DuckDBPyConnection], _Result]) -> _Result:
    """Run ``work`` in one transaction while holding the process's login lock.

    Logins never conflict with each other under the lock, but an admin lifting a lockout or
    removing an account writes the same rows outside it; DuckDB then refuses one of the two
    transactions (``TransactionException``, or ``ConstraintException`` for a row both inserted),
    and the login's is run again on a fresh snapshot.
    """
    with _LOCK:
        for attempt in range(1, _WRITE_ATTEMPTS + 1):
            try:
                with transaction(conn) as cur:
                    return work(cur)
            except (duckdb.TransactionException, duckdb.ConstraintException):
                if attempt == _WRITE_ATTEMPTS:
                    raise
                time.sleep(0.01 * attempt)
    raise AssertionError("unreachable")


# --- Counting -------------------------------------------------------------------------------------

def _since_last_success(cur: duckdb.DuckDBPyConnection, username: str,
                        now: datetime) -> tuple[int, int]:
    """``(failures, in flight)`` of ``username`` within the window since its last success;
    failures include the attempts in flight."""
    row = cur.execute(
        "SELECT count(*) FILTER (WHERE NOT succeeded), count(*) FILTER (WHERE pending)"
        " FROM login_attempts WHERE username = ? AND attempted_at > ?"
        " AND attempted_at > coalesce((SELECT max(attempted_at) FROM login_attempts"
        "  WHERE username = ? AND succeeded), TIMESTAMP '1970-01-01')",
        [username, now - FAILED_LOGIN_WINDOW, username],
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _limit_ends(rows: list[tuple[Any, ...]], limit: int, window: timedelta) -> datetime | None:
    """When a limit of ``limit`` attempts per ``window`` leaves room for one more, given the
    newest ``limit`` matching attempts of the window (newest first), or ``None`` while there
    is room now: when the oldest of them leaves the window."""
    if len(rows) < limit:
        return None
    oldest: datetime = rows[-1][0]
    return oldest + window


def _refusal(cur: duckdb.DuckDBPyConnection, username: str, client: str,
             now: datetime) -> LoginResult | None:
    """Why this attempt may not check a password, or ``None`` when it may."""
    until = _locked_until(cur, username, now)
    if until is not None:
        return LoginResult(Outcome.LOCKED, username, until)
    failures, in_flight = _since_last_success(cur, username, now)
    # Guesses in flight use up the username's allowance: if they all fail, the last one locks
    # it. (Without any in flight, a count at the limit means an admin lifted the lock; then one
    # guess at a time may go, and its failure locks the username again.)
    if in_flight and failures >= MAX_FAILED_LOGINS:
        return LoginResult(Outcome.LOCKED, username, now + LOCKOUT)
    client_failures = cur.execute(
        "SELECT attempted_at FROM login_attempts WHERE client = ? AND NOT succeeded"
        " AND attempted_at > ? ORDER BY attempted_at DESC LIMIT ?",
        [client, now - CLIENT_WINDOW, MAX_CLIENT_FAILURES],
    ).fetchall()
    until = _limit_ends(client_failures, MAX_CLIENT_FAILURES, CLIENT_WINDOW)
    if until is not None:
        return LoginResult(Outcome.CLIENT_LIMIT, username, until)
    everyone = cur.execute(
        "SELECT attempted_at FROM login_attempts WHERE attempted_at > ?"
        " ORDER BY attempted_at DESC LIMIT ?",
        [now - GLOBAL_WINDOW, MAX_ATTEMPTS_PER_MINUTE],
    ).fetchall()
    until = _limit_ends(everyone, MAX_ATTEMPTS_PER_MINUTE, GLOBAL_WINDOW)
    if until is not None:
        return LoginResult(Outcome.GLOBAL_LIMIT, username, until)
    return None


def _locked_until(cur: duckdb.DuckDBPyConnection, username: str,
                  now: datetime) -> datetime | None:
    row = cur.execute(
        "SELECT locked_until FROM login_lockouts WHERE username = ? AND locked_until > ?",
        [username, now],
    ).fetchone()
    return None if row is None else row[0]


def locked_until(
    conn: duckdb.DuckDBPyConnection, username: str, now: datetime | None = None
) -> datetime | None:
    """Until when logins for ``username`` are refused, or ``None`` when they are not."""
    return _locked_until(conn.cursor(), username, now or utc_now())


# --- Recording ------------------------------------------------------------------------------------

def _details(**values: object) -> dict[str, object] | None:
    kept = {key: value for key, value in values.items() if value is not None}
    return kept or None


def _audit_refusal(cur: duckdb.DuckDBPyConnection, refusal: LoginResult,
                   client: str | None) -> None:
    assert refusal.until is not None
    key = "locked_until" if refusal.outcome is Outcome.LOCKED else "until"
    log_event(cur, refusal.username, _REFUSAL_ACTIONS[refusal.outcome], refusal.username,
              _details(**{key: refusal.until.isoformat()}, client=client))


def _after_attempt(cur: duckdb.DuckDBPyConnection, username: str, succeeded: bool,
                   now: datetime, **details: object) -> datetime | None:
    """Audit a checked attempt; lock the username if this failure is its 5th in the window.
    Returns the lock's end if this attempt caused one."""
    log_event(cur, username, "login" if succeeded else "login_failed", None, _details(**details))
    if succeeded:
        return None
    failures, in_flight = _since_last_success(cur, username, now)
    if failures - in_flight < MAX_FAILED_LOGINS:
        return None
    until = now + LOCKOUT
    cur.execute(
        "INSERT INTO login_lockouts (username, locked_until) VALUES (?, ?)"
        " ON CONFLICT (username) DO UPDATE SET locked_until = excluded.locked_until",
        [username, until],
    )
    log_event(cur, username, "login_locked", username, {"until": until.isoformat()})
    return until


def record_login_attempt(
    conn: duckdb.DuckDBPyConnection, username: str, succeeded: bool,
    now: datetime | None = None, *, client: str | None = None,
) -> datetime | None:
    """Record an attempt whose password was checked elsewhere (and audit it); return the
    lockout end if this attempt caused one.

    The 5th failure within 15 minutes (counted since the last success) locks the username for
    15 minutes, across sessions and reloads. The login form goes through :func:`attempt_login`.
    """
    at = now or utc_now()

    def work(cur: duckdb.DuckDBPyConnection) -> datetime | None:
        cur.execute(
            "INSERT INTO login_attempts (username, attempted_at, succeeded, client)"
            " VALUES (?, ?, ?, ?)",
            [username, at, succeeded, client],
        )
        return _after_attempt(cur, username, succeeded, at, client=client)

    return _write(conn, work)


def record_refused_login(
    conn: duckdb.DuckDBPyConnection, username: str, until: datetime, *,
    client: str | None = None,
) -> None:
    """Audit a login refused because ``username`` is locked until ``until`` (no password).

    Refused attempts are not login attempts: they neither count towards a new lockout nor
    extend or lift the current one, so the lock ends when it said it would.
    """
    refusal = LoginResult(Outcome.LOCKED, username, until)
    _write(conn, lambda cur: _audit_refusal(cur, refusal, client))


# --- The door -------------------------------------------------------------------------------------

def _stored_hash(conn: duckdb.DuckDBPyConnection, username: str) -> str | None:
    row = conn.cursor().execute(
        "SELECT password_hash FROM app_users WHERE username = ?", [username]
    ).fetchone()
    return None if row is None else str(row[0])


def attempt_login(
    conn: duckdb.DuckDBPyConnection, username: str, password: str,
    client: str | None = None, *, now: datetime | None = None,
) -> LoginResult:
    """Try ``username`` and ``password`` for a browser at ``client`` (its IP address, if known).

    In order: bound the input, reserve the attempt within the limits (or refuse and audit it),
    check the password with bcrypt (against a dummy hash for an unknown username), then record
    the outcome, which may lock the username. The reservation is resolved whatever happens
    during the check, so an error never leaves an attempt in flight. ``now`` is for tests.
    """
    dummy = _dummy_hash()  # the first attempt of a process pays for it, whichever username
    name = username.strip().lower()
    recorded = name[:MAX_USERNAME_CHARS]
    too_long = len(name) > MAX_USERNAME_CHARS or _password_too_long(password)
    bucket = client_bucket(client)
    at = now or utc_now()

    def reserve(cur: duckdb.DuckDBPyConnection) -> LoginResult | int:
        refusal = _refusal(cur, recorded, bucket, at)
        if refusal is not None:
            _audit_refusal(cur, refusal, bucket)
            return refusal
        row = cur.execute(
            "INSERT INTO login_attempts (username, attempted_at, succeeded, pending, client)"
            " VALUES (?, ?, false, true, ?) RETURNING id",
            [recorded, at, bucket],
        ).fetchone()
        assert row is not None
        return int(row[0])

    reservation = _write(conn, reserve)
    if isinstance(reservation, LoginResult):
        return reservation

    succeeded = False
    try:
        if not too_long:
            stored = _stored_hash(conn, recorded)
            matches = password_matches(password.strip(), dummy if stored is None else stored)
            succeeded = matches and stored is not None
    finally:
        done = now or utc_now()

        def resolve(cur: duckdb.DuckDBPyConnection) -> datetime | None:
            cur.execute("UPDATE login_attempts SET pending = false, succeeded = ? WHERE id = ?",
                        [succeeded, reservation])
            return _after_attempt(cur, recorded, succeeded, done, client=bucket,
                                  reason="too long" if too_long else None)

        lock = _write(conn, resolve)
    return LoginResult(Outcome.SUCCEEDED if succeeded else Outcome.FAILED, recorded, lock)
