"""The Training page with the training fixture (figures: tests/fixtures/training/README.md).

Leads see every section and the invitation list with its CSV; executives see aggregates only:
no names, small groups as "<5", no invitation list.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import charts, db
from crm_dash.audience import Audience
from crm_dash.charts.training import effect_chart, sessions_chart, trained_share_chart
from crm_dash.datasets import DatasetKind
from crm_dash.fixtures import load_generic_csv
from crm_dash.metrics.definitions import load_definition
from crm_dash.metrics.people import people_table
from crm_dash.metrics.segments import user_months
from crm_dash.metrics.training import TrainingEffect, invitation_list
from crm_dash.pages import Role
from crm_dash.settings import set_setting
from crm_dash.ui.training_sections import (
    _unmatched_note,
    effect_example,
    effect_table,
    invitation_csv,
)
from crm_dash.views.training import effect_rows, unmatched
from tests.conftest import FIXTURES, fixture_db

MakeApp = Callable[..., AppTest]
TRAINING = FIXTURES / "training"
NAMES = ["Anna", "Bernd", "Clara", "Dieter", "Emil", "Frieda", "Gustav", "Hanna", "Ida", "Max",
         "Jan Jung", "Kai", "Lena", "beispiel-gmbh"]


@pytest.fixture
def training_db(tmp_path: Path) -> Path:
    return fixture_db(TRAINING, tmp_path / "training.duckdb")


def _texts(at: AppTest) -> str:
    """Every text the page shows: markdown, captions, metrics, tables, chart specs."""
    parts = [e.value for e in [*at.markdown, *at.caption, *at.title, *at.subheader, *at.info,
                               *at.warning, *at.success]]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [chart.proto.spec for chart in at.get("vega_lite_chart")]
    return "\n".join(str(p) for p in parts)


def _metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.proto.delta) for m in at.metric}


def _table(at: AppTest, column: str) -> pd.DataFrame:
    """The one table with a column named ``column``."""
    [found] = [df.value for df in at.dataframe if column in df.value.columns]
    return found


def _effect_tables(at: AppTest) -> list[pd.DataFrame]:
    """The effect comparison's tables (active days, writes), indexed by cohort."""
    return [df.value.set_index("Trained in") for df in at.dataframe
            if "Trained in" in df.value.columns]


def test_lead_sees_the_figures_and_the_invitation_list(
    make_app: MakeApp, training_db: Path
) -> None:
    at = make_app(training_db, "pages/training.py").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="filter_month").value == "2026-06"
    assert _metrics(at) == {
        "Trained share": ("62%", "8 of 13 licensed people"),
        "Sessions, last 12 months": ("7", "held in 6 of 12 months"),
        "Onboarded within 30 days": ("67%", "2 of 3 joiners"),
        "No-shows, last 12 months": ("3", "20% of 15 invitations"),
    }
    departments = _table(at, "Licensed people")
    assert departments.values.tolist() == [["Service", "3", "2", "67%"],
                                           ["Vertrieb", "10", "6", "60%"]]
    days, writes = _effect_tables(at)
    # April: Max and Jan (trained a year before, again in April), not Anna (also in March);
    # compared with Clara, Dieter, Ida, Kai and Lena. All cohorts count each person once.
    assert days.loc["All cohorts"].tolist() == ["4", "5", "3.5 → 7.1", "1.1 → 1.2", "+3.5"]
    assert days.loc["Apr 2026"].tolist() == ["2", "5", "5.0 → 7.2", "1.0 → 1.1", "+2.2"]
    assert days.loc["Mar 2026"].tolist() == ["2", "3", "2.0 → 7.0", "1.2 → 1.3", "+4.8"]
    assert list(days.index) == ["All cohorts", "Apr 2026", "Mar 2026"]
    assert writes.loc["Apr 2026", "Difference"] == "+1.7"
    assert writes.loc["Mar 2026", "Difference"] == "+4.2"
    assert writes.loc["All cohorts", "Difference"] == "+2.9"
    assert any("not proof" in w.value for w in at.warning)
    # The rule spelled out for the newest cohort.
    assert any("trained in April 2026, not in the two months before (Feb 2026, Mar 2026); "
               "compared with colleagues of the same department without training from "
               "Feb 2026 to Jun 2026" in c.value for c in at.caption)
    invite = _table(at, "Name")
    assert invite["Name"].tolist() == ["Kai Kurz", "Dieter Dorn", "Ida Imhof"]
    assert invite["Segment"].tolist() == ["Never", "Never", "Barely"]
    assert [d.label for d in at.get("download_button")] == ["Download invitation list (CSV)",
                                                      "Download Excel (.xlsx)"]
    assert invite["Last active"].tolist() == ["–", "–", "2 Jan 2026"]
    titles = [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]
    assert titles == ["Trained share by department, Jun 2026",
                      "Sessions per month, last 12 months",
                      "Active days per person and month", "Writes per person and month"]


def test_executive_sees_no_names_small_groups_suppressed_and_no_list(
    make_app: MakeApp, training_db: Path
) -> None:
    at = make_app(training_db, "pages/training.py", role="executive").run()
    assert not at.exception and not at.error
    text = _texts(at)
    for name in NAMES:
        assert name not in text, name
    assert not at.get("download_button")
    assert "Invitation list" not in text
    metrics = _metrics(at)
    assert metrics["Trained share"][0] == "62%"
    assert metrics["Onboarded within 30 days"] == ("<5", "fewer than 5 joiners")
    departments = _table(at, "Licensed people").set_index("Department")
    # Service is under 5; Vertrieb (10) is everyone but Service, so it is hidden too.
    assert departments.loc["Service"].tolist() == ["<5", "<5", "<5"]
    assert departments.loc["Vertrieb"].tolist() == ["<5", "<5", "<5"]
    onboarding = _table(at, "Joiners").set_index("Department")
    assert set(onboarding.loc["Vertrieb"]) == {"<5"}  # 2 joiners
    assert not _effect_tables(at)  # 4 trained, 5 compared: no figure at all
    assert any("no figures are shown" in i.value for i in at.info)
    # No department chart (no department may be seen alone); no effect chart for groups
    # under 5: only the sessions chart is left.
    specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert len(specs) == 1 and "Service" not in specs[0] and "Vertrieb" not in specs[0]


def test_executive_is_offered_no_department_that_singles_out_people(
    make_app: MakeApp, training_db: Path
) -> None:
    # Service is under 5 and Vertrieb is everyone but Service: neither is offered, and a
    # link naming Service shows everyone's figures.
    at = make_app(training_db, "pages/training.py", role="executive")
    at.query_params["department"] = "Service"
    at.run()
    assert not at.exception
    assert at.selectbox(key="department").options == ["All departments"]
    assert _metrics(at)["Trained share"][0] == "62%"


def test_department_filter_limits_sessions_to_its_people(
    make_app: MakeApp, training_db: Path
) -> None:
    at = make_app(training_db, "pages/training.py").run()
    at.selectbox(key="department").set_value("Vertrieb").run()
    metrics = _metrics(at)
    assert metrics["Trained share"] == ("60%", "6 of 10 licensed people")
    assert metrics["Sessions, last 12 months"] == ("4", "held in 3 of 12 months")
    assert _table(at, "Name")["Name"].tolist() == ["Dieter Dorn", "Ida Imhof"]


def test_pseudonyms_on_the_invitation_list(make_app: MakeApp, training_db: Path) -> None:
    conn = db.connect(training_db)
    set_setting(conn, "privacy.pseudonymise", True, actor="admin")
    conn.close()
    at = make_app(training_db, "pages/training.py").run()
    invite = _table(at, "Name")
    assert len(invite) == 3 and all(n.startswith("Person ") for n in invite["Name"])
    assert all(e.startswith("Person ") for e in invite["E-mail"])


def test_german_page(make_app: MakeApp, training_db: Path) -> None:
    at = make_app(training_db, "pages/training.py")
    at.query_params["lang"] = "de"
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Schulungen"
    assert _metrics(at)["Anteil geschult"] == ("62\u00a0%", "8 von 13 Personen")
    assert any("kein Beweis" in w.value for w in at.warning)
    assert any("geschult im April 2026, nicht in den zwei Monaten davor (Feb. 2026, März 2026)"
               in c.value for c in at.caption)
    [days, _] = [df.value for df in at.dataframe if "Geschult im" in df.value.columns]
    assert days.set_index("Geschult im").loc["Apr. 2026"].tolist() == [
        "2", "5", "5,0 → 7,2", "1,0 → 1,1", "+2,2"]


def test_without_training_records_the_page_says_what_to_upload(
    make_app: MakeApp, tmp_path: Path
) -> None:
    path = tmp_path / "no-training.duckdb"
    conn = db.connect(path)
    load_generic_csv(conn, DatasetKind.USERS, TRAINING / "users.csv")
    load_generic_csv(conn, DatasetKind.USAGE, TRAINING / "usage.csv")
    conn.close()
    at = make_app(path, "pages/training.py").run()
    assert not at.exception and not at.error
    assert "Training records" in at.info[0].value and "Upload" in at.info[0].value
    assert not at.metric and not at.get("vega_lite_chart")
    executive = make_app(path, "pages/training.py", role="executive").run()
    assert "project lead or admin can upload" in executive.info[0].value


def test_without_usage_data_the_page_says_so(make_app: MakeApp, tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    db.connect(path).close()
    at = make_app(path, "pages/training.py").run()
    assert not at.exception and not at.error
    assert "No usage data yet" in at.info[0].value


def test_the_invitation_csv_lists_the_right_people(training_db: Path) -> None:
    conn = db.connect(training_db)
    frame = user_months(conn, load_definition(conn).definition, date(2026, 1, 1),
                        date(2026, 7, 1))
    invite = invitation_list(people_table(conn, frame, date(2026, 6, 1)))
    conn.close()
    rows = list(csv.reader(io.StringIO(invitation_csv(invite, "de").decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[0] == ["Name", "E-Mail", "Abteilung", "Team", "Segment", "Zuletzt aktiv"]
    assert rows[1:] == [
        ["Kai Kurz", "kai.kurz@beispiel-gmbh.de", "Service", "Team Hotline", "Nie", ""],
        ["Dieter Dorn", "dieter.dorn@beispiel-gmbh.de", "Vertrieb", "Team Süd", "Nie", ""],
        ["Ida Imhof", "ida.imhof@beispiel-gmbh.de", "Vertrieb", "Team Süd", "Kaum",
         "02.01.2026"],
    ]
    english = invitation_csv(invite.head(1).assign(name="=cmd()"), "en").decode("utf-8-sig")
    assert english.splitlines()[1].startswith("'=cmd(),kai.kurz@")  # neutralised formula


def test_sessions_chart_shows_zero_months() -> None:
    data = pd.DataFrame({"month_label": ["Jan", "Feb", "Mar"], "sessions": [2, 0, 1],
                         "invitations": [5, 0, 2], "no_shows": [1, 0, 0]})
    text = charts.ChartText(title="Sessions", x="Month", y="Sessions", count="Invitations",
                            share="No-shows")
    spec = sessions_chart(data, text).to_dict()
    assert spec["title"]["text"] == "Sessions"
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "text"]  # the number on every bar, "0" included
    values = next(iter(spec["datasets"].values()))
    assert [v["sessions"] for v in values] == [2, 0, 1]
    assert spec["layer"][1]["encoding"]["text"]["field"] == "sessions"
    assert spec["layer"][0]["encoding"]["x"]["sort"] == ["Jan", "Feb", "Mar"]


def test_effect_chart_groups_trained_and_comparison() -> None:
    rows = pd.DataFrame({"period": ["before", "before", "after", "after"],
                         "group": ["trained", "comparison"] * 2, "value": [2.0, 1.2, 7.0, 1.3],
                         "value_text": ["2.0", "1.2", "7.0", "1.3"]})
    spec = effect_chart(rows, charts.ChartText(title="Active days", x="Period", y="Days",
                                               legend="Group")).to_dict()
    bars = spec["layer"][0]["encoding"]
    assert bars["xOffset"]["field"] == "group"
    assert bars["color"]["scale"]["domain"] == ["trained", "comparison"]
    assert bars["x"]["sort"] == ["before", "after"]


def test_effect_table_suppresses_small_cohorts_for_executives() -> None:
    figures = {"trained_before": 2.0, "trained_after": 7.0, "comparison_before": 1.0,
               "comparison_after": 1.5, "trained_change": 5.0, "comparison_change": 0.5,
               "difference": 4.5}
    cohorts = pd.DataFrame([
        {"cohort": date(2026, 3, 1), "metric": "active_days", "trained_people": 4,
         "comparison_people": 9, "unmatched": 0, **figures},
        {"cohort": date(2026, 4, 1), "metric": "active_days", "trained_people": 6,
         "comparison_people": 9, "unmatched": 0, **figures},
    ])
    pooled = pd.DataFrame([{"metric": "active_days", "trained_people": 10,
                            "comparison_people": 12, **figures}])
    effect = TrainingEffect(cohorts, pooled)
    table = effect_table(effect_rows(effect, "active_days", Audience(Role.EXECUTIVE)), "en"
                         ).set_index("cohort")
    assert table.loc["All cohorts"].tolist() == ["10", "12", "2.0 → 7.0", "1.0 → 1.5", "+4.5"]
    assert table.loc["Apr 2026", "trained_people"] == "6"
    assert set(table.loc["Mar 2026"]) == {"<5"}
    lead = effect_table(effect_rows(effect, "active_days", Audience(Role.LEAD)), "de"
                        ).set_index("cohort")
    assert lead.loc["März 2026"].tolist() == ["4", "9", "2,0 → 7,0", "1,0 → 1,5", "+4,5"]


def test_effect_texts_spell_out_the_window_and_the_left_out_people() -> None:
    assert effect_example(date(2026, 1, 1), "en") == (
        "For example **Jan 2026**: trained in January 2026, not in the two months before "
        "(Nov 2025, Dec 2025); compared with colleagues of the same department without training "
        "from Nov 2025 to Mar 2026. Before: Nov 2025 and Dec 2025; after: Feb 2026 and Mar 2026.")
    assert "ohne Schulung von Nov. 2025 bis März 2026" in effect_example(date(2026, 1, 1), "de")
    figures = {"trained_before": 1.0, "trained_after": 1.0, "comparison_before": 1.0,
               "comparison_after": 1.04, "trained_change": 0.0, "comparison_change": 0.04,
               "difference": -0.04}
    cohorts = pd.DataFrame([
        {"cohort": date(2026, m, 1), "metric": "active_days", "trained_people": 6,
         "comparison_people": 9, "unmatched": n, **figures} for m, n in ((1, 97), (2, 3))])
    pooled = pd.DataFrame([{"metric": "active_days", "trained_people": 12,
                            "comparison_people": 9, **figures}])
    effect = TrainingEffect(cohorts, pooled)
    # A wave that trained a whole department: its people have nobody to compare with.
    assert _unmatched_note(unmatched(effect, Audience(Role.EXECUTIVE)), "en") == (
        "Left out: 100 trained people (counted per cohort) whose department had nobody without "
        "training to compare with. The most in Jan 2026: 97.")
    few = TrainingEffect(cohorts.assign(unmatched=[0, 3]), pooled)
    assert _unmatched_note(unmatched(few, Audience(Role.EXECUTIVE)), "en").endswith(
        "to compare with.")  # 3: no month named
    assert _unmatched_note(unmatched(TrainingEffect(cohorts.assign(unmatched=0), pooled),
                                     Audience(Role.EXECUTIVE)), "en") == ""
    # A difference that rounds to zero reads 0.0, not -0.0.
    table = effect_table(effect_rows(effect, "active_days", Audience(Role.LEAD)), "en")
    assert table["difference"].tolist() == ["0.0", "0.0", "0.0"]


def test_trained_share_chart_keeps_labels_readable() -> None:
    shares = pd.DataFrame({"group": ["A", "B"], "share": [1.0, 0.1],
                           "label": ["100% (9 / 9)", "10% (1 / 10)"]})
    spec = trained_share_chart(shares, charts.ChartText(title="T", x="Share", y="Dept")
                               ).to_dict()
    bars, inside, outside = spec["layer"]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert inside["mark"]["align"] == "right" and outside["mark"]["align"] == "left"
    assert "share >= 0.4" in inside["transform"][0]["filter"]
    assert "share < 0.4" in outside["transform"][0]["filter"]


def test_the_department_filter_offers_no_group_of_integration_accounts(
    make_app: MakeApp, tmp_path: Path
) -> None:
    # The adoption fixture's department "IT" holds only the SAP Sync integration account:
    # choosing it would show nobody, so it is not offered.
    database = fixture_db(FIXTURES / "adoption", tmp_path / "adoption.duckdb")
    at = make_app(database, "pages/training.py").run()
    assert not at.exception
    options = at.selectbox(key="department").options
    assert "IT" not in options and "Vertrieb" in options


def test_sessions_chart_has_its_table(make_app: Callable[..., AppTest],
                                      training_db: Path) -> None:
    """The sessions chart's text alternative: a row per month of the 12, counts in words."""
    at = make_app(training_db, "pages/training.py").run()
    assert [e.label for e in at.expander].count("As a table") == 2  # trained share, sessions
    table = next(d.value for d in at.dataframe if "No-shows" in d.value.columns
                 and "Month" in d.value.columns)
    assert len(table) == 12
    assert all(str(v).isdigit() for v in table.drop(columns="Month").to_numpy().ravel())
