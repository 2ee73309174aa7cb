"""Pages show "Not in your data" with the reason where an input is missing, never 0.

Data: tests/unknown_company.py (which figures are unknown and why).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.markdown import md_unescape
from crm_dash.retro.model import RetroHeader
from crm_dash.retro.store import create_retro
from tests.unknown_company import LOGINS_ONLY, build

MakeApp = Callable[..., AppTest]


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("unknown") / "unknown.duckdb")


def _unknown(at: AppTest, label: str) -> bool:
    """The tile ``label`` shows "–" with "Not in your data" (or "Nicht in Ihren Daten")."""
    [metric] = [m for m in at.metric if m.label == label]
    return metric.value == "–" and metric.proto.delta in ("Not in your data",
                                                          "Nicht in Ihren Daten")


def _warnings(at: AppTest) -> str:
    return md_unescape("\n".join(str(w.value) for w in [*at.warning, *at.info, *at.caption]))


def test_pipeline_tiles_say_not_in_your_data_and_why(make_app: MakeApp, company: Path) -> None:
    at = make_app(company, "pages/pipeline.py", role="lead").run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert _unknown(at, "Close date passed") and _unknown(at, "Not updated for 30 days")
    assert tiles["Open opportunities"] == "4"
    assert tiles["Missing amount"] == "0%"  # every open one has an amount: a true zero
    # One caption states the page's reference dates: the usage log ends on Friday 30 Oct 2026,
    # so October is the owners' segment month (the column heading no longer repeats it).
    assert any("owners' adoption segments of **October 2026**" in c.value for c in at.caption)
    text = _warnings(at)
    assert "the column 'Abschlussdatum' of 'chancen.csv' looks like it" in text
    assert "the export 'chancen.csv' has no such column" in text
    # The hygiene chart by segment has no value at all: a line says so instead of empty axes.
    assert "No group has a value: the figure is not in your data" in text


def test_pipeline_in_german(make_app: MakeApp, company: Path) -> None:
    at = make_app(company, "pages/pipeline.py", role="executive")
    at.query_params["lang"] = "de"
    at.run()
    assert not at.exception
    assert _unknown(at, "Abschluss überfällig")
    assert "Die Spalte „Abschlussdatum“ in „chancen.csv“ sieht danach aus" in _warnings(at)


def test_training_trained_share_is_unknown_not_zero(make_app: MakeApp, company: Path) -> None:
    at = make_app(company, "pages/training.py", role="lead").run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert _unknown(at, "Trained share")
    assert "0%" not in tiles["Trained share"]
    assert "none of the learners in the 3 training records is on the roster" in _warnings(at)
    assert "Whether these people are trained is unknown" in _warnings(at)  # invitation list
    # The roster has no start dates and the records no status: joiners and no-shows are not
    # in the data either (not "no joiners", not "0 no-shows").
    assert _unknown(at, "Onboarded within 30 days") and _unknown(at, "No-shows, last 12 months")
    assert "the export 'mitarbeiter.csv' has no such column" in _warnings(at)
    assert "the export 'schulungen.csv' has no such column" in _warnings(at)


def test_overview_licence_cost_names_the_unmapped_column(make_app: MakeApp, company: Path
                                                         ) -> None:
    at = make_app(company, "pages/overview.py", role="lead").run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert _unknown(at, next(k for k in tiles if "cost" in k.lower()))
    # Without start dates nobody is known to have started within the grace period.
    assert _unknown(at, "New")
    assert "First day with a licence: the export 'mitarbeiter.csv' has no such column" in (
        _warnings(at))
    assert "the column 'Lizenzkosten (EUR/Monat)' of 'mitarbeiter.csv' looks like it" in _warnings(
        at)


def test_adoption_departments_say_why_they_are_missing(make_app: MakeApp, tmp_path: Path
                                                      ) -> None:
    company = build(tmp_path / "no-departments.duckdb", also_left_out=("department",))
    at = make_app(company, "pages/adoption.py", role="lead").run()
    assert not at.exception
    assert ("Not in your data: Department: the column 'Abteilung' of 'mitarbeiter.csv' looks "
            "like it") in _warnings(at)


@pytest.fixture(scope="module")
def logins_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("logins") / "logins.duckdb", files=LOGINS_ONLY)


def test_a_login_history_leaves_productive_unknown_on_the_overview(
    make_app: MakeApp, logins_only: Path,
) -> None:
    at = make_app(logins_only, "pages/overview.py", role="executive").run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    # 6 people logged in on all 22 working days of October: active, but no write recorded.
    assert _unknown(at, "Productive") and _unknown(at, "Sporadic")
    assert tiles["Barely"] == "0 · 0%" and tiles["Licensed people"] == "6"
    assert "the usage data holds no write action (Create, Update)" in _warnings(at)
    assert "split next to the typical picture needs productive and sporadic" in _warnings(at)


def test_a_login_history_leaves_productive_unknown_on_adoption(
    make_app: MakeApp, logins_only: Path,
) -> None:
    at = make_app(logins_only, "pages/adoption.py", role="lead")
    at.query_params["lang"] = "de"
    at.run()
    assert not at.exception
    assert _unknown(at, "Anteil produktiv")
    assert "keine schreibende Aktion (Anlegen, Ändern)" in _warnings(at)
    assert "September 2026, Oktober 2026" in _warnings(at)


def _all(at: AppTest) -> str:
    """What the reader sees (escaped text read back as itself)."""
    return md_unescape("\n".join(str(e.value) for e in [*at.warning, *at.info, *at.caption,
                                                        *at.error, *at.markdown]))


def test_goals_refuse_a_baseline_from_a_login_history(make_app: MakeApp, logins_only: Path
                                                      ) -> None:
    at = make_app(logins_only, "pages/goals.py", role="lead").run()
    assert not at.exception
    # The only department, Vertrieb Süd (6 people); the default start's baseline month has
    # logins only, so no productive count can be its baseline.
    assert at.selectbox(key="goal_new_department").value == "Vertrieb Süd"
    assert "records no write (create, update), only logins or views" in _all(at)


def test_retro_evidence_says_why_it_suggests_nothing(make_app: MakeApp, tmp_path: Path) -> None:
    path = build(tmp_path / "retro.duckdb")
    conn = db.connect(path)
    create_retro(conn, RetroHeader(held_on=date(2026, 11, 20), participants="Team"),
                 actor="lead")
    conn.close()
    at = make_app(path, "pages/retro.py", role="lead").run()
    assert not at.exception
    text = _all(at)
    assert "None of the learners in the training records is on the roster" in text
    assert "lacks a field the hygiene score needs" in text


def test_people_say_unknown_for_training_and_areas_not_no_and_zero(make_app: MakeApp,
                                                                   company: Path) -> None:
    at = make_app(company, "pages/people.py", role="lead").run()
    assert not at.exception
    table = at.dataframe[-1].value  # the people table (after the close-to-productive list)
    # No learner of the 3 records is on the roster: nobody is known to be trained, or not.
    assert set(table["trained"]) == {"–"}
    # The usage log has no area (object) column: breadth is unknown, not 0.
    assert table["breadth"].isna().all()


def test_adoption_breadth_says_the_log_has_no_area_column(make_app: MakeApp, company: Path
                                                          ) -> None:
    at = make_app(company, "pages/adoption.py", role="executive").run()
    assert not at.exception
    assert ("Not in your data: CRM area or object: the export 'nutzung.csv' has no such column"
            in _warnings(at))


def test_deleting_the_only_pipeline_upload_says_the_page_is_empty_then(make_app: MakeApp,
                                                                       company: Path) -> None:
    at = make_app(company, "pages/imports.py", role="lead").run()
    assert not at.exception
    # The newest upload, #4 chancen.csv, is picked first; no earlier snapshot would show again.
    assert "It is the only pipeline upload: the Pipeline page is empty afterwards" in "\n".join(
        m.value for m in at.markdown)
