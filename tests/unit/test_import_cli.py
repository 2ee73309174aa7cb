"""``crm-dash import``: the JSON contract and the exit codes."""

from __future__ import annotations

import dataclasses
import getpass
import json
from pathlib import Path

import pytest

from crm_dash import db
from crm_dash.cli import main
from crm_dash.datasets import DatasetKind
from crm_dash.importing.problems import ImportProblem
from crm_dash.importing.run import inspect_file, named_preset

EXPORTS = Path(__file__).parent.parent / "fixtures" / "exports"
BAD = EXPORTS / "bad"
KEYS = ["batch_id", "kind", "status", "rows_read", "rows_loaded", "rows_rejected",
        "duplicates_skipped", "mapping", "unmapped_fields", "unused_columns", "warnings",
        "usage_not_in_roster", "rejects"]


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
    mapping = payload.pop("mapping")
    unused = payload.pop("unused_columns")
    assert payload == {"batch_id": 1, "kind": "usage", "status": "loaded", "rows_read": 3,
                       "rows_loaded": 3, "rows_rejected": 0, "duplicates_skipped": 0,
                       "unmapped_fields": ["object"], "warnings": [],
                       "usage_not_in_roster": None, "rejects": []}
    assert isinstance(mapping, dict) and isinstance(unused, list)
    # The Login log's derived (18-character, ISO) columns, its event type and login status; the
    # 15-character USER_ID and the compact TIMESTAMP stay unused, as do the 22 other columns.
    assert {f: (m["column"], m["level"]) for f, m in mapping.items()} == {
        "user_id": ("USER_ID_DERIVED", "sure"), "timestamp": ("TIMESTAMP_DERIVED", "sure"),
        "action": ("EVENT_TYPE", "sure"), "success": ("LOGIN_STATUS", "sure")}
    assert "known layout: Salesforce Event Monitoring: Login" in mapping["action"]["evidence"]
    assert len(unused) == 24 and {"USER_ID", "TIMESTAMP", "REQUEST_STATUS"} <= set(unused)
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
    assert code == 2 and payload["status"] == "failed"  # bad usage, reported like any failure
    assert err.strip() == (
        "Error: Import rejected: Unknown preset 'nope' for usage. Known presets: "
        "salesforce_loginhistory, salesforce_loginhistory_setup, salesforce_eventlog_login, "
        "salesforce_eventlog_lightningpageview, salesforce_eventlog_uri, "
        "salesforce_eventlog_api, dynamics_audit, dynamics_audit_view, dynamics_audit_view_de, "
        "generic.")


def test_unknown_preset_is_bad_usage_without_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "crm.duckdb"
    code = main(["import", str(EXPORTS / "lms_transcript.csv"), "--kind", "training",
                 "--preset", "nosuch", "--db", str(database)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Unknown preset 'nosuch' for training. Known presets: lms_transcript, generic." in err
    assert "KeyError" not in err and '"' not in err
    assert not database.exists()  # found out before anything was opened


def test_unknown_preset_in_german() -> None:
    with pytest.raises(ImportProblem) as exc:
        named_preset(DatasetKind.TRAINING, "nosuch")
    assert exc.value.text("de") == (
        "Unbekannte Vorlage 'nosuch' für training. Bekannte Vorlagen: lms_transcript, generic.")


@pytest.mark.parametrize("bad", [
    ["--map", "nofield=x"],  # a field the dataset does not have
    ["--map", "user_id=nosuchcolumn"],  # a column the file does not have
])
def test_every_failure_prints_the_failed_payload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: list[str]
) -> None:
    code, payload, err = _run(capsys, str(EXPORTS / "usage_e2e.csv"), "--kind", "usage", *bad,
                              "--db", str(tmp_path / "crm.duckdb"))
    assert code == 1
    assert list(payload) == KEYS
    mapping = payload.pop("mapping")
    unmapped = payload.pop("unmapped_fields")
    assert payload == {"batch_id": None, "kind": "usage", "status": "failed", "rows_read": 0,
                       "rows_loaded": 0, "rows_rejected": 0, "duplicates_skipped": 0,
                       "unused_columns": [], "warnings": [], "usage_not_in_roster": None,
                       "rejects": []}
    assert err.startswith("Error: Import rejected: ")
    if bad[1].startswith("user_id="):  # the file was read: the proposal is there to fix --map
        assert isinstance(mapping, dict) and mapping["user_id"]["column"] == "user_id"
        assert unmapped == []
    else:  # refused before the file was read
        assert (mapping, unmapped) == ({}, [])


def test_unknown_field_names_the_fields(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    code, _, err = _run(capsys, str(EXPORTS / "usage_e2e.csv"), "--kind", "usage",
                        "--map", "nofield=x", "--db", str(tmp_path / "crm.duckdb"))
    assert code == 1
    assert ("Unknown fields in the mapping: nofield. Fields of this dataset: user_id, timestamp,"
            " action, object, success.") in err


def test_a_missing_file_prints_the_failed_payload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload, err = _run(capsys, str(tmp_path / "nothing.csv"), "--kind", "users",
                              "--db", str(tmp_path / "crm.duckdb"))
    assert code == 1 and payload["status"] == "failed" and list(payload) == KEYS
    assert "No file at" in err


def test_map_column_ignores_case_and_spaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "benutzer.csv"
    roster.write_text("Personalnummer;Bereich\nP-17;Vertrieb\n", encoding="utf-8")
    code, payload, err = _run(capsys, str(roster), "--kind", "users",
                              "--map", "user_id= personalnummer ", "--map", "department=BEREICH",
                              "--db", str(tmp_path / "crm.duckdb"))
    assert (code, payload["status"], payload["rows_loaded"], err) == (0, "loaded", 1, "")
    conn = db.connect(tmp_path / "crm.duckdb")
    assert conn.execute("SELECT user_id, department FROM users").fetchall() == [
        ("P-17", "Vertrieb")]
    conn.close()


def test_map_column_exact_match_wins(tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "benutzer.csv"  # the second "id" is read as "id (2)"
    roster.write_text("ID,id,Abteilung\nA-1,b-1,Vertrieb\n", encoding="utf-8")
    for column, expected in (("ID", "A-1"), ("id", "A-1"), ("id (2)", "b-1"), ("ID (2)", "b-1")):
        database = tmp_path / f"{column}.duckdb"
        code, _, _ = _run(capsys, str(roster), "--kind", "users", "--map", f"user_id={column}",
                          "--db", str(database))
        assert code == 0, column
        conn = db.connect(database)
        assert conn.execute("SELECT user_id FROM users").fetchall() == [(expected,)], column
        conn.close()


def test_header_named_prefers_exact_and_refuses_to_guess(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "crm.duckdb")
    inspection = inspect_file(conn, EXPORTS / "usage_e2e.csv", DatasetKind.USAGE, tmp_path)
    conn.close()
    layout = dataclasses.replace(inspection.layout, headers=("Name", " name", "E-Mail", "Team"))
    inspection = dataclasses.replace(inspection, layout=layout)
    assert inspection.header_named(" name") == " name"  # exact
    assert inspection.header_named("NAME") == "NAME"  # two candidates: no guess
    assert inspection.header_named("e-mail") == "E-Mail"
    assert inspection.header_named("team ") == "Team"
    assert inspection.header_named("Abteilung") == "Abteilung"  # none: the check names it


def test_bad_file_exits_1_with_message(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, payload, err = _run(capsys, str(BAD / "excel_renamed.csv"), "--kind", "users",
                              "--db", str(tmp_path / "crm.duckdb"))
    assert code == 1 and payload["status"] == "failed" and payload["rejects"] == []
    assert "This workbook cannot be read: the file is damaged" in err


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
