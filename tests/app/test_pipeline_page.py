"""The Pipeline page: figures for leads (with owner names) and executives (aggregates only).

Data: tests/fixtures/pipeline (figures computed by hand in its README.md).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.charts import ChartText
from crm_dash.charts.pipeline import segment_bar_chart
from crm_dash.i18n import money_text
from crm_dash.metrics.pipeline.outcomes import stage_outcomes
from crm_dash.settings import set_setting
from crm_dash.ui.pipeline.stages import stage_table
from crm_dash.views.pipeline import owners_csv
from tests.conftest import FIXTURES, fixture_db

MakeApp = Callable[..., AppTest]
PAGE = "pages/pipeline.py"
NAMES = ("Anna Amsel", "Bruno Berg", "Carla Cramer", "Dora Dahl", "Emil Eck", "Frida Fink",
         "Gerd Gast", "Max Muster")


@pytest.fixture
def pipeline_db(tmp_path: Path) -> Path:
    return fixture_db(FIXTURES / "pipeline", tmp_path / "pipeline.duckdb")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _all_text(at: AppTest) -> str:
    parts = [e.value for e in [*at.markdown, *at.caption, *at.info, *at.error, *at.subheader,
                               *at.title, *at.warning, *at.success]]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [chart.proto.spec for chart in at.get("vega_lite_chart")]
    return "\n".join(str(p) for p in parts)


def test_lead_sees_figures_owners_and_unmatched_owners(make_app: MakeApp,
                                                       pipeline_db: Path) -> None:
    at = make_app(pipeline_db, PAGE).run()
    assert not at.exception and not at.error
    assert _metrics(at) == {
        "Open opportunities": "11", "Open pipeline value": "€70,000", "Hygiene score": "67",
        "Win rate (12 months)": "60%", "With next step": "64%", "Close date passed": "36%",
        "Not updated for 30 days": "27%", "Missing amount": "27%",
    }
    captions = [c.value for c in at.caption]
    assert any("Pipeline as of **31 Oct 2026**" in c for c in captions)
    assert "Amounts in several currencies, not converted: €70,000 + US$8,000." in captions
    segments, owners, unmatched, departments, stages = (df.value for df in at.dataframe)
    assert segments["Segment"].tolist() == ["Productive", "Sporadic", "Barely", "Never", "New",
                                            "Not in roster"]
    assert segments["Hygiene score"].tolist() == ["62", "62", "85", "45", "85", "65"]
    assert segments.loc[3, "Open value"] == "US$8,000"
    assert segments["Win rate"].tolist() == ["100% (1 of 1)", "0% (0 of 1)", "100% (1 of 1)",
                                             "0% (0 of 1)", "–", "100% (1 of 1)"]
    by_name = owners.set_index("name")
    assert sorted(by_name.index) == sorted(NAMES)
    anna = by_name.loc["Anna Amsel"]
    assert (anna["segment"], anna["open"], anna["next_step"], anna["score"], anna["reasons"]) == (
        "Productive", 2, 50.0, 62.5,
        "missing next step; close date passed; missing amount")
    assert by_name.loc["Gerd Gast", "segment"] == "Not in roster"
    assert unmatched.values.tolist() == [["Gerd Gast", 2, 1], ["Max Muster", 1, 1]]
    assert departments.iloc[:, 0].tolist() == ["Service", "Vertrieb", "Not in roster"]
    assert departments.iloc[1]["Owners"] == "5" and departments.iloc[0]["Owners"] == "1"
    assert [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")] == [
        "Open pipeline value", "Hygiene score", "Win rate (12 months)"]
    assert "Vertrag unterschrieben" in stages["Stage"].tolist()
    closed_won = stages.set_index("Stage").loc["Closed Won"]
    assert closed_won["Counts as"] == "won (2), open (1)"


def test_executive_sees_aggregates_only(make_app: MakeApp, pipeline_db: Path) -> None:
    at = make_app(pipeline_db, PAGE, role="executive").run()
    assert not at.exception and not at.error
    assert _metrics(at)["Open opportunities"] == "11"
    text = _all_text(at)
    for name in NAMES:
        assert name not in text
    assert "005A00000000P01" not in text and "bruno.berg" not in text
    assert not [b for b in at.button if b.key == "stage_save"]  # no stage editor
    # 2 owners are not in the roster: a small group, so its size is not given
    assert "<5 owners of 3 opportunities are not in the roster" in text
    segments, departments = (df.value for df in at.dataframe)
    assert set(segments["Owners"]) == {"<5"}  # every segment group has fewer than 5 owners
    rows = departments.set_index(departments.columns[0])
    # 8 owners: Vertrieb 5, Service 1, not in the roster 2. Everyone minus Vertrieb would be
    # 3 owners, so Vertrieb's row is hidden too: every row reads "<5".
    assert {tuple(set(row)) for row in rows.itertuples(index=False)} == {("<5",)}
    assert len(rows) == 3
    assert not at.get("vega_lite_chart")  # no chart of groups under 5 owners


def test_executive_department_filter_offers_no_group_that_singles_out_owners(
        make_app: MakeApp, pipeline_db: Path) -> None:
    # Vertrieb 5 owners (3 outside it), Service 1, "Other" (both, 6) would leave 2 outside:
    # nothing to offer, so there is no department filter; a link naming one shows everyone.
    at = make_app(pipeline_db, PAGE, role="executive")
    at.query_params["department"] = "Service"
    at.run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "department"]
    assert _metrics(at)["Open opportunities"] == "11"
    # A lead still filters by any department.
    lead = make_app(pipeline_db, PAGE).run()
    lead.selectbox(key="department").set_value("Vertrieb").run()
    assert _metrics(lead)["Open opportunities"] == "8"
    assert _metrics(lead)["Hygiene score"] == "68"  # 67.5


def test_lead_maps_a_custom_stage_and_the_figures_change(make_app: MakeApp,
                                                         pipeline_db: Path) -> None:
    at = make_app(pipeline_db, PAGE).run()
    at.selectbox(key="stage_label").set_value("vertrag unterschrieben").run()
    at.selectbox(key="stage_outcome_vertrag unterschrieben").set_value("won").run()
    at.button(key="stage_save").click().run()
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == [
        "Stage mapping saved: \"Vertrag unterschrieben\" now counts as won. The figures above "
        "use it."]
    assert _metrics(at)["Open opportunities"] == "10"
    assert _metrics(at)["Hygiene score"] == "72"  # 72.5, rounded half to even
    conn = db.connect(pipeline_db)
    assert stage_outcomes(conn) == {"vertrag unterschrieben": "won"}
    assert conn.execute("SELECT changed_by FROM setting_versions WHERE key = ?",
                        ["pipeline.stage_outcomes"]).fetchall() == [("lead",)]
    conn.close()
    at.selectbox(key="stage_outcome_vertrag unterschrieben").set_value("").run()
    at.button(key="stage_save").click().run()
    assert _metrics(at)["Open opportunities"] == "11"


@pytest.mark.parametrize("role", ["lead", "executive"])
def test_without_pipeline_data_the_page_says_what_to_upload(
    make_app: MakeApp, tmp_path: Path, role: str
) -> None:
    path = tmp_path / "empty.duckdb"
    db.connect(path).close()
    at = make_app(path, PAGE, role=role).run()
    assert not at.exception and not at.error
    assert not at.metric and not at.dataframe
    assert "No pipeline data yet" in at.info[0].value


def test_pseudonyms_replace_owner_names(make_app: MakeApp, pipeline_db: Path) -> None:
    conn = db.connect(pipeline_db)
    set_setting(conn, "privacy.pseudonymise", True, actor="admin")
    conn.close()
    at = make_app(pipeline_db, PAGE).run()
    text = _all_text(at)
    for name in NAMES:
        assert name not in text
    owners = at.dataframe[1].value
    assert all(n.startswith("Person ") for n in owners["name"])


def test_german_texts_and_numbers(make_app: MakeApp, pipeline_db: Path) -> None:
    at = make_app(pipeline_db, PAGE)
    at.query_params["lang"] = "de"
    at.run()
    assert not at.exception
    metrics = _metrics(at)
    assert metrics["Offene Verkaufschancen"] == "11"
    assert metrics["Offener Wert"] == "70.000\xa0€"
    assert metrics["Gewinnquote"] == "60\xa0%"
    assert any("Pipeline zum **31.10.2026**" in c.value for c in at.caption)


def test_owner_csv_is_safe_and_localised() -> None:
    frame = pd.DataFrame([{
        "name": "=cmd()", "department": "+Vertrieb", "segment": "Produktiv", "open": 2,
        "open_value": 10000.0, "next_step": 50.0, "overdue": 50.0, "stale": 0.0,
        "missing_amount": 50.0, "score": 62.5, "reasons": "kein nächster Schritt",
        "win_rate": 100.0,
    }])
    rows = list(csv.reader(io.StringIO(owners_csv(frame, None, "EUR", "de").decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[0] == ["Inhaber", "Abteilung", "Segment", "Offen", "Pflegewert", "Gründe",
                       "Nächster Schritt", "Überfällig", "Unbearbeitet", "Ohne Betrag",
                       "Offener Wert (EUR)",
                       "Gewinnquote"]
    assert rows[1][:2] == ["'=cmd()", "'+Vertrieb"]


def test_money_and_stage_texts() -> None:
    # British English writes "€50.6m" since CLDR 48 (Babel 2.18), "€50.6M" before; both read right.
    assert money_text(50623500.0, "EUR", "en", compact=True).lower() == "€50.6m"
    assert money_text(50623500.0, "EUR", "de", compact=True) == "50,6\xa0Mio.\xa0€"
    assert money_text(54000.4, "EUR", "de") == "54.000\xa0€"
    assert money_text(4070000.0, "", "de") == "4.070.000"
    assert money_text(1200.0, "€", "en") == "1,200 €"
    stages = pd.DataFrame([
        {"stage_key": "closed won", "stage": "Closed Won", "outcome": "won",
         "outcome_source": "source", "opportunities": 2},
        {"stage_key": "closed won", "stage": "Closed Won", "outcome": "open",
         "outcome_source": "source", "opportunities": 1},
        {"stage_key": None, "stage": None, "outcome": "open", "outcome_source": "default",
         "opportunities": 4},
    ])
    assert stage_table(stages, "en").values.tolist() == [
        ["(no stage)", 4, "open", "default (open)"],
        ["Closed Won", 3, "won (2), open (1)", "source's fields"],
    ]


def test_segment_chart_spec() -> None:
    frame = pd.DataFrame({
        "group": ["productive", "never", "not_in_roster", "new"],
        "win_rate": [0.5, 0.25, None, 1.0],
        "value_text": ["50%", "25%", "", "100%"], "detail_text": ["a", "b", "c", "d"],
    })
    text = ChartText(title="Win rate", x="Owner's segment", y="Win rate",
                     count="Open")
    labels = {"productive": "Productive", "never": "Never", "not_in_roster": "Not in roster",
              "new": "New"}
    spec = segment_bar_chart(frame, "win_rate", text, labels,
                             ["productive", "never", "new", "not_in_roster"],
                             percent_suffix="\u00a0%", scale_max=1.0).to_dict()
    assert spec["title"]["text"] == "Win rate"
    bars = spec["layer"][0]["encoding"]
    assert bars["y"]["title"] == "Owner's segment" and bars["x"]["title"] == "Win rate"
    assert bars["y"]["sort"] == ["Productive", "Never", "New"]  # no win rate: left out
    assert bars["x"]["axis"] == {"values": [0.0, 0.25, 0.5, 0.75, 1.0],
                                 "labelExpr": "format(datum.value * 100, '.0f') + '\u00a0%'"}
    assert bars["x"]["scale"]["domain"] == [0, 1.3]  # room for the labels beside the bars
    assert bars["color"]["scale"]["range"] == ["#1b7837", "#b2182b", "#4393c3"]
    assert spec["layer"][1]["mark"]["type"] == "text"


def test_amount_chart_has_no_tick_labels_but_room_for_the_bar_labels() -> None:
    frame = pd.DataFrame({"group": ["productive", "sporadic"], "open_value": [10000.0, 54000.0],
                          "value_text": ["€10,000", "€54,000"], "detail_text": ["2", "3"]})
    text = ChartText(title="Open pipeline value", x="Owner's segment", y="Open value",
                     subtitle="EUR only, other currencies left out", count="Open")
    spec = segment_bar_chart(frame, "open_value", text, {"productive": "Productive",
                                                         "sporadic": "Sporadic"},
                             ["productive", "sporadic"]).to_dict()
    assert spec["title"]["subtitle"] == "EUR only, other currencies left out"
    x = spec["layer"][0]["encoding"]["x"]
    assert x["axis"] == {"labels": False, "ticks": False}
    assert x["scale"]["domain"] == [0, 81000.0]  # 1.5 x the largest value
