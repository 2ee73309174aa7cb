"""What a login attempt costs for a known and an unknown username (issue 15; not run in CI).

A wrong password for a known user and any password for an unknown user must take the same
time, or the answer time tells which usernames exist. Both go through
``crm_dash.login_limits.attempt_login`` against a fresh database file, interleaved, with the
clock moved on between attempts so that no lockout or limit refuses one. Prints the median
and the spread in milliseconds.

    .venv/bin/python bench/login_timing.py [--rounds 21]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from crm_dash import auth, db, login_limits
from crm_dash.pages import Role

PASSWORD = "correct horse battery"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21, help="attempts per case (default 21)")
    rounds = parser.parse_args().rounds

    with tempfile.TemporaryDirectory() as folder:
        conn = db.connect(Path(folder) / "timing.duckdb")
        auth.add_user(conn, "anna", PASSWORD, Role.LEAD, actor="bench")
        clock = [datetime(2030, 1, 1)]

        def attempt(username: str, password: str) -> Callable[[], object]:
            def run() -> object:
                clock[0] += timedelta(hours=1)  # past every window: nothing is refused
                return login_limits.attempt_login(conn, username, password, "192.0.2.1",
                                                  now=clock[0])
            return run

        cases = {
            "known user, wrong password": attempt("anna", "wrong password!"),
            "unknown user": attempt("nobody-here", "wrong password!"),
            "known user, right password": attempt("anna", PASSWORD),
            "5,000,000-character username": attempt("x" * 5_000_000, "wrong password!"),
        }
        attempt("warm-up", "x")()  # the process's dummy hash is made by its first attempt
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(rounds):
            for name, run in cases.items():  # interleaved, so drift hits every case alike
                start = time.perf_counter()
                run()
                times[name].append((time.perf_counter() - start) * 1000)
        conn.close()

    stored = auth.hash_password(PASSWORD).split("$")[2]
    print(f"login attempt cost, bcrypt cost {stored}, {rounds} attempts each (ms)")
    print(f"{'case':<32} {'median':>8} {'min':>8} {'max':>8}")
    for name, values in times.items():
        print(f"{name:<32} {statistics.median(values):8.1f} {min(values):8.1f} "
              f"{max(values):8.1f}")
    known = statistics.median(times["known user, wrong password"])
    unknown = statistics.median(times["unknown user"])
    print(f"unknown / known (wrong password): {unknown / known:.2f}")


if __name__ == "__main__":
    main()
