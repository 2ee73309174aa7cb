"""Unknown is not zero: figures whose input is missing are None, with the reason and the fix.

Data: tests/unknown_company.py (the figures and why each is unknown are listed there).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from crm_dash import db
from crm_dash.cli import main
from crm_dash.datasets import DatasetKind
from crm_dash.metrics.adoption import months_without_writes
from crm_dash.metrics.gaps import FieldGap, field_gap, gap_text
from crm_dash.metrics.pipeline import pipeline_summary
from crm_dash.metrics.pipeline.groups import owner_table, segments_in
from crm_dash.metrics.pipeline.owners import pipeline_data
from crm_dash.metrics.training import training_summary
from crm_dash.retro.evidence import EvidenceInputs, pipeline_hygiene, trained_everyone
from tests.unknown_company import LOGINS_ONLY, build

OCTOBER = date(2026, 10, 1)


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("unknown") / "unknown.duckdb")


@pytest.fixture
def conn(company: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = db.connect(company)
    yield connection
    connection.close()


def test_pipeline_figures_without_their_field_are_unknown(conn: duckdb.DuckDBPyConnection
                                                          ) -> None:
    summary = pipeline_summary(conn)
    assert summary is not None
    # 4 open (C1, C2, C3, C6), worth 10,000 + 20,000 + 5,000 + 1,000: the amount is mapped.
    assert (summary.open, summary.open_value) == (4, 36000.0)
    assert summary.open_overdue_share is None  # "Abschlussdatum" left unmapped
    assert summary.open_stale_30d_share is None  # no last-change column at all
    assert summary.open_with_next_step_share is None  # no next-step column
    assert summary.hygiene_score is None
    assert summary.open_missing_amount_share == 0.0  # every open one has an amount: a true 0
    # Without close dates the 12-month window of the win rate cannot be drawn either.
    assert summary.win_rate is None
    assert set(summary.unknown) == {"next_step", "overdue", "stale", "hygiene_score",
                                    "win_rate"}
    # No owner is blamed for a next step the export does not have: no reasons are left.
    data = pipeline_data(conn)
    assert data is not None
    assert owner_table(data, segments_in(pd.DataFrame(), None))["reasons"].map(len).sum() == 0


def test_the_reason_tells_an_unmapped_column_from_one_the_export_lacks(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    close = field_gap(conn, DatasetKind.PIPELINE, "close_date")
    assert close is not None
    assert close == FieldGap(DatasetKind.PIPELINE, "close_date", "unmapped",
                             column="Abschlussdatum", confidence=close.confidence,
                             file_name="chancen.csv")
    assert "'Abschlussdatum'" in gap_text(close, "en")
    assert "„Abschlussdatum“" in gap_text(close, "de")
    step = field_gap(conn, DatasetKind.PIPELINE, "next_step")
    assert step is not None and step.state == "not_in_export"
    assert "Add the column to the export" in gap_text(step, "en")
    cost = field_gap(conn, DatasetKind.USERS, "license_cost_monthly")
    assert cost is not None and (cost.state, cost.column) == ("unmapped",
                                                              "Lizenzkosten (EUR/Monat)")
    assert field_gap(conn, DatasetKind.PIPELINE, "amount") is None  # mapped and filled


def test_a_dataset_never_uploaded_is_no_data(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "empty.duckdb")
    gap = field_gap(conn, DatasetKind.PIPELINE, "close_date")
    assert gap is not None and gap.state == "no_data"
    conn.close()


def test_trained_share_is_unknown_when_no_learner_is_on_the_roster(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    summary = training_summary(conn, OCTOBER)
    # 3 records up to 31 Oct, none of whose Salesforce ids is on the roster of p1..p6.
    assert (summary.records, summary.learners_matched, summary.learners_unmatched) == (3, 0, True)
    assert summary.trained is None and summary.trained_share is None
    assert summary.onboarded_within_30_days_share is None
    assert summary.sessions_last_12_months == 2  # sessions count whoever attended them


def test_retro_evidence_gives_no_suggestion_on_unknown_figures(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    trained = trained_everyone(EvidenceInputs(conn, OCTOBER))
    assert (trained.has_data, trained.text_key) == (False, "retro.nodata.learners_unmatched")
    hygiene = pipeline_hygiene(EvidenceInputs(conn, OCTOBER))
    assert (hygiene.has_data, hygiene.text_key) == (False, "retro.nodata.pipeline_fields")


def test_report_json_gives_null_and_the_reason(
    company: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report", "--month", "2026-10", "--db", str(company), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["training"]["trained_share"] is None
    assert "None of the learners" in report["training"]["unknown"]["trained_share"]
    pipeline = report["pipeline"]
    assert (pipeline["open"], pipeline["open_overdue_share"], pipeline["open_value"]) == (
        4, None, 36000.0)
    assert "'Abschlussdatum'" in pipeline["unknown"]["open_overdue_share"]
    assert "has no such column" in pipeline["unknown"]["open_stale_30d_share"]
    assert main(["report", "--month", "2026-10", "--db", str(company)]) == 0
    text = capsys.readouterr().out
    assert "close date passed: -" in text and "unknown open_overdue_share:" in text


def test_report_of_a_login_history_gives_null_productive_and_sporadic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    company = build(tmp_path / "logins.duckdb", files=LOGINS_ONLY)
    assert main(["report", "--month", "2026-10", "--db", str(company), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # 6 people active on all 22 working days of October, not one write: barely and never are
    # known (0), productive and sporadic are not.
    assert report["segments"] == {"productive": None, "sporadic": None, "barely": 0,
                                  "never": 0, "new": 0}
    assert report["licensed"] == 6 and report["active_users"] == 6
    assert set(report["unknown"]) == {"segments.productive", "segments.sporadic"}
    assert "holds no write action (create, update)" in report["unknown"]["segments.productive"]


def test_no_goal_baseline_from_a_login_history(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    company = build(tmp_path / "logins.duckdb", files=LOGINS_ONLY)
    # Baseline month of a goal starting 1 Nov 2026: October, which records no write.
    assert main(["goal", "add", "--db", str(company), "--name", "x", "--department",
                 "Vertrieb Süd", "--start", "2026-11-01", "--months", "9",
                 "--target-pct", "20"]) == 1
    assert "baseline month October 2026 records no write" in capsys.readouterr().err


def test_a_month_without_writes_is_unknown_only_where_someone_could_be_productive() -> None:
    # September: nobody wrote, but nobody was active on 8 days either, so nobody can be
    # productive whatever the log records: productive 0 and sporadic are known. October:
    # no write, and Anna was active on 22 days: productive or sporadic, unknown which.
    frame = pd.DataFrame({
        "month": [date(2026, 9, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 10, 1)],
        "active_days": [1, 3, 22, 2], "writes": [0, 0, 0, 0]})
    assert months_without_writes(frame, productive_days=8, productive_writes=5) == frozenset(
        {date(2026, 10, 1)})
    # With productive needing no writes at all, writes are never missing.
    assert months_without_writes(frame, productive_days=8, productive_writes=0) == frozenset()
