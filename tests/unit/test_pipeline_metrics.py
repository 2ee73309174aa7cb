"""Pipeline metrics: outcomes, hygiene, owner matching, segments, departments, the report.

Expected figures are computed by hand in tests/fixtures/pipeline/README.md (the small fixture)
and in the docstring of :func:`test_salesforce_dataloader_sample` (the real Data Loader sample).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from crm_dash import db
from crm_dash.datasets import DatasetKind
from crm_dash.errors import ConfigError
from crm_dash.fixtures import load_generic_csv, load_generic_folder
from crm_dash.importing.run import inspect_file, run_import
from crm_dash.metrics.pipeline import pipeline_report, pipeline_summary
from crm_dash.metrics.pipeline.groups import (
    by_department,
    by_segment,
    latest_segments,
    owner_table,
    unmatched_owners,
)
from crm_dash.metrics.pipeline.outcomes import (
    CLASSIFIED_CTE,
    CLOSED_LABELS,
    WON_LABELS,
    outcome_params,
    save_stage_outcomes,
    stage_labels,
    stage_outcomes,
)
from crm_dash.metrics.pipeline.owners import PENALTIES, default_as_of, pipeline_data
from crm_dash.settings import setting_history
from tests.conftest import FIXTURES

EXPORTS = FIXTURES / "exports"
TODAY = date(2026, 11, 23)  # usage ends 1 Nov 2026: October is the latest complete month


@pytest.fixture
def pconn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The pipeline fixture: roster, a little usage and 17 opportunities."""
    connection = db.connect(tmp_path / "pipeline.duckdb")
    load_generic_folder(connection, FIXTURES / "pipeline")
    yield connection
    connection.close()


def _import(conn: duckdb.DuckDBPyConnection, path: Path, tmp: Path) -> None:
    """Import an export the way `crm-dash import` does (detection, preset, validation)."""
    report = run_import(conn, inspect_file(conn, path, DatasetKind.PIPELINE, tmp),
                        imported_by="test", source="cli")
    assert report.status == "loaded", report.problem


def test_penalties_add_up_to_100_and_labels_come_from_the_importer() -> None:
    assert sum(PENALTIES.values()) == 100
    assert "closed won" in WON_LABELS and "gewonnen" in WON_LABELS and "true" not in WON_LABELS
    assert "closed lost" in CLOSED_LABELS and "verloren" in CLOSED_LABELS
    assert "yes" not in CLOSED_LABELS


def test_headline_figures_of_the_fixture(pconn: duckdb.DuckDBPyConnection) -> None:
    s = pipeline_summary(pconn)
    assert s is not None
    assert (s.as_of, s.as_of_source) == (date(2026, 10, 31), "last_modified")
    assert (s.opportunities, s.open, s.won, s.lost, s.won_12m, s.lost_12m) == (17, 11, 3, 3, 3, 2)
    assert s.open_with_next_step_share == pytest.approx(7 / 11)
    assert s.open_overdue_share == pytest.approx(4 / 11)
    assert s.open_stale_30d_share == pytest.approx(3 / 11)
    assert s.open_missing_amount_share == pytest.approx(3 / 11)
    assert s.hygiene_score == pytest.approx(740 / 11)
    assert s.win_rate == pytest.approx(0.6)
    # Two currencies: no single total, each kept apart, never converted.
    assert s.open_value is None and s.currency is None
    assert s.open_value_by_currency == {"EUR": 70000.0, "USD": 8000.0}
    assert (s.owners, s.unmatched_owners, s.unmatched_opportunities) == (8, 2, 3)
    assert s.empty_fields == []


def test_one_department(pconn: duckdb.DuckDBPyConnection) -> None:
    s = pipeline_summary(pconn, department="Vertrieb")
    assert s is not None
    assert (s.open, s.won_12m, s.lost_12m, s.owners, s.unmatched_owners) == (8, 2, 2, 5, 0)
    assert s.open_with_next_step_share == pytest.approx(5 / 8)
    assert s.open_overdue_share == pytest.approx(3 / 8)
    assert s.open_stale_30d_share == pytest.approx(2 / 8)
    assert s.hygiene_score == pytest.approx(67.5)
    assert s.win_rate == pytest.approx(0.5)
    assert s.open_value_by_currency == {"EUR": 63000.0, "USD": 8000.0}


def test_each_outcome_rule(pconn: duckdb.DuckDBPyConnection) -> None:
    stages = stage_labels(pconn)
    found = {(r.stage, r.outcome, r.outcome_source): r.opportunities for r in stages.itertuples()}
    assert found == {
        ("Closed", "lost", "source"): 1,          # closed, won unknown, not a won label
        ("Closed Lost", "lost", "source"): 1,     # O04 flags
        ("Closed Lost", "lost", "label"): 1,      # O07: no flags, a known lost label
        ("Closed Won", "won", "source"): 2,       # O03, O16
        ("Closed Won", "open", "source"): 1,      # O13: the source's flags beat the label
        ("Gewonnen", "won", "label"): 1,
        ("Negotiation", "open", "source"): 2,
        ("Offen", "open", "label"): 1,
        ("Proposal", "open", "source"): 1,
        ("Prospecting", "open", "source"): 3,
        ("Qualification", "open", "source"): 1,
        ("Verhandlung", "open", "default"): 1,
        ("Vertrag unterschrieben", "open", "default"): 1,
    }


def test_a_custom_stage_mapped_by_the_setting(pconn: duckdb.DuckDBPyConnection) -> None:
    assert save_stage_outcomes(pconn, {"  Vertrag UNTERSCHRIEBEN ": "won"}, actor="lena")
    assert stage_outcomes(pconn) == {"vertrag unterschrieben": "won"}
    history = setting_history(pconn, "pipeline.stage_outcomes")
    assert [(h.changed_by, h.value) for h in history] == [
        ("lena", {"vertrag unterschrieben": "won"})]
    audit = pconn.execute("SELECT actor, details FROM audit_log WHERE target = ?",
                          ["pipeline.stage_outcomes"]).fetchall()
    assert audit == [("lena", json.dumps({"old": {}, "new": {"vertrag unterschrieben": "won"}}))]
    stages = stage_labels(pconn)
    row = stages[stages["stage"] == "Vertrag unterschrieben"].iloc[0]
    assert (row["outcome"], row["outcome_source"]) == ("won", "setting")
    s = pipeline_summary(pconn)
    assert s is not None
    assert (s.open, s.won_12m, s.lost_12m) == (10, 4, 2)
    assert s.open_with_next_step_share == pytest.approx(0.7)
    assert s.open_overdue_share == pytest.approx(0.3)
    assert s.open_stale_30d_share == pytest.approx(0.2)
    assert s.hygiene_score == pytest.approx(72.5)
    assert s.win_rate == pytest.approx(4 / 6)
    assert s.open_value_by_currency == {"EUR": 40000.0, "USD": 8000.0}
    assert not save_stage_outcomes(pconn, {"vertrag unterschrieben": "won"}, actor="lena")
    with pytest.raises(ConfigError):
        save_stage_outcomes(pconn, {"Vertrag unterschrieben": "maybe"}, actor="lena")


def test_the_setting_wins_over_the_source_flags(pconn: duckdb.DuckDBPyConnection) -> None:
    save_stage_outcomes(pconn, {"Closed Won": "lost"}, actor="lena")
    stages = stage_labels(pconn)
    closed_won = stages[stages["stage"] == "Closed Won"]
    assert closed_won[["outcome", "outcome_source", "opportunities"]].values.tolist() == [
        ["lost", "setting", 3]]


def test_owners_matched_by_id_email_and_unique_name(pconn: duckdb.DuckDBPyConnection) -> None:
    data = pipeline_data(pconn)
    assert data is not None
    _, segments = latest_segments(pconn, TODAY)
    table = owner_table(data, segments).set_index("name")
    assert table["matched_by"].fillna("–").to_dict() == {
        "Anna Amsel": "id", "Bruno Berg": "email", "Carla Cramer": "name", "Dora Dahl": "id",
        "Emil Eck": "id", "Frida Fink": "id", "Gerd Gast": "–", "Max Muster": "–",
    }
    # "Carla Cramer" and " carla cramer " are one person: both opportunities under her.
    assert table.loc["Carla Cramer", "opportunities"] == 2
    assert unmatched_owners(data).values.tolist() == [["Gerd Gast", 2, 1], ["Max Muster", 1, 1]]


def test_per_owner_shares_score_and_ranked_reasons(pconn: duckdb.DuckDBPyConnection) -> None:
    data = pipeline_data(pconn)
    assert data is not None
    _, segments = latest_segments(pconn, TODAY)
    table = owner_table(data, segments).set_index("name")
    anna = table.loc["Anna Amsel"]
    assert (anna["open"], anna["next_step_share"], anna["overdue_share"], anna["stale_share"],
            anna["missing_amount_share"], anna["hygiene_score"], anna["win_rate"]) == (
        2, 0.5, 0.5, 0.0, 0.5, 62.5, 1.0)
    assert table["hygiene_score"].to_dict() == {
        "Anna Amsel": 62.5, "Bruno Berg": 57.5, "Carla Cramer": 85.0, "Dora Dahl": 45.0,
        "Emil Eck": 85.0, "Frida Fink": 70.0, "Gerd Gast": 60.0, "Max Muster": 70.0}
    assert table["reasons"].to_dict() == {
        "Anna Amsel": ["no_next_step", "overdue", "no_amount"],
        "Bruno Berg": ["no_next_step", "overdue", "stale"],
        "Carla Cramer": ["no_amount"], "Dora Dahl": ["overdue", "stale"],
        "Emil Eck": ["no_next_step"], "Frida Fink": ["overdue"],
        "Gerd Gast": ["stale", "no_amount"], "Max Muster": ["no_next_step"],
    }
    assert table.loc["Bruno Berg", "open_value"] == 50000.0  # EUR, the main currency


def test_by_segment_of_the_latest_complete_month(pconn: duckdb.DuckDBPyConnection) -> None:
    data = pipeline_data(pconn)
    assert data is not None
    month, segments = latest_segments(pconn, TODAY)
    assert month == date(2026, 10, 1)
    frame = by_segment(data, segments).set_index("group")
    assert list(frame.index) == ["productive", "sporadic", "barely", "never", "new",
                                 "not_in_roster"]
    assert frame["owners"].tolist() == [1, 2, 1, 1, 1, 2]
    assert frame["open"].tolist() == [2, 3, 1, 1, 2, 2]
    assert frame["open_value"].tolist() == [10000.0, 54000.0, 0.0, 0.0, 3000.0, 3000.0]
    assert frame.loc["never", "open_value_by_currency"] == {"USD": 8000.0}
    assert frame["hygiene_score"].round(2).tolist() == [62.5, 61.67, 85.0, 45.0, 85.0, 65.0]
    assert frame["win_rate"].fillna(-1).tolist() == [1.0, 0.0, 1.0, 0.0, -1, 1.0]


def test_owners_without_usage_data_have_no_segment(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "no-usage.duckdb")
    load_generic_csv(conn, DatasetKind.USERS, FIXTURES / "pipeline" / "users.csv")
    load_generic_csv(conn, DatasetKind.PIPELINE, FIXTURES / "pipeline" / "pipeline.csv")
    month, segments = latest_segments(conn, TODAY)
    data = pipeline_data(conn)
    assert month is None and data is not None
    frame = by_segment(data, segments)
    assert frame[["group", "owners"]].values.tolist() == [["no_segment", 6],
                                                          ["not_in_roster", 2]]
    conn.close()


def test_by_department(pconn: duckdb.DuckDBPyConnection) -> None:
    data = pipeline_data(pconn)
    assert data is not None
    frame = by_department(data).set_index("group")
    assert list(frame.index) == ["Service", "Vertrieb", "not_in_roster"]
    assert frame["owners"].tolist() == [1, 5, 2]
    assert frame["open"].tolist() == [1, 8, 2]
    assert frame.loc["Vertrieb", "hygiene_score"] == 67.5
    assert frame.loc["Vertrieb", "next_step_share"] == 5 / 8
    assert frame.loc["Vertrieb", "win_rate"] == 0.5
    assert frame.loc["Vertrieb", "open_value_by_currency"] == {"EUR": 63000.0, "USD": 8000.0}


def test_as_of_default_and_a_given_date(pconn: duckdb.DuckDBPyConnection) -> None:
    assert default_as_of(pconn) == (date(2026, 10, 31), "last_modified")
    s = pipeline_summary(pconn, as_of=date(2026, 11, 20))
    assert s is not None and s.as_of_source == "given"
    assert s.open_overdue_share == pytest.approx(5 / 11)
    assert s.open_stale_30d_share == pytest.approx(7 / 11)


def test_as_of_is_the_import_day_without_last_modified_dates(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    _import(conn, EXPORTS / "salesforce_opportunity_report.csv", tmp_path)
    imported = conn.execute("SELECT CAST(max(imported_at) AS DATE) FROM import_batches"
                            ).fetchone()
    assert imported is not None
    assert default_as_of(conn) == (imported[0], "imported")


def test_the_latest_snapshot_of_each_opportunity_counts(
    pconn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    update = tmp_path / "pipeline.csv"
    update.write_text(
        "opportunity_id,owner,stage,amount,currency,close_date,last_modified_at,is_closed,is_won\n"
        "O15,Max Muster,Closed Won,3000.00,EUR,2026-11-02,2026-11-02T10:00:00Z,true,true\n",
        encoding="utf-8")
    load_generic_csv(pconn, DatasetKind.PIPELINE, update)
    s = pipeline_summary(pconn)
    assert s is not None
    assert (s.as_of, s.opportunities, s.open, s.won) == (date(2026, 11, 2), 17, 10, 4)


def test_no_pipeline_data(conn: duckdb.DuckDBPyConnection) -> None:
    assert pipeline_summary(conn) is None and pipeline_data(conn) is None
    report = pipeline_report(conn)
    # Without a pipeline export every figure is unknown (null), never 0, and says why.
    assert {k: report[k] for k in ("open", "open_with_next_step_share", "open_value")} == {
        "open": None, "open_with_next_step_share": None, "open_value": None}
    assert report["unknown"]["open"] == "No pipeline export has been uploaded yet."


def test_the_report_json(pconn: duckdb.DuckDBPyConnection) -> None:
    assert pipeline_report(pconn) == {"open": 11, "open_with_next_step_share": 0.6364,
                                      "open_stale_30d_share": 0.2727,
                                      "open_overdue_share": 0.3636,
                                      # EUR and USD amounts are never added up
                                      "open_value": None, "currency": None, "unknown": {
                                          "open_value": "The open amounts are in several "
                                                        "currencies: EUR, USD (never converted)."}}
    several = {"open_value": "The open amounts are in several currencies: EUR, USD (never "
                             "converted)."}
    assert pipeline_report(pconn, department="Vertrieb") == {
        "open": 8, "open_with_next_step_share": 0.625, "open_stale_30d_share": 0.25,
        "open_overdue_share": 0.375, "open_value": None, "currency": None, "unknown": several}
    # No open opportunity: the shares are of nothing, so unknown; the open value is a true 0.
    nothing = "No open opportunity: a share of nothing is unknown."
    assert pipeline_report(pconn, department="Nowhere") == {
        "open": 0, "open_with_next_step_share": None, "open_stale_30d_share": None,
        "open_overdue_share": None, "open_value": 0.0, "currency": None,
        "unknown": dict.fromkeys(("open_with_next_step_share", "open_stale_30d_share",
                                  "open_overdue_share"), nothing)}


def test_salesforce_dataloader_sample(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """The real Data Loader sample (38 rows, one owner, not in any roster), counted by hand.

    - as of: the latest LASTMODIFIEDDATE is 2006-06-16T00:30:20Z -> 16 Jun 2006.
    - ISCLOSED/ISWON: 8 rows true/true ("Closed Won"), 30 rows false/false: 30 open, 8 won, 0 lost.
    - NEXTSTEP filled on 17 of the 30 open rows (every Value Proposition, Negotiation/Review and
      Needs Analysis row, and the 4 Prospecting rows with an amount); empty on the 4 Id. Decision
      Makers, the 4 Proposal/Price Quote and the 5 Prospecting rows without an amount.
    - CLOSEDATE: every open row closes between 12 Dec 2005 and 6 Jun 2006, before the as-of
      date: all 30 overdue. LASTMODIFIEDDATE 15/16 Jun 2006: none stale.
    - AMOUNT empty on 5 open rows (the Prospecting rows closing 6 Jun 2006).
    - Scores: 17 rows lose 30 (overdue) = 70; 8 rows without next step lose 60 = 40; the 5
      without next step and amount lose 75 = 25: (17*70 + 8*40 + 5*25) / 30 = 1635 / 30 = 54.5.
    - Win rate: the 8 won closed on 9 Nov 2005, within 12 months before 16 Jun 2006: 8/8 = 1.
    - Open value (no currency column): 4 x 140,000 + 4 x 200,000 + 4 x 100,000 + 4 x 40,000
      + 4 x 500,000 + 4 x 20,000 + 70,000 = 4,070,000.
    """
    _import(conn, EXPORTS / "salesforce_dataloader_opportunity.csv", tmp_path)
    s = pipeline_summary(conn)
    assert s is not None
    assert (s.as_of, s.as_of_source) == (date(2006, 6, 16), "last_modified")
    assert (s.opportunities, s.open, s.won, s.lost, s.won_12m, s.lost_12m) == (38, 30, 8, 0, 8, 0)
    assert s.open_with_next_step_share == pytest.approx(17 / 30)
    assert s.open_overdue_share == 1.0
    assert s.open_stale_30d_share == 0.0
    assert s.open_missing_amount_share == pytest.approx(5 / 30)
    assert s.hygiene_score == pytest.approx(54.5)
    assert s.win_rate == 1.0
    assert (s.open_value, s.currency, s.open_value_by_currency) == (4070000.0, None,
                                                                   {"": 4070000.0})
    assert (s.owners, s.unmatched_owners, s.unmatched_opportunities) == (1, 1, 38)
    assert pipeline_report(conn) == {"open": 30, "open_with_next_step_share": 0.5667,
                                     "open_stale_30d_share": 0.0, "open_overdue_share": 1.0,
                                     "open_value": 4070000.0, "currency": None, "unknown": {}}


# Every pipeline export fixture: the outcome of each opportunity, read off the file by hand.
OUTCOME_CASES: list[tuple[str, dict[str, str]]] = [
    ("dynamics_opportunity.csv", {"5d000000-0000-0000-0000-000000000001": "open",
                                  "5d000000-0000-0000-0000-000000000002": "won",
                                  "5d000000-0000-0000-0000-000000000003": "lost"}),
    ("dynamics_opportunity_excel.csv", {"6e000000-0000-0000-0000-000000000001": "open",
                                        "6e000000-0000-0000-0000-000000000002": "won",
                                        "6e000000-0000-0000-0000-000000000003": "lost"}),
    ("dynamics_opportunity_excel_de.csv", {"7f000000-0000-0000-0000-000000000001": "open",
                                           "7f000000-0000-0000-0000-000000000002": "won",
                                           "7f000000-0000-0000-0000-000000000003": "lost"}),
    ("hubspot_deals_view.csv", {"18273645501": "open", "18273645502": "won",
                                "18273645503": "lost"}),
    ("hubspot_deals_all_properties.csv", {"18273645501": "open", "18273645502": "won"}),
    ("pipedrive_deals_en.csv", {"101": "open", "102": "won", "103": "lost"}),
    ("pipedrive_deals_de.csv", {"201": "open", "202": "won", "203": "lost"}),
    ("salesforce_opportunity_report.csv", {"006Dn00000XyZaBIAK": "open",
                                           "006Dn00000XyZaCIAK": "won",
                                           "006Dn00000XyZaDIAK": "lost"}),
    ("salesforce_opportunity_report_de.csv", {"Müller - Retrofit Linie 3": "open",
                                              "Weiß - Wartungsvertrag": "won"}),
    ("salesforce_opportunity_dataloader_lowercase.csv", {"006x0000001YtCrAAK": "won",
                                                         "006x0000001YtCsAAK": "won",
                                                         "006x0000001YtCtAAK": "open"}),
]


@pytest.mark.parametrize(("name", "expected"), OUTCOME_CASES, ids=[c[0] for c in OUTCOME_CASES])
def test_outcomes_of_every_pipeline_export(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, name: str, expected: dict[str, str]
) -> None:
    _import(conn, EXPORTS / name, tmp_path)
    rows = conn.execute("WITH " + CLASSIFIED_CTE + " SELECT opportunity_id, outcome"
                        " FROM classified", outcome_params({})).fetchall()
    assert dict(rows) == expected
    summary = pipeline_summary(conn)
    assert summary is not None
    assert (summary.open, summary.won, summary.lost) == tuple(
        list(expected.values()).count(o) for o in ("open", "won", "lost"))


def test_owner_written_last_name_first_is_the_same_person(tmp_path: Path) -> None:
    """An export that writes owners "Müller, Jürgen" (a German report, an HR list) matches the
    roster's "Jürgen Müller" by name; a roster written "Last, First" matches "First Last"."""
    conn = db.connect(tmp_path / "crm.duckdb")
    load_generic_csv(conn, DatasetKind.USERS, FIXTURES / "generic" / "users.csv")
    path = tmp_path / "chancen.csv"
    path.write_text("opportunity_id,owner,amount\nO1,\"Müller, Jürgen\",100\n"
                    "O2,Sören Weiß,200\nO3,\"Gast, Gerd\",50\n", encoding="utf-8")
    run_import(conn, inspect_file(conn, path, DatasetKind.PIPELINE, tmp_path),
               imported_by="t", source="cli")
    data = pipeline_data(conn)
    assert data is not None
    owners = data.owners.set_index("owner")
    assert owners["matched_by"].fillna("–").to_dict() == {
        "Müller, Jürgen": "name", "Sören Weiß": "name", "Gast, Gerd": "–"}
    conn.close()
