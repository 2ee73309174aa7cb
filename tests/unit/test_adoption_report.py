"""`crm-dash report`: exactly the promised JSON, the hand-computed numbers, the pages' numbers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crm_dash import db
from crm_dash.cli import main
from crm_dash.datasets import DatasetKind
from crm_dash.fixtures import load_generic_csv
from crm_dash.metrics.adoption import filter_people, month_summary
from crm_dash.metrics.definitions import load_definition
from crm_dash.metrics.segments import available_months, user_months
from tests.conftest import FIXTURES, fixture_db


@pytest.fixture
def adoption_db(tmp_path: Path) -> Path:
    return fixture_db(FIXTURES / "adoption", tmp_path / "adoption.duckdb")


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["report", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_report_json_has_exactly_the_contract_and_the_hand_computed_figures(
    adoption_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _report(capsys, "--month", "2026-10", "--db", str(adoption_db)) == {
        "month": "2026-10",
        "department": None,
        "licensed": 12,
        "excluded_integration": 1,
        "segments": {"productive": 3, "sporadic": 3, "barely": 3, "never": 2, "new": 1},
        "active_users": 8,
        "stickiness": 0.1694,  # 42 / (31 * 8)
        "unknown": {},  # the log records writes in October
        "training": {
            # Anna (e-mail in capitals, September) and Clara (18-char id, 25 October) took part;
            # Bernd was a no-show and Kai's session is in November: 2 of 12 licensed.
            "trained_share": 0.1667,
            # CRM-Grundlagen on 15 Sep and on 25 Oct; 10 Oct had only a no-show.
            "sessions_last_12_months": 2,
            # Only Hanna (started 1 Oct) has had her 30 days by 31 Oct; untrained.
            "onboarded_within_30_days_share": 0.0,
            "unknown": {},
        },
        # No pipeline export in this fixture: every pipeline figure is unknown (null), not 0.
        "pipeline": {
            "open": None, "open_with_next_step_share": None, "open_stale_30d_share": None,
            "open_overdue_share": None, "open_value": None, "currency": None,
            "unknown": dict.fromkeys(("open", "open_with_next_step_share", "open_stale_30d_share",
                                      "open_overdue_share", "open_value"),
                                     "No pipeline export has been uploaded yet."),
        },
    }


def test_report_for_one_department(
    adoption_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _report(capsys, "--month", "2026-09", "--department", "Service",
                     "--db", str(adoption_db))
    # Ida barely (1 day), Jan sporadic (2), Kai productive (9 days, 6 writes).
    assert report["segments"] == {"productive": 1, "sporadic": 1, "barely": 1, "never": 0,
                                  "new": 0}
    assert (report["department"], report["licensed"], report["active_users"]) == (
        "Service", 3, 3)
    assert report["stickiness"] == round(12 / (30 * 3), 4)


def test_report_matches_what_the_pages_compute(
    adoption_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = db.connect(adoption_db)
    definition = load_definition(conn).definition
    months = available_months(conn, definition, date(2026, 11, 23))
    assert months is not None
    frame = user_months(conn, definition, months[0], months[2])  # what the pages load
    conn.close()
    for department in (None, "Vertrieb"):
        page = month_summary(filter_people(frame, department=department), date(2026, 10, 1))
        args = ["--month", "2026-10", "--db", str(adoption_db)]
        report = _report(capsys, *args, *(["--department", department] if department else []))
        assert report["licensed"] == page.licensed
        assert report["segments"] == page.segments
        assert report["active_users"] == page.active_users
        assert report["stickiness"] == round(page.stickiness or 0, 4)


def test_report_text_for_people(adoption_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--month", "2026-10", "--db", str(adoption_db)]) == 0
    out = capsys.readouterr().out
    assert "Adoption 2026-10 (all departments)" in out and "productive" in out


def test_report_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--month", "2026-10", "--db", str(tmp_path / "no.duckdb")]) == 1
    assert "No database at" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["report", "--month", "October"])
    assert exc.value.code == 2


def test_report_pipeline_figures_of_the_latest_snapshot(
    fixture_db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # tests/fixtures/generic/pipeline.csv, as of its latest change (28 Oct 2026): two open
    # opportunities; 006…1 has a next step, a close date ahead and was modified that day;
    # 006…2 has no next step, closed on paper on 30 Sep and was last modified on 11 Jun.
    report = _report(capsys, "--month", "2026-10", "--db", str(fixture_db_path))
    assert report["pipeline"] == {"open": 2, "open_with_next_step_share": 0.5,
                                  "open_stale_30d_share": 0.5, "open_overdue_share": 0.5,
                                  "open_value": 120000.0, "currency": "EUR", "unknown": {}}


@pytest.mark.parametrize("department", ["vertrieb", "Vertrieb Süd", "vertrieb süd", "IT"])
def test_report_refuses_a_department_the_roster_does_not_have(
    adoption_db: Path, capsys: pytest.CaptureFixture[str], department: str
) -> None:
    # Case matters, as for goals; IT holds only an integration account.
    args = ["report", "--month", "2026-10", "--department", department, "--db", str(adoption_db)]
    assert main([*args, "--json"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip() == (f"Error: Unknown department: There is no department {department!r} "
                           "in the roster (departments: Service, Vertrieb).")


def test_report_and_goal_add_refuse_an_unknown_department_alike(
    adoption_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--month", "2026-10", "--department", "Nord",
                 "--db", str(adoption_db)]) == 1
    report_error = capsys.readouterr().err
    assert main(["goal", "add", "--name", "x", "--department", "Nord", "--start", "2026-10-01",
                 "--db", str(adoption_db)]) == 1
    assert capsys.readouterr().err == report_error


@pytest.mark.parametrize("month", ["2026-12", "2030-01", "2026-07", "2019-01"])
def test_report_refuses_a_month_outside_the_usage_data(
    adoption_db: Path, capsys: pytest.CaptureFixture[str], month: str
) -> None:
    # The usage data runs from August 2026 to 1 November 2026 (Berlin).
    for extra in ([], ["--json"], ["--department", "Vertrieb"]):
        assert main(["report", "--month", month, "--db", str(adoption_db), *extra]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert err.strip() == (
            f"Error: Month not covered: The usage data covers 2026-08 to 2026-11 (complete "
            f"months up to 2026-10); there are no figures for {month}.")


def test_report_of_the_first_and_the_partly_covered_last_month(
    adoption_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _report(capsys, "--month", "2026-08", "--db", str(adoption_db))
    assert first["month"] == "2026-08"
    assert main(["report", "--month", "2026-11", "--db", str(adoption_db), "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["month"] == "2026-11"  # stdout stays the JSON contract
    assert "covers 2026-11 only in part" in err


def test_report_without_usage_data_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "roster-only.duckdb"
    conn = db.connect(path)
    load_generic_csv(conn, DatasetKind.USERS, FIXTURES / "adoption" / "users.csv")
    conn.close()
    assert main(["report", "--month", "2026-10", "--db", str(path), "--json"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "There is no usage data yet" in err
