"""The Metric settings page: thresholds with a preview, versioned saves, integration accounts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.metrics.definitions import definition_history, load_definition
from tests.conftest import FIXTURES, fixture_db

MakeApp = Callable[..., AppTest]


@pytest.fixture
def adoption_db(tmp_path: Path) -> Path:
    return fixture_db(FIXTURES / "adoption", tmp_path / "adoption.duckdb")


def _button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def test_shows_the_definition_in_force_and_who_is_left_out(
    make_app: MakeApp, adoption_db: Path
) -> None:
    at = make_app(adoption_db, "pages/settings.py").run()
    assert not at.exception and not at.error
    assert at.number_input(key="settings_productive_min_active_days").value == 8
    assert at.number_input(key="settings_productive_min_writes").value == 5
    assert at.selectbox(key="settings_time_zone").value == "Europe/Berlin"
    assert at.multiselect(key="settings_write_actions").value == ["create", "update"]
    assert "The defaults have never been changed." in [c.value for c in at.caption]
    excluded = at.dataframe[0].value
    assert excluded.to_dict("records") == [{
        "Name": "SAP Sync", "E-mail": "sap.sync@beispiel-gmbh.de", "Department": "IT",
        "Why": "Roster"}]


def test_preview_shows_who_would_move_without_saving(
    make_app: MakeApp, adoption_db: Path
) -> None:
    at = make_app(adoption_db, "pages/settings.py").run()
    at.number_input(key="settings_productive_min_writes").set_value(3)
    _button(at, "Preview").click().run()
    preview = at.dataframe[0].value.set_index("Segment")
    # October: Lena (9 days, 3 writes) becomes productive.
    assert preview.loc["Productive"].tolist() == ["3", "4", "+1"]
    assert preview.loc["Sporadic"].tolist() == ["3", "2", "-1"]
    conn = db.connect(adoption_db)
    assert load_definition(conn).version == 0  # nothing saved
    conn.close()


def test_saving_makes_a_new_version_every_page_names(
    make_app: MakeApp, adoption_db: Path
) -> None:
    at = make_app(adoption_db, "pages/settings.py").run()
    at.number_input(key="settings_productive_min_writes").set_value(3)
    at.multiselect(key="settings_write_actions").set_value(["create", "update", "delete"])
    _button(at, "Save as new version").click().run()
    assert not at.exception
    assert "Saved: 2 settings changed." in at.success[0].value
    conn = db.connect(adoption_db)
    versioned = load_definition(conn)
    history = definition_history(conn)
    conn.close()
    assert versioned.definition.productive_min_writes == 3 and versioned.changed_by == "lead"
    assert {(h.key, str(h.old), str(h.new)) for h in history} == {
        ("adoption.productive_min_writes", "5", "3"),
        ("adoption.write_actions", "['create', 'update']", "['create', 'update', 'delete']"),
    }
    table = at.dataframe[0].value
    assert set(table["Setting"]) == {"Productive: min. writes", "Actions that count as writes"}
    assert set(table["Who"]) == {"lead"}
    assert f"Definition version {versioned.version}" in " ".join(c.value for c in at.caption)
    # The other pages use the new version at once.
    adoption = make_app(adoption_db, "pages/adoption.py").run()
    captions = " ".join(c.value for c in adoption.caption)
    assert f"Definition version {versioned.version}" in captions
    assert "≥8 active days and ≥3 writes" in captions
    assert {m.label: m.value for m in adoption.metric}["Productive share"] == "33%"  # 4 of 12


def test_invalid_values_are_explained_and_not_saved(
    make_app: MakeApp, adoption_db: Path
) -> None:
    at = make_app(adoption_db, "pages/settings.py").run()
    at.number_input(key="settings_sporadic_min_active_days").set_value(12)  # above 8
    _button(at, "Save as new version").click().run()
    assert "cannot be used" in at.error[0].value
    conn = db.connect(adoption_db)
    assert load_definition(conn).version == 0
    conn.close()


def test_a_text_rule_adds_integration_accounts(make_app: MakeApp, adoption_db: Path) -> None:
    at = make_app(adoption_db, "pages/settings.py").run()
    at.text_area(key="settings_integration_patterns").input("rpa.")
    _button(at, "Save as new version").click().run()
    excluded = at.dataframe[1].value  # after the history table
    assert excluded.set_index("Name")["Why"].to_dict() == {
        "Robotic Process Bot": "Text rule", "SAP Sync": "Roster"}


def test_marking_an_account_by_hand_is_listed_with_who_and_when(
    make_app: MakeApp, adoption_db: Path
) -> None:
    at = make_app(adoption_db, "pages/settings.py").run()
    assert "No account has been marked by hand yet." in [c.value for c in at.caption]
    at.multiselect(key="imports_integration_pick").select("005XA0000000013")  # the RPA bot
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception and not at.error
    changes = at.dataframe[-1].value
    assert changes[["Who", "Name", "Since then"]].to_dict("records") == [
        {"Who": "lead", "Name": "Robotic Process Bot",
         "Since then": "integration account (left out)"}]
    assert changes["When"].iloc[0]  # a date and time, in the chosen language
