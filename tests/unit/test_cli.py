from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crm_dash.cli import last_complete_month, main


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
