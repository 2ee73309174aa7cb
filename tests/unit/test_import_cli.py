"""``crm-dash import``: the JSON contract and the exit codes."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest

from crm_dash import db
from crm_dash.cli import main

EXPORTS = Path(__file__).parent.parent / "fixtures" / "exports"
BAD = EXPORTS / "bad"
KEYS = ["batch_id", "kind", "status", "rows_read", "rows_loaded", "rows_rejected",
        "duplicates_skipped", "rejects"]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object], str]:
    code = main(["import", *args, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_json_of_a_loaded_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "crm.duckdb"
    code, payload, err = _run(capsys, str(EXPORTS / "salesforce_eventlog_login.csv"),
                              "--kind", "usage", "--db", str(database))
    assert code == 0 and err == ""
    assert list(payload) == KEYS
    assert payload == {"batch_id": 1, "kind": "usage", "status": "loaded", "rows_read": 3,
                       "rows_loaded": 3, "rows_rejected": 0, "duplicates_skipped": 0,
                       "rejects": []}
    conn = db.connect(database)
    assert conn.execute("SELECT source, imported_by, preset FROM import_batches").fetchall() == [
        ("cli", f"cli:{getpass.getuser()}", "salesforce_eventlog_login"),
    ]
    assert conn.execute("SELECT actor, action, target FROM audit_log").fetchall() == [
        (f"cli:{getpass.getuser()}", "import", "1"),
    ]
    conn.close()


def test_same_file_again_is_already_imported(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    args = (str(EXPORTS / "pipedrive_deals_de.csv"), "--kind", "pipeline",
            "--db", str(tmp_path / "crm.duckdb"))
    _run(capsys, *args)
    code, payload, _ = _run(capsys, *args)
    assert code == 0
    assert (payload["status"], payload["batch_id"], payload["rows_loaded"]) == (
        "already_imported", 1, 0)


def test_too_many_rejects_loads_nothing_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "crm.duckdb"
    code, payload, err = _run(capsys, str(BAD / "invalid_dates.csv"), "--kind", "usage",
                              "--db", str(database))
    assert code == 1
    assert (payload["status"], payload["batch_id"], payload["rows_loaded"]) == ("failed", None, 0)
    assert payload["rows_rejected"] == 3
    assert payload["rejects"] == [
        {"line": 5, "column": "Zeitstempel", "value": "31.02.2026 07:15",
         "reason": "not valid in the column's format dd.mm.yyyy [hh:mm]"},
        {"line": 7, "column": "Zeitstempel", "value": "gestern",
         "reason": "not valid in the column's format dd.mm.yyyy [hh:mm]"},
        {"line": 8, "column": "Benutzer-ID", "value": "", "reason": "required value missing"},
    ]
    assert "more than the allowed 1.00%" in err
    conn = db.connect(database)
    assert conn.execute("SELECT count(*) FROM usage_events").fetchone() == (0,)
    conn.close()


def test_a_higher_reject_rate_loads_the_valid_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload, _ = _run(capsys, str(BAD / "invalid_dates.csv"), "--kind", "usage",
                            "--max-reject-rate", "0.6", "--db", str(tmp_path / "crm.duckdb"))
    assert code == 0
    assert (payload["status"], payload["rows_loaded"], payload["rows_rejected"]) == (
        "loaded", 2, 3)
    assert len(payload["rejects"]) == 3  # reported either way


def test_unknown_columns_list_missing_fields_and_headers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload, err = _run(capsys, str(BAD / "wrong_columns.csv"), "--kind", "users",
                              "--db", str(tmp_path / "crm.duckdb"))
    assert code == 1 and payload["status"] == "failed"
    assert ("Required fields without a column: user_id. Map them to one of the columns found"
            " in the file: Kunde, Umsatz, Region.") in err


def test_map_option_fills_a_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, payload, _ = _run(capsys, str(BAD / "wrong_columns.csv"), "--kind", "users",
                            "--map", "user_id=Kunde", "--map", "department=Region",
                            "--db", str(tmp_path / "crm.duckdb"))
    assert code == 0 and payload["rows_loaded"] == 1
    conn = db.connect(tmp_path / "crm.duckdb")
    assert conn.execute("SELECT user_id, department FROM users").fetchall() == [
        ("Müller GmbH", "Süd")]
    conn.close()


def test_preset_option_and_unknown_preset(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    database = str(tmp_path / "crm.duckdb")
    code, payload, _ = _run(capsys, str(EXPORTS / "dynamics_audit.csv"), "--kind", "usage",
                            "--preset", "dynamics_audit", "--db", database)
    assert code == 0 and payload["rows_loaded"] == 5
    code, payload, err = _run(capsys, str(EXPORTS / "dynamics_audit.csv"), "--kind", "usage",
                              "--preset", "nope", "--db", database)
    assert code == 1 and "Unknown preset nope" in err


def test_bad_file_exits_1_with_message(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, payload, err = _run(capsys, str(BAD / "excel_renamed.csv"), "--kind", "users",
                              "--db", str(tmp_path / "crm.duckdb"))
    assert code == 1 and payload["status"] == "failed" and payload["rejects"] == []
    assert "Excel workbook (.xlsx)" in err


def test_bad_usage_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for bad in (["--kind", "people"], ["--kind", "usage", "--map", "user_id"],
                ["--kind", "usage", "--max-reject-rate", "2"]):
        with pytest.raises(SystemExit) as exc:
            main(["import", str(EXPORTS / "usage_e2e.csv"), *bad])
        assert exc.value.code == 2
    capsys.readouterr()


def test_text_output_for_people(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(EXPORTS / "lms_transcript.csv"), "--kind", "training",
                 "--db", str(tmp_path / "crm.duckdb")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == [
        "lms_transcript.csv: loaded (batch 1)",
        "  rows read 4, loaded 4, rejected 0, duplicates skipped 0",
    ]
