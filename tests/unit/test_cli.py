from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from crm_dash.cli import main
from crm_dash.errors import EXIT_BUSY
from crm_dash.months import last_complete_month
from tests.conftest import PROJECT_ROOT


def test_status_json_reports_the_fixture_inventory(
    fixture_db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--db", str(fixture_db_path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["people"] == 6
    assert payload["integration_accounts"] == 1
    rows = {d["kind"]: d["rows"] for d in payload["datasets"]}
    assert rows == {"users": 7, "usage": 12, "pipeline": 4, "training": 5}
    assert payload["is_demo"] is False


def test_status_text_for_people(fixture_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--db", str(fixture_db_path)]) == 0
    out = capsys.readouterr().out
    assert "people: 6" in out and "usage" in out


def test_error_goes_to_stderr_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--db", str(tmp_path / "nope.duckdb")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "No database at" in captured.err


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--end-month", "2026/10"])
    assert exc.value.code == 2
    assert "YYYY-MM" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "option"),
    [(["demo"], "--end-month"), (["report"], "--month"), (["goal", "status", "1"], "--as-of")],
)
def test_every_month_option_reads_yyyy_mm_alike(
    argv: list[str], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*argv, option, "2026-13"])
    assert exc.value.code == 2
    assert f"argument {option}: expected YYYY-MM, got '2026-13'" in capsys.readouterr().err


def test_demo_keeps_an_existing_database(
    fixture_db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fixture_db_path.read_bytes()
    assert main(["demo", "--db", str(fixture_db_path), "--if-missing", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "exists"
    assert main(["demo", "--db", str(fixture_db_path)]) == 1
    assert "--force" in capsys.readouterr().err
    assert fixture_db_path.read_bytes() == before


def test_migrate_creates_the_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate", "--db", str(tmp_path / "new.duckdb"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["schema_versions"][0] == 1


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 11, 23), date(2026, 10, 1)), (date(2026, 1, 1), date(2025, 12, 1))],
)
def test_last_complete_month(today: date, expected: date) -> None:
    assert last_complete_month(today) == expected


def test_user_add_without_a_terminal_asks_for_password_stdin(tmp_path: Path) -> None:
    # A new session has no controlling terminal, so getpass falls back to the empty stdin.
    done = subprocess.run(
        [sys.executable, "-m", "crm_dash.cli", "user", "add", "eve", "--role", "executive",
         "--db", str(tmp_path / "u.duckdb")],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        start_new_session=True, cwd=PROJECT_ROOT,
    )
    assert done.returncode == 1
    assert "No password could be read" in done.stderr and "--password-stdin" in done.stderr
    assert "Traceback" not in done.stderr and "GetPassWarning" not in done.stderr


@pytest.fixture
def held_database(tmp_path: Path) -> Iterator[Path]:
    """A migrated database that another process holds open for writing (like the running app)."""
    database = tmp_path / "held.duckdb"
    assert main(["migrate", "--db", str(database)]) == 0
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
         " sys.stdin.read()", str(database)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        yield database
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_database_held_by_another_process_is_busy_with_exit_75(
    held_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["user", "list", "--db", str(held_database)]) == EXIT_BUSY == 75
    err = capsys.readouterr().err
    assert "Database is busy" in err and "Another crm-dash process" in err
    assert "try again" in err.lower() and "Traceback" not in err


def test_import_into_a_held_database_exits_75_without_a_traceback(
    held_database: Path, tmp_path: Path
) -> None:
    export = tmp_path / "users.csv"
    export.write_text("email,name\nanna@example.com,Anna\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "crm_dash.cli", "import", str(export), "--kind", "users",
         "--db", str(held_database)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 75, done.stderr
    assert "Database is busy" in done.stderr and "another import" in done.stderr
    assert "Traceback" not in done.stderr


def test_run_refuses_a_bad_cookie_key_file_before_starting_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken login secret is reported in the terminal, not at the first login in a browser."""
    monkeypatch.delenv("CRM_DASH_COOKIE_KEY", raising=False)
    key_file = tmp_path / ".cookie_key"
    key_file.write_text("")
    started: list[object] = []
    monkeypatch.setattr(subprocess, "call", lambda *a, **k: started.append(a) or 0)
    assert main(["run", "--db", str(tmp_path / "crm.duckdb")]) == 1
    assert started == []
    assert "holds no valid key" in capsys.readouterr().err
    key_file.unlink()
    assert main(["run", "--db", str(tmp_path / "crm.duckdb")]) == 0
    assert len(started) == 1 and len(key_file.read_text()) >= 32
