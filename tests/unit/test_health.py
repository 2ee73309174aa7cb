"""Data health: each finding on a small database with hand-computed expectations, the all-clear
case, ``crm-dash check`` (exit codes, JSON) and the usage notice at upload time.

The databases come from ``tests/fixtures/health/{problems,clear}``; what each file holds and
what it must give is written beside each assertion.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from crm_dash import db
from crm_dash.cli import main
from crm_dash.datasets import DatasetKind
from crm_dash.db import transaction
from crm_dash.health.findings import HealthReport, health_report
from crm_dash.health.present import finding_text, report_text, summary_text
from crm_dash.importing.history import confirm_integrations
from crm_dash.importing.run import inspect_file, run_import
from crm_dash.store import BatchMeta, load_rows
from tests.conftest import FIXTURES, fixture_db

HEALTH = FIXTURES / "health"
TODAY = date(2026, 11, 2)


@pytest.fixture
def problems(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = db.connect(fixture_db(HEALTH / "problems", tmp_path / "problems.duckdb"))
    yield connection
    connection.close()


@pytest.fixture
def report(problems: duckdb.DuckDBPyConnection) -> HealthReport:
    return health_report(problems, TODAY)


def test_datasets_say_what_they_cover_and_where_they_came_from(report: HealthReport) -> None:
    usage = report.dataset(DatasetKind.USAGE)
    # usage.csv: 9 events, 1 June to 30 October 2026 (UTC 09:00 is the same day in Berlin);
    # 30 October reaches October's end closely enough for the months rule in force.
    assert (usage.rows, usage.first, usage.last) == (9, date(2026, 6, 1), date(2026, 10, 30))
    assert usage.first_month == date(2026, 6, 1)
    assert usage.complete_through is not None and usage.complete_through >= date(2026, 9, 1)
    assert (usage.file_name, usage.uploaded_by) == ("usage.csv", "fixture")
    roster = report.dataset(DatasetKind.USERS)
    assert (roster.rows, roster.uploads, roster.complete_through) == (7, 1, None)


def test_usage_ids_not_on_the_roster(report: HealthReport) -> None:
    found = report.finding("usage_not_in_roster")
    assert found is not None
    # Two GUIDs (3 events and 1 event, one with braces) name nobody in a roster of Salesforce
    # ids: 2 ids, 4 of the 9 events.
    assert (found.count, found.part, found.whole) == (2, 4, 9)
    assert found.share == pytest.approx(4 / 9)
    assert found.examples == ("3f2504e0-4f89-11d3-9a0c-0305e82c3301",
                              "{7c9e6679-7425-40de-944b-e07fc1f90ae7}")
    assert (found.cause, found.shape, found.roster_shape) == ("other_system", "guid",
                                                              "salesforce")
    text = finding_text(found, "en")
    assert text.title.startswith("2 user ids of the usage log are not on the roster: 4 of 9"
                                 " events (44%)")
    assert "GUIDs" in text.cause and "Salesforce user ids" in text.cause
    assert "4 von 9 Ereignissen (44\u00a0%)" in finding_text(found, "de").title


def test_learners_and_owners_not_on_the_roster(report: HealthReport) -> None:
    learners = report.finding("learners_not_in_roster")
    # training.csv: anna@x.de is on the roster (by e-mail); zoe@x.de (2 of 3 records) is not,
    # and the roster has e-mails, so she is simply missing from it.
    assert learners is not None
    assert (learners.count, learners.part, learners.whole) == (1, 2, 3)
    assert (learners.examples, learners.cause) == (("zoe@x.de",), "not_on_roster")
    owners = report.finding("owners_not_in_roster")
    # pipeline.csv: an id and "Bauer, Ben" (Ben Bauer by name) match; "Xaver Unbekannt" owns
    # 2 of the 4 opportunities and matches nobody.
    assert owners is not None
    assert (owners.count, owners.part, owners.whole) == (1, 2, 4)
    assert (owners.examples, owners.shape) == (("Xaver Unbekannt",), "name")


def test_possible_leavers(report: HealthReport) -> None:
    found = report.finding("possible_leavers")
    # Usage ends 30 October; 90 days before is 1 August. Carla (last active 10 June) and
    # "Ben Bauer (alt)" (never) have no end date; Dora has one; Anna, Ben and SAP Sync were
    # active in October; the integration account is left out. Share: 2 of the 6 people.
    assert found is not None
    assert (found.count, found.whole) == (2, 6)
    assert found.examples == ("Ben Bauer (alt)", "Carla Christ")
    assert found.values == {"days": 90, "end": date(2026, 10, 30), "never": 1}
    assert "(30 Oct 2026)" in finding_text(found, "en").title
    assert "(30.10.2026)" in finding_text(found, "de").title


def test_same_email_under_two_ids(report: HealthReport) -> None:
    found = report.finding("shared_email")
    # "ben@x.de" and "  BEN@x.de " (trimmed, lower-case) are the same address.
    assert found is not None
    assert (found.count, found.part) == (1, 2)
    assert found.examples == ("ben@x.de: 005A00000000002AAA, 005A00000000005AAA",)


def test_integration_accounts_to_flag_and_to_confirm(
    problems: duckdb.DuckDBPyConnection, report: HealthReport
) -> None:
    unflagged = report.finding("integration_unflagged")
    assert unflagged is not None and unflagged.examples == ("SAP Sync (sync)",)
    waiting = report.finding("integration_to_confirm")
    # "Integration Marketo" is flagged by the roster (profile "API Only") and not confirmed.
    assert waiting is not None and waiting.examples == ("Integration Marketo",)
    assert confirm_integrations(problems, {"005A00000000007"}, "lead") == 1
    assert health_report(problems, TODAY).finding("integration_to_confirm") is None


def test_every_finding_needs_attention_and_reads_in_both_languages(report: HealthReport) -> None:
    assert [f.code for f in report.findings] == [
        "usage_not_in_roster", "learners_not_in_roster", "owners_not_in_roster",
        "possible_leavers", "shared_email", "integration_unflagged", "integration_to_confirm"]
    assert report.needs_attention and len(report.attention) == 7
    assert summary_text(report, "en").startswith("Data health: 7 findings need attention.")
    assert "Datenqualität: 7 Befunde" in summary_text(report, "de")
    assert "Beispiele: SAP Sync (sync)" in report_text(report, "de")


def test_all_clear(tmp_path: Path) -> None:
    # Everyone on the roster was active in October, learners and owners match by e-mail or id.
    conn = db.connect(fixture_db(HEALTH / "clear", tmp_path / "clear.duckdb"))
    try:
        report = health_report(conn, TODAY)
    finally:
        conn.close()
    assert report.findings == ()
    assert not report.needs_attention
    assert summary_text(report, "en") == "Data health: nothing needs attention."


def test_nothing_uploaded(conn: duckdb.DuckDBPyConnection) -> None:
    report = health_report(conn, TODAY)
    assert [(f.code, f.values["dataset"], f.attention) for f in report.findings] == [
        ("no_data", "users", True), ("no_data", "usage", True),
        ("no_data", "pipeline", False), ("no_data", "training", False)]


def _load(conn: duckdb.DuckDBPyConnection, kind: DatasetKind, csv: str, tmp_path: Path,
          gaps: dict[str, dict[str, object]] | None = None) -> None:
    path = tmp_path / f"{kind.value}.csv"
    path.write_text(csv, encoding="utf-8")
    meta = BatchMeta(kind=kind, file_name=path.name, content_sha256=kind.value,
                     imported_by="test", source="fixture", field_gaps=gaps)
    with transaction(conn) as cur:
        cur.execute("CREATE OR REPLACE TEMP TABLE s AS SELECT * FROM read_csv(?, header = true,"
                    " all_varchar = true)", [str(path)])
        load_rows(cur, "s", meta)


def test_learners_by_email_while_the_roster_has_no_email_column_mapped(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # The roster upload left its column "Mail" unmapped (the mapper was 80 % sure); the
    # learners are e-mails, so none of them can be matched: the cause names the column.
    _load(conn, DatasetKind.USERS, "user_id,name\nP1,Anna Alt\nP2,Ben Bauer\n", tmp_path,
          {"email": {"column": "Mail", "confidence": 0.8}})
    _load(conn, DatasetKind.TRAINING, "user,course,date\nanna@x.de,Kick-off,2026-03-02\n"
          "ben@x.de,Kick-off,2026-03-02\n", tmp_path)
    found = health_report(conn, TODAY).finding("learners_not_in_roster")
    assert found is not None
    assert (found.count, found.part, found.whole, found.cause) == (2, 2, 2, "roster_no_email")
    assert found.gap is not None and (found.gap.state, found.gap.column) == ("unmapped", "Mail")
    cause = finding_text(found, "en").cause
    assert cause.startswith("They are e-mail addresses, but the roster has no e-mail")
    assert "the column 'Mail' of 'users.csv' looks like it (80 % sure)" in cause


def test_check_command_exit_codes_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problems = fixture_db(HEALTH / "problems", tmp_path / "problems.duckdb")
    assert main(["check", "--db", str(problems), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["needs_attention"] is True
    usage = payload["findings"][0]
    assert {k: usage[k] for k in ("code", "count", "part", "whole", "share", "cause")} == {
        "code": "usage_not_in_roster", "count": 2, "part": 4, "whole": 9, "share": 0.4444,
        "cause": "other_system"}
    assert usage["title"].startswith("2 user ids") and usage["action"]
    assert [d["dataset"] for d in payload["datasets"]] == ["users", "usage", "pipeline",
                                                           "training"]
    clear = fixture_db(HEALTH / "clear", tmp_path / "clear.duckdb")
    assert main(["check", "--db", str(clear), "--lang", "de"]) == 0
    assert "Nichts ist zu tun" in capsys.readouterr().out


USAGE_CSV = """user_id,timestamp,action
005A00000000001AAA,2026-10-05T07:10:00Z,login
005A00000000001,2026-10-06T08:00:00Z,update
005A00000000002AAA,2026-10-06T09:00:00Z,login
3f2504e0-4f89-11d3-9a0c-0305e82c3301,2026-10-05T07:10:00Z,login
3f2504e0-4f89-11d3-9a0c-0305e82c3301,2026-10-06T07:10:00Z,login
3F2504E0-4F89-11D3-9A0C-0305E82C3301,2026-10-07T07:10:00Z,login
"""


def test_usage_not_in_roster_shows_at_upload_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Roster: 005…001 and 005…002. Of the file's 6 events, 3 belong to one GUID (in two
    # spellings, one join key) that is not on the roster: 1 id, 3 of 6 events, 50 %.
    database = fixture_db(HEALTH / "clear", tmp_path / "crm.duckdb")
    path = tmp_path / "usage_new.csv"
    path.write_text(USAGE_CSV, encoding="utf-8")
    conn = db.connect(database)
    try:
        inspection = inspect_file(conn, path, DatasetKind.USAGE, tmp_path)
        check = run_import(conn, inspection, imported_by="lead", source="upload", commit=False)
    finally:
        conn.close()
    notice = next(n for n in check.notices if n.code == "usage_not_in_roster")
    assert notice.values == {"ids": 1, "events": 3, "total": 6, "pct": 50}
    # The exact count replaces the sample's estimate for the same column: one warning, not two.
    assert [n.code for n in check.notices].count("usage_not_in_roster") == 1
    assert not any(n.code == "not_in_roster" and n.field_name == "user_id"
                   for n in check.notices)
    assert notice.text(DatasetKind.USAGE, "en").startswith(
        "1 user id in this file is not on the roster: 3 of 6 events (50 %)")
    assert main(["import", str(path), "--kind", "usage", "--db", str(database), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["usage_not_in_roster"] == {"ids": 1, "events": 3, "total": 6, "share": 0.5}


def test_no_usage_notice_without_a_roster(conn: duckdb.DuckDBPyConnection,
                                          tmp_path: Path) -> None:
    path = tmp_path / "usage_new.csv"
    path.write_text(USAGE_CSV, encoding="utf-8")
    inspection = inspect_file(conn, path, DatasetKind.USAGE, tmp_path)
    check = run_import(conn, inspection, imported_by="lead", source="upload", commit=False)
    assert all(n.code != "usage_not_in_roster" for n in check.notices)
