"""The login holds under parallel attack (issue 15): reservations, client and global limits,
the same cost for unknown users, bounded input, and an audit event for every attempt."""

from __future__ import annotations

import json
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import bcrypt
import duckdb
import pytest

from crm_dash import auth, db, login_limits
from crm_dash.login_limits import LoginResult, Outcome
from crm_dash.pages import Role

PASSWORD = "correct horse battery"
T0 = datetime(2026, 11, 23, 9, 0, 0)
_REAL_CHECKPW = bcrypt.checkpw


class CountingCheck:
    """Stands in for ``bcrypt.checkpw`` and counts the passwords checked (thread-safe).

    ``real=True`` runs bcrypt, so parallel checks overlap as in the app; otherwise every
    password is wrong at once (for tests that need many attempts)."""

    def __init__(self, real: bool) -> None:
        self.real = real
        self.calls = 0
        self._count = threading.Lock()

    def __call__(self, password: bytes, hashed: bytes) -> bool:
        with self._count:
            self.calls += 1
        return _REAL_CHECKPW(password, hashed) if self.real else False


@pytest.fixture
def real_check(monkeypatch: pytest.MonkeyPatch) -> CountingCheck:
    check = CountingCheck(real=True)
    monkeypatch.setattr(bcrypt, "checkpw", check)
    return check


@pytest.fixture
def fast_check(monkeypatch: pytest.MonkeyPatch) -> CountingCheck:
    check = CountingCheck(real=False)
    monkeypatch.setattr(bcrypt, "checkpw", check)
    return check


@pytest.fixture
def anna(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A real database file holding the account ``anna`` (password :data:`PASSWORD`)."""
    connection = db.connect(tmp_path / "login.duckdb")
    auth.add_user(connection, "anna", PASSWORD, Role.LEAD, actor="test")
    yield connection
    connection.close()


def _attempt_events(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT actor, action FROM audit_log WHERE action IN"
        " ('login', 'login_failed', 'login_refused_locked', 'login_refused_client',"
        "  'login_refused_global') ORDER BY id"
    ).fetchall()
    return [(str(actor), str(action)) for actor, action in rows]


def _in_parallel(n: int, attempt: Callable[[int], LoginResult]) -> tuple[list[LoginResult],
                                                                         list[BaseException]]:
    """Run ``attempt(i)`` for i < n in n threads released at the same instant."""
    start = threading.Barrier(n)
    results: list[LoginResult] = []
    errors: list[BaseException] = []
    guard = threading.Lock()

    def run(i: int) -> None:
        start.wait()
        try:
            result = attempt(i)
        except BaseException as exc:  # the test asserts that none escapes
            with guard:
                errors.append(exc)
        else:
            with guard:
                results.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_fifteen_parallel_wrong_guesses_check_five_passwords_and_audit_all_fifteen(
    anna: duckdb.DuckDBPyConnection, real_check: CountingCheck
) -> None:
    # By hand: reservations are taken one at a time. Guesses 1-5 find fewer than 5 failures
    # (the reserved ones included) and are checked; from then on every guess finds 5 failures
    # with one in flight, or the lock the 5th failure wrote, and is refused unchecked. So 5
    # bcrypt checks, 5 "login_failed", 10 "login_refused_locked", one "login_locked".
    results, errors = _in_parallel(
        15, lambda i: login_limits.attempt_login(anna, "anna", f"wrong guess {i:02d}",
                                                 "203.0.113.9"))
    assert errors == []
    assert real_check.calls == 5
    assert Counter(r.outcome for r in results) == {Outcome.FAILED: 5, Outcome.LOCKED: 10}
    assert auth.locked_until(anna, "anna") is not None
    events = Counter(action for _, action in _attempt_events(anna))
    assert events == {"login_failed": 5, "login_refused_locked": 10}
    assert sum(events.values()) == 15  # every attempt, none lost
    assert anna.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'login_locked'").fetchone() == (1,)
    assert anna.execute(
        "SELECT count(*), count(*) FILTER (WHERE pending) FROM login_attempts").fetchone() == (5, 0)
    # the right password now is refused too, unchecked
    assert login_limits.attempt_login(anna, "anna", PASSWORD).outcome is Outcome.LOCKED
    assert real_check.calls == 5


def test_parallel_right_and_wrong_passwords_of_several_users_lose_nothing(
    tmp_path: Path, real_check: CountingCheck
) -> None:
    # 3 users x (2 wrong + 1 right) from 3 addresses, all at once: 9 attempts, each checked
    # (2 failures are under every limit), 9 audit events, 3 logins, nothing raised.
    conn = db.connect(tmp_path / "many.duckdb")
    for name in ("ada", "bob", "cy"):
        auth.add_user(conn, name, PASSWORD, Role.LEAD, actor="test")
    names = ["ada", "bob", "cy"]
    results, errors = _in_parallel(
        9, lambda i: login_limits.attempt_login(
            conn, names[i % 3], PASSWORD if i < 3 else "wrong password", f"192.0.2.{i % 3}"))
    assert errors == []
    assert real_check.calls == 9
    assert sorted(r.username for r in results if r.succeeded) == names
    assert Counter(action for _, action in _attempt_events(conn)) == {
        "login": 3, "login_failed": 6}
    conn.close()


def test_one_client_spread_over_usernames_is_refused_after_ten_failures(
    conn: duckdb.DuckDBPyConnection, fast_check: CountingCheck
) -> None:
    # By hand: 10 failures from one address within 15 minutes, over 10 usernames, are checked;
    # the 11th is refused unchecked until the oldest leaves the window (T0 + 15 min). Another
    # address is checked meanwhile; the first is checked again once the window has passed.
    attacker, other = "198.51.100.7", "198.51.100.8"
    for i in range(10):
        result = login_limits.attempt_login(conn, f"user{i}", "a guess", attacker,
                                            now=T0 + timedelta(seconds=i))
        assert result.outcome is Outcome.FAILED
    refused = login_limits.attempt_login(conn, "user10", "a guess", attacker,
                                         now=T0 + timedelta(minutes=1))
    assert refused == LoginResult(Outcome.CLIENT_LIMIT, "user10", T0 + timedelta(minutes=15))
    assert fast_check.calls == 10
    assert login_limits.attempt_login(conn, "user10", "a guess", other,
                                      now=T0 + timedelta(minutes=1)).outcome is Outcome.FAILED
    assert fast_check.calls == 11
    later = T0 + timedelta(minutes=15, seconds=1)
    assert login_limits.attempt_login(conn, "user11", "a guess", attacker,
                                      now=later).outcome is Outcome.FAILED
    details = conn.execute(
        "SELECT actor, target, details FROM audit_log WHERE action = 'login_refused_client'"
    ).fetchall()
    assert [(a, t) for a, t, _ in details] == [("user10", "user10")]
    assert json.loads(details[0][2]) == {"until": (T0 + timedelta(minutes=15)).isoformat(),
                                         "client": attacker}


def test_browsers_without_an_address_share_the_bucket_unknown(
    conn: duckdb.DuckDBPyConnection, fast_check: CountingCheck
) -> None:
    assert login_limits.client_bucket(None) == login_limits.client_bucket("  ") == "unknown"
    assert login_limits.client_bucket("2001:db8::1") == "2001:db8::1"
    for i in range(10):
        login_limits.attempt_login(conn, f"user{i}", "a guess", None if i % 2 else "",
                                   now=T0)
    assert login_limits.attempt_login(conn, "anna", "a guess", None,
                                      now=T0).outcome is Outcome.CLIENT_LIMIT
    assert fast_check.calls == 10


def test_the_installation_checks_at_most_sixty_passwords_a_minute(
    conn: duckdb.DuckDBPyConnection, fast_check: CountingCheck
) -> None:
    # By hand: 60 attempts from 60 addresses (one each, under every other limit) within a
    # minute are checked; the 61st, from a fresh address, is refused until the oldest is a
    # minute old (T0 + 1 min); a second after that, attempts are checked again.
    for i in range(60):
        assert login_limits.attempt_login(
            conn, f"user{i}", "a guess", f"10.0.{i // 250}.{i % 250}",
            now=T0 + timedelta(milliseconds=100 * i)).outcome is Outcome.FAILED
    refused = login_limits.attempt_login(conn, "anna", "a guess", "10.9.9.9",
                                         now=T0 + timedelta(seconds=30))
    assert refused == LoginResult(Outcome.GLOBAL_LIMIT, "anna", T0 + timedelta(minutes=1))
    assert fast_check.calls == 60
    assert login_limits.attempt_login(conn, "anna", "a guess", "10.9.9.9",
                                      now=T0 + timedelta(minutes=1, seconds=1)
                                      ).outcome is Outcome.FAILED
    assert fast_check.calls == 61
    assert Counter(a for _, a in _attempt_events(conn)) == {
        "login_failed": 61, "login_refused_global": 1}


@pytest.mark.parametrize("username", ["anna", "nobody", "not a valid name!"])
def test_known_and_unknown_users_cost_one_bcrypt_check_each(
    anna: duckdb.DuckDBPyConnection, real_check: CountingCheck, username: str
) -> None:
    result = login_limits.attempt_login(anna, username, "wrong password", "192.0.2.1")
    assert result.outcome is Outcome.FAILED
    assert real_check.calls == 1  # the unknown user's password is compared with a dummy hash


def test_the_dummy_hash_costs_as_much_as_a_stored_one(anna: duckdb.DuckDBPyConnection) -> None:
    stored = anna.execute("SELECT password_hash FROM app_users").fetchone()
    assert stored is not None
    cost = stored[0].split("$")[2]  # "$2b$12$…": the 12 is the cost
    assert login_limits._dummy_hash().split("$")[2] == cost
    assert login_limits._dummy_hash() is login_limits._dummy_hash()  # made once per process


def test_the_right_password_logs_in_and_is_audited(
    anna: duckdb.DuckDBPyConnection, real_check: CountingCheck
) -> None:
    result = login_limits.attempt_login(anna, "  ANNA ", f" {PASSWORD} ", "192.0.2.1")
    assert result == LoginResult(Outcome.SUCCEEDED, "anna", None)
    assert real_check.calls == 1
    assert anna.execute(
        "SELECT actor, details FROM audit_log WHERE action = 'login'").fetchall() == [
        ("anna", json.dumps({"client": "192.0.2.1"}))]


def _stored_bytes(conn: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Bytes the database holds: used blocks plus the write-ahead log (no checkpoint, so the
    new rows are in the log uncompressed)."""
    row = conn.execute("SELECT used_blocks, block_size FROM pragma_database_size()").fetchone()
    assert row is not None
    wal = path.with_name(path.name + ".wal")
    return int(row[0]) * int(row[1]) + (wal.stat().st_size if wal.exists() else 0)


def test_a_five_million_character_username_is_a_failure_stored_with_64_characters(
    tmp_path: Path, real_check: CountingCheck
) -> None:
    # Random hex does not compress: stored in full it would add about 5 MB (it did: 10 MB).
    path = tmp_path / "long.duckdb"
    conn = db.connect(path)
    login_limits.attempt_login(conn, "warm-up", "a guess", "192.0.2.1")
    before = _stored_bytes(conn, path)
    long_name = secrets.token_hex(2_500_000)
    result = login_limits.attempt_login(conn, long_name, "a guess", "192.0.2.1")
    assert result.outcome is Outcome.FAILED and result.username == long_name[:64]
    assert _stored_bytes(conn, path) - before < 100_000
    assert conn.execute("SELECT max(length(username)) FROM login_attempts").fetchone() == (64,)
    assert conn.execute(
        "SELECT max(length(actor)), max(length(target)), max(length(details)) FROM audit_log"
    ).fetchone()[0] == 64  # type: ignore[index]
    assert real_check.calls == 1  # the warm-up only: an over-long attempt is not hashed
    failed = conn.execute(
        "SELECT details FROM audit_log WHERE action = 'login_failed' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert failed is not None and json.loads(failed[0])["reason"] == "too long"
    conn.close()


@pytest.mark.parametrize("password", ["p" * 5_000_000, "ä" * 37, "x" * 73])
def test_a_password_longer_than_bcrypt_uses_fails_unhashed_and_counts(
    anna: duckdb.DuckDBPyConnection, real_check: CountingCheck, password: str
) -> None:
    result = login_limits.attempt_login(anna, "anna", password, "192.0.2.1")
    assert result.outcome is Outcome.FAILED
    assert real_check.calls == 0
    assert anna.execute(
        "SELECT count(*) FROM login_attempts WHERE username = 'anna' AND NOT succeeded"
    ).fetchone() == (1,)  # a guess all the same: it counts towards the lockout


def test_an_error_during_the_check_leaves_no_attempt_in_flight(
    anna: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(password: bytes, hashed: bytes) -> bool:
        raise RuntimeError("bcrypt is broken")

    monkeypatch.setattr(bcrypt, "checkpw", broken)
    with pytest.raises(RuntimeError):
        login_limits.attempt_login(anna, "anna", PASSWORD, "192.0.2.1")
    assert anna.execute(
        "SELECT succeeded, pending FROM login_attempts").fetchall() == [(False, False)]
    assert [a for _, a in _attempt_events(anna)] == ["login_failed"]


@pytest.mark.parametrize("conflict", [duckdb.TransactionException, duckdb.ConstraintException])
def test_a_write_write_conflict_is_retried_not_raised(
    conn: duckdb.DuckDBPyConnection, conflict: type[Exception]
) -> None:
    tries: list[int] = []

    def work(cur: duckdb.DuckDBPyConnection) -> str:
        tries.append(1)
        cur.execute("INSERT INTO audit_log (actor, action) VALUES ('t', 'probe')")
        if len(tries) < 3:
            raise conflict("TransactionContext Error: Failed to commit: conflict")
        return "done"

    assert login_limits._write(conn, work) == "done"
    assert len(tries) == 3
    # the failed tries were rolled back: one event, not three
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'probe'").fetchone() == (1,)


def test_a_lifted_lock_allows_one_guess_at_a_time(
    anna: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As before issue 15: a new password lifts the lock, but the 5 failures stay in the window,
    # so one guess may go (never several in parallel) and its failure locks again.
    monkeypatch.setattr(bcrypt, "checkpw", CountingCheck(real=False))
    now = auth.utc_now()
    for i in range(5):
        login_limits.attempt_login(anna, "anna", f"guess {i}", "192.0.2.1", now=now)
    assert auth.locked_until(anna, "anna", now) is not None
    auth.set_password(anna, "anna", "another long password", actor="admin")
    assert auth.locked_until(anna, "anna", now) is None
    relock = login_limits.attempt_login(anna, "anna", "guess 5", "192.0.2.2", now=now)
    assert relock.outcome is Outcome.FAILED and relock.until == now + login_limits.LOCKOUT
    auth.set_password(anna, "anna", "a third long password", actor="admin")
    monkeypatch.setattr(bcrypt, "checkpw", CountingCheck(real=True))
    assert login_limits.attempt_login(anna, "anna", "a third long password", "192.0.2.3",
                                      now=now).succeeded
