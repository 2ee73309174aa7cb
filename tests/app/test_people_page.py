"""The People page: leads and admins only, searchable, downloadable, pseudonyms respected."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.settings import set_setting
from crm_dash.ui.people_sections import people_csv, search
from tests.conftest import FIXTURES, fixture_db

MakeApp = Callable[..., AppTest]


@pytest.fixture
def adoption_db(tmp_path: Path) -> Path:
    return fixture_db(FIXTURES / "adoption", tmp_path / "adoption.duckdb")


def _tables(at: AppTest) -> tuple[pd.DataFrame, pd.DataFrame]:
    close, people = (df.value for df in at.dataframe)
    return close, people


def test_lead_sees_everyone_and_who_is_close_to_productive(
    make_app: MakeApp, adoption_db: Path
) -> None:
    at = make_app(adoption_db, "pages/people.py").run()
    assert not at.exception and not at.error
    close, people = _tables(at)
    assert close["Name"].tolist() == ["Lena Lang", "Bernd Berger", "Ida Imhof", "Clara Cordes",
                                      "Jan Jung"]
    assert close.iloc[0][["Days missing", "Writes missing"]].tolist() == [0, 2]
    assert len(people) == 12 and "SAP Sync" not in set(people["name"])
    anna = people.set_index("name").loc["Anna Adler"]
    assert (anna["segment"], anna["segment_last_month"], anna["active_days"], anna["writes"],
            anna["trained"]) == ("Productive", "Sporadic", 8, 5, "yes")
    assert people.set_index("name").loc["Emil Engel", "segment_last_month"] == "–"
    assert "12 of 12 people shown." in [c.value for c in at.caption]
    assert at.selectbox(key="filter_month").value == "2026-10"


def test_search_department_filter_and_month(make_app: MakeApp, adoption_db: Path) -> None:
    at = make_app(adoption_db, "pages/people.py").run()
    at.text_input(key="q").input("hotline").run()  # Service's team
    assert sorted(_tables(at)[1]["name"]) == ["Ida Imhof", "Jan Jung", "Kai Kurz"]
    at.text_input(key="q").input("").run()
    at.selectbox(key="department").set_value("Vertrieb").run()
    assert len(_tables(at)[1]) == 9
    at.selectbox(key="filter_month").set_value("2026-09").run()
    people = _tables(at)[1].set_index("name")
    assert people.loc["Gustav Graf", "segment"] == "Sporadic"  # the leaver, in September
    assert "Emil Engel" not in people.index
    assert at.query_params["month"] == "2026-09"


def test_pseudonyms_replace_names_when_switched_on(make_app: MakeApp, adoption_db: Path) -> None:
    conn = db.connect(adoption_db)
    set_setting(conn, "privacy.pseudonymise", True, actor="admin")
    conn.close()
    at = make_app(adoption_db, "pages/people.py").run()
    close, people = _tables(at)
    names = [*close["Name"], *people["name"]]
    assert all(n.startswith("Person ") for n in names)
    assert "Anna Adler" not in " ".join(names)


@pytest.mark.parametrize("page", ["pages/people.py", "pages/settings.py"])
def test_executives_are_refused(make_app: MakeApp, adoption_db: Path, page: str) -> None:
    at = make_app(adoption_db, page, role="executive").run()
    assert at.error and not at.dataframe
    assert "Anna" not in " ".join(e.value for e in [*at.markdown, *at.error])


def test_the_csv_download_is_safe_for_spreadsheets() -> None:
    table = pd.DataFrame([{
        "user_key": "k", "name": "=HYPERLINK(\"http://evil\")", "email": "x@y.de",
        "department": "+Vertrieb", "team": "T", "role": "R", "segment": "productive",
        "segment_last_month": None, "active_days": 8, "writes": 5, "breadth": 2,
        "last_active": date(2026, 10, 12), "trained": True,
    }])
    data = people_csv(table, date(2026, 10, 1), "de").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert rows[0][:4] == ["Name", "Abteilung", "Segment Okt. 2026", "Segment Sept. 2026"]
    assert rows[1][:4] == ["'=HYPERLINK(\"http://evil\")", "'+Vertrieb", "Produktiv", "–"]
    assert search(table, "evil")["name"].tolist() == [table.loc[0, "name"]]
