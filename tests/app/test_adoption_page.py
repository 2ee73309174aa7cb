"""The Adoption page and the Overview's adoption headline, as Streamlit runs them (AppTest)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.metrics.definitions import AdoptionDefinition, save_definition
from tests.conftest import FIXTURES, fixture_db

MakeApp = Callable[..., AppTest]
NAMES = ("Anna Adler", "Bernd Berger", "Kai Kurz", "anna.adler@", "005XA0000000001")


@pytest.fixture
def adoption_db(tmp_path: Path) -> Path:
    return fixture_db(FIXTURES / "adoption", tmp_path / "adoption.duckdb")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _texts(at: AppTest) -> str:
    """Every text the page shows: markdown, captions, metrics, tables, chart specs."""
    parts = [e.value for e in [*at.markdown, *at.caption, *at.title, *at.subheader, *at.info]]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [chart.proto.spec for chart in at.get("vega_lite_chart")]
    return "\n".join(str(p) for p in parts)


def _department_table(at: AppTest) -> Any:
    """The segments-per-department table (the segments chart's table view comes before it)."""
    return next(d.value for d in at.dataframe if "Licensed people" in d.value.columns)


def _chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]


def test_lead_sees_every_section_of_the_latest_complete_month(
    make_app: MakeApp, adoption_db: Path
) -> None:
    at = make_app(adoption_db, "pages/adoption.py").run()
    assert not at.exception and not at.error
    assert _metrics(at) == {"Licensed people": "12", "Productive share": "25%",
                            "Active users": "8", "Stickiness": "16.9%"}
    assert [s.value for s in at.subheader] == [
        "Segments by month", "By department", "Lifecycle", "Movement between segments",
        "Breadth", "Stickiness"]
    assert _chart_titles(at) == [
        "Share of licensed people per segment", "Segments per department, Oct 2026",
        "Productive share per department and month", "Active people by lifecycle state",
        "From Sept 2026 (rows) to Oct 2026 (columns)", "CRM areas per active person (average)",
        "Active people by number of CRM areas, Oct 2026", "Daily active / monthly active users"]
    # Every section has its definition one hover away.
    assert all(s.help for s in at.subheader)
    assert all(m.help for m in at.metric)
    assert "Definition: the defaults" in _texts(at)
    departments = _department_table(at).set_index("Department")
    assert departments.loc["Service", "Licensed people"] == "3"  # leads see small groups
    assert "Moved up: 4 · slipped: 2" in _texts(at)
    # The months slider offers the complete months; the default range ends with October.
    assert at.select_slider(key="filter_months").value == ("2026-08", "2026-10")


def test_filters_change_the_numbers(make_app: MakeApp, adoption_db: Path) -> None:
    at = make_app(adoption_db, "pages/adoption.py").run()
    at.selectbox(key="department").set_value("Vertrieb").run()
    assert _metrics(at)["Licensed people"] == "9"
    assert at.selectbox(key="team").options == ["All teams", "Team Nord", "Team Süd"]
    at.selectbox(key="team").set_value("Team Nord").run()
    # Team Nord: Anna (8 days), Bernd (2), Frieda (8), the bot (10): 28 / (31 * 4).
    assert _metrics(at) == {"Licensed people": "4", "Productive share": "75%",
                            "Active users": "4", "Stickiness": "22.6%"}
    at.select_slider(key="filter_months").set_range("2026-08", "2026-09").run()
    assert "September 2026, the last month" in _texts(at)
    assert at.query_params["months"] == ["2026-08", "2026-09"]  # ISO months, any language


def test_filters_come_from_the_url(make_app: MakeApp, adoption_db: Path) -> None:
    at = make_app(adoption_db, "pages/adoption.py")
    at.query_params["department"] = "Service"
    at.query_params["months"] = ["2026-08", "2026-09"]
    at.run()
    assert at.selectbox(key="department").value == "Service"
    # Service in September: Ida barely, Jan sporadic, Kai productive.
    assert _metrics(at) == {"Licensed people": "3", "Productive share": "33%",
                            "Active users": "3", "Stickiness": "13.3%"}


def test_executive_sees_aggregates_without_names_and_no_small_groups(
    make_app: MakeApp, adoption_db: Path
) -> None:
    at = make_app(adoption_db, "pages/adoption.py", role="executive").run()
    assert not at.exception
    assert _metrics(at)["Licensed people"] == "12"
    text = _texts(at)
    assert not any(name in text for name in NAMES)
    departments = _department_table(at).set_index("Department")
    # Service has 3 licensed people. Vertrieb has 9, but everyone (12) minus Vertrieb would
    # give Service's figures away: both rows read "<5", and no department chart is drawn.
    assert departments.loc["Service"].tolist() == ["<5"] * 7
    assert departments.loc["Vertrieb"].tolist() == ["<5"] * 7
    assert "Productive share per department and month" not in _chart_titles(at)
    assert "fewer than 5 licensed people" in text


def test_executive_is_offered_no_group_that_singles_out_people(
    make_app: MakeApp, adoption_db: Path
) -> None:
    # Vertrieb 9 and Service 3 of 12: Service is too small, and Vertrieb's complement is
    # Service; "Other" (both) would be everyone. So no department is offered, and a link
    # naming one shows everyone.
    at = make_app(adoption_db, "pages/adoption.py", role="executive")
    at.query_params["department"] = "Service"
    at.run()
    assert not at.exception
    assert at.selectbox(key="department").options == ["All departments"]
    assert _metrics(at)["Licensed people"] == "12"


def test_german_texts(make_app: MakeApp, adoption_db: Path) -> None:
    at = make_app(adoption_db, "pages/adoption.py")
    at.query_params["lang"] = "de"
    at.run()
    assert at.title[0].value == "Nutzung"
    assert _metrics(at)["Lizenzierte Personen"] == "12"
    assert _metrics(at)["Nutzungsdichte"] == "16,9\u00a0%"
    assert "Okt. 2026" in _texts(at)
    assert "Anteil der lizenzierten Personen je Segment" in _chart_titles(at)


def test_without_usage_data_the_page_says_what_to_upload(
    make_app: MakeApp, fixture_db_path: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.duckdb"
    db.connect(empty).close()
    at = make_app(empty, "pages/adoption.py").run()
    assert not at.exception
    assert "No usage data yet" in at.info[0].value


def test_overview_shows_the_latest_complete_month_with_changes(
    make_app: MakeApp, adoption_db: Path
) -> None:
    at = make_app(adoption_db, "pages/overview.py").run()
    assert not at.exception
    assert at.subheader[0].value == "Adoption in October 2026"
    metrics = {m.label: (m.value, m.delta) for m in at.metric}
    assert metrics["Licensed people"] == ("12", "+2")
    assert metrics["Productive"] == ("3 · 25%", "+1 (+5.0 pp)")  # Sep: 2 of 10
    assert metrics["Sporadic"] == ("3 · 25%", "-1 (-15.0 pp)")  # Sep: 4 of 10
    assert metrics["Barely"] == ("3 · 25%", "+1 (+5.0 pp)")
    assert metrics["Never"] == ("2 · 17%", "0 (-3.3 pp)")
    assert metrics["New"] == ("1 · 8%", "+1 (+8.3 pp)")
    # Barely: Clara 100, Jan 50, Kai 50; never: Dieter 100, Hanna unknown.
    assert metrics["Licence cost of the segments barely and never"][0] == "€300.00"
    assert "Costs known for 11 of 12" in _texts(at)
    assert "Definition: the defaults" in _texts(at)
    assert _chart_titles(at) == ["Your split next to the typical picture"]
    split = json.loads(at.get("vega_lite_chart")[0].proto.spec)["layer"][0]  # bars, then names
    assert split["encoding"]["y"]["title"] == "Company"  # not an empty axis title
    assert split["encoding"]["tooltip"][0]["title"] == "Company"
    assert all(m.help for m in at.metric[:6])
    barely = next(m for m in at.metric if m.label == "Barely")
    assert barely.help.startswith("Fewer than 2 active days in the month")


def test_overview_help_follows_the_thresholds_in_force(
    make_app: MakeApp, adoption_db: Path
) -> None:
    conn = db.connect(adoption_db)
    save_definition(conn, AdoptionDefinition(sporadic_min_active_days=3), actor="lead")
    conn.close()
    at = make_app(adoption_db, "pages/overview.py")
    at.query_params["lang"] = "de"
    at.run()
    assert not at.exception
    helps = {m.label: m.help for m in at.metric}
    assert helps["Kaum"].startswith("Weniger als 3 aktive Tage im Monat")
    assert helps["Sporadisch"].startswith("Mindestens 3 aktive Tage")
    split = json.loads(at.get("vega_lite_chart")[0].proto.spec)["layer"][0]
    assert split["encoding"]["y"]["title"] == "Unternehmen"


def test_overview_for_executives_has_no_names(make_app: MakeApp, adoption_db: Path) -> None:
    at = make_app(adoption_db, "pages/overview.py", role="executive").run()
    assert not at.exception
    # Month over month, every count changed by 0 to 2 people (see the lead's figures above):
    # a change of 1 to 4 people says what a few individuals did, so no delta is shown.
    deltas = {m.label: m.delta for m in at.metric}
    assert not deltas["Licensed people"] and not deltas["New"]
    assert deltas["Never"] == "0 (-3.3 pp)"  # no one changed: nothing to hide
    assert {m.label: m.value for m in at.metric}["Productive"] == "3 · 25%"
    assert not any(name in _texts(at) for name in NAMES)


def test_executive_where_every_department_is_small(
    make_app: MakeApp, fixture_db_path: Path
) -> None:
    # The generic fixture: 5 licensed people in October, in departments of 3 and 2.
    at = make_app(fixture_db_path, "pages/adoption.py", role="executive").run()
    assert not at.exception and not at.error
    assert _metrics(at)["Licensed people"] == "5"
    assert set(_department_table(at)["Licensed people"]) == {"<5"}
    assert "Productive share per department and month" not in _chart_titles(at)


# --- a team that was small in its early months -----------------------------------------------

HAMBURG_USERS = [  # Team Hamburg (department Nord): 3 people since 2025, 3 joiners on 1 Sep 2026
    f"005XA00000002{i:02d}AAA,Hamburg Person {i},hamburg{i}@beispiel-gmbh.de,Nord,Team Hamburg,"
    f"Außendienst,,Sales Cloud,100.00,{'2025-01-01' if i <= 3 else '2026-09-01'},,false"
    for i in range(1, 7)
]
HAMBURG_USAGE = [  # August: person 1 on 3 days, person 2 on 1 day; person 3 never
    f"005XA00000002{person:02d}AAA,2026-08-{day:02d}T09:00:00Z,update,Account,true"
    for person, days in ((1, (10, 11, 12)), (2, (10,))) for day in days
]


@pytest.fixture
def growing_team_db(tmp_path: Path) -> Path:
    """The adoption fixture plus Team Hamburg: 3 licensed people in August 2026, 6 from
    September (the default month range is August to October)."""
    folder = tmp_path / "growing"
    folder.mkdir()
    for name in ("users.csv", "usage.csv", "training.csv"):
        (folder / name).write_text((FIXTURES / "adoption" / name).read_text(encoding="utf-8"),
                                   encoding="utf-8")
    for name, rows in (("users.csv", HAMBURG_USERS), ("usage.csv", HAMBURG_USAGE)):
        with (folder / name).open("a", encoding="utf-8") as out:
            out.write("".join(f"{row}\n" for row in rows))
    return fixture_db(folder, tmp_path / "growing.duckdb")


def _chart_months(at: AppTest) -> dict[str, set[str]]:
    """The months on each chart's month axis, by chart title (charts without one left out)."""
    months: dict[str, set[str]] = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        x = spec.get("layer", [spec])[0]["encoding"]["x"]
        if x["field"] == "month_label":
            months[spec["title"]["text"]] = set(x["sort"])
    return months


def _datasets(chart: Any) -> dict[str, list[dict[str, Any]]]:
    """The rows a chart element sends to the browser, by dataset name."""
    return {d.name: convert_arrow_bytes_to_pandas_df(d.data.data).to_dict("records")
            for d in chart.proto.datasets}


MONTH_CHARTS = {"Share of licensed people per segment", "Active people by lifecycle state",
                "CRM areas per active person (average)", "Daily active / monthly active users"}


def test_executive_sees_no_month_in_which_the_selection_was_small(
    make_app: MakeApp, growing_team_db: Path
) -> None:
    at = make_app(growing_team_db, "pages/adoption.py", role="executive")
    at.query_params["team"] = "Team Hamburg"
    at.run()
    assert not at.exception and not at.error
    assert _metrics(at)["Licensed people"] == "6"  # October
    months = _chart_months(at)
    assert set(months) >= MONTH_CHARTS
    for title in MONTH_CHARTS:
        assert months[title] == {"Sept 2026", "Oct 2026"}, title
    heatmap = months["Productive share per department and month"]
    assert heatmap == {"Sept 2026", "Oct 2026"}
    assert ("Months in which this selection, or everyone outside it, held fewer than 5 "
            "licensed people are not shown.") in _texts(at)
    # August to September: one person slipped (sporadic to barely); like the matrix's cells,
    # the count reads "<5".
    at.select_slider(key="filter_months").set_range("2026-08", "2026-09").run()
    assert _chart_months(at)["Share of licensed people per segment"] == {"Sept 2026"}
    assert "Moved up: 0 · slipped: <5" in _texts(at)


def test_executive_heatmap_leaves_out_the_small_months_of_a_department(
    make_app: MakeApp, growing_team_db: Path
) -> None:
    at = make_app(growing_team_db, "pages/adoption.py", role="executive").run()
    assert not at.exception and not at.error
    chart = next(c for c in at.get("vega_lite_chart")
                 if "Productive share per department" in c.proto.spec)
    cells = [row for rows in _datasets(chart).values() for row in rows]
    # Nord: 3 licensed people in August, 6 from September. Service has 3 every month, so
    # everyone minus Vertrieb minus Nord would give Service away: the smallest shown
    # department (Nord) is left out with it, every month.
    nord = {row["month_label"] for row in cells if row["group"] == "Nord"}
    assert nord == set()
    vertrieb = {row["month_label"] for row in cells if row["group"] == "Vertrieb"}
    assert vertrieb == {"Aug 2026", "Sept 2026", "Oct 2026"}
    # The whole company was large every month: nothing else is left out.
    assert _chart_months(at)["Share of licensed people per segment"] == {
        "Aug 2026", "Sept 2026", "Oct 2026"}
    assert "Months with fewer than 5 licensed people are not shown." not in _texts(at)


def test_lead_sees_every_month_of_a_small_team(make_app: MakeApp, growing_team_db: Path) -> None:
    at = make_app(growing_team_db, "pages/adoption.py")
    at.query_params["team"] = "Team Hamburg"
    at.run()
    assert not at.exception and not at.error
    months = _chart_months(at)
    for title in [*MONTH_CHARTS, "Productive share per department and month"]:
        assert months[title] == {"Aug 2026", "Sept 2026", "Oct 2026"}, title
    assert "not shown" not in _texts(at)
    at.select_slider(key="filter_months").set_range("2026-08", "2026-09").run()
    assert "Moved up: 0 · slipped: 1" in _texts(at)


# --- attacks on the audience policy ------------------------------------------------------------

def test_executive_cannot_combine_two_groups_to_single_out_people(
    make_app: MakeApp, growing_team_db: Path
) -> None:
    # October: Vertrieb 9, Nord 6, Service 3 of 18. Vertrieb may be seen alone (9 outside).
    # Vertrieb's Innendienst are Clara, Dieter and Hanna: 3 people. Vertrieb and
    # "Vertrieb + Innendienst" side by side would give the other 6 away, and the other way
    # round those 3. So an executive filters by one group at a time: the role in the link is
    # ignored and the role filter is not drawn.
    link = {"department": "Vertrieb", "role": "Innendienst"}
    at = make_app(growing_team_db, "pages/adoption.py", role="executive")
    at.query_params.update(link)
    at.run()
    assert not at.exception
    assert _metrics(at)["Licensed people"] == "9"
    assert not [s for s in at.selectbox if s.key in ("role", "team")]
    assert "one group at a time" in _texts(at)
    lead = make_app(growing_team_db, "pages/adoption.py")
    lead.query_params.update(link)
    lead.run()
    assert _metrics(lead)["Licensed people"] == "3"  # leads combine freely


def test_executive_sees_no_lifecycle_bar_of_a_few_people(
    make_app: MakeApp, adoption_db: Path
) -> None:
    # 12 people: every lifecycle state holds fewer than 5 people in some month (e.g. 1 new
    # person), which says who joined. Executives see no such bar; leads see them all.
    def bars(at: AppTest) -> list[int]:
        chart = next(c for c in at.get("vega_lite_chart")
                     if "Active people by lifecycle state" in c.proto.spec)
        return [row["people"] for rows in _datasets(chart).values() for row in rows]

    lead = make_app(adoption_db, "pages/adoption.py").run()
    assert any(0 < n < 5 for n in bars(lead))
    at = make_app(adoption_db, "pages/adoption.py", role="executive").run()
    assert all(n == 0 or n >= 5 for n in bars(at))
    assert "Bars of fewer than 5 people are left out" in _texts(at)


def test_an_admin_raises_the_minimum_group_and_executives_see_it(
    make_app: MakeApp, adoption_db: Path
) -> None:
    admin = make_app(adoption_db, "pages/admin.py", role="admin").run()
    assert not admin.exception
    field = admin.number_input(key="admin_min_group")
    assert (field.value, field.min) == (5, 5)  # the floor: never fewer than 5
    field.set_value(13).run()
    assert not admin.exception
    conn = db.connect(adoption_db)
    assert conn.execute("SELECT value, changed_by FROM setting_versions WHERE key = ?",
                        ["privacy.min_group_size"]).fetchall() == [("13", "admin")]
    conn.close()
    # 12 licensed people in October: under 13, so the executive's page shows no figure.
    at = make_app(adoption_db, "pages/adoption.py", role="executive").run()
    assert not at.exception and not at.metric
    assert "fewer than 13 licensed people" in at.info[0].value
    lead = make_app(adoption_db, "pages/adoption.py").run()
    assert _metrics(lead)["Licensed people"] == "12"  # leads are not limited


def test_every_chart_has_its_table(make_app: MakeApp, adoption_db: Path) -> None:
    """Each chart's figures can be read as a table (its text alternative); the segments per
    department chart has its own table section after it. The lifecycle table names its states
    and months in words and counts people in the UI's numbers."""
    at = make_app(adoption_db, "pages/adoption.py").run()
    charts = at.get("vega_lite_chart")
    tables = [e for e in at.expander if e.label == "As a table"]
    assert len(tables) == len(charts) - 1 and len(charts) >= 6
    lifecycle = next(d.value for d in at.dataframe if "Returning" in d.value.columns)
    assert list(lifecycle.columns) == ["Month", "New (first active month)", "Returning",
                                       "Back again", "Dormant"]
    assert lifecycle["Month"].tolist()[-1] == "Oct 2026"
    assert all(str(v).isdigit() for v in lifecycle.drop(columns="Month").to_numpy().ravel())
