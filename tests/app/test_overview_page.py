from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from crm_dash import db


def test_overview_shows_the_fixture_figures(
    make_app: Callable[..., AppTest], fixture_db_path: Path
) -> None:
    at = make_app(fixture_db_path).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert {  # the inventory below the adoption headline (tests/app/test_adoption_page.py)
        "People in the roster": "6", "Departments": "2", "Usage events": "12",
        "Opportunities": "4",
    }.items() <= metrics.items()
    inventory = at.dataframe[0].value
    assert list(inventory["Rows"]) == ["7", "12", "4", "5"]
    assert "excluded from all figures about people: 1." in " ".join(c.value for c in at.caption)
    assert not at.warning  # no demo banner on a real database


def test_overview_in_german_from_the_url(
    make_app: Callable[..., AppTest], fixture_db_path: Path
) -> None:
    at = make_app(fixture_db_path)
    at.query_params["lang"] = "de"
    at.run()
    assert at.title[0].value == "Übersicht"
    assert "Personen in der Benutzerliste" in [m.label for m in at.metric]


def test_language_switch_changes_the_texts(
    make_app: Callable[..., AppTest], fixture_db_path: Path
) -> None:
    at = make_app(fixture_db_path).run()
    assert at.title[0].value == "Overview"
    at.segmented_control[0].set_value("de").run()
    assert at.title[0].value == "Übersicht"


def test_empty_database_says_what_to_upload(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    at = make_app(tmp_path / "empty.duckdb").run()
    assert not at.exception
    assert not at.metric
    # the checklist of the four datasets (tests/app/test_getting_started.py), no CLI step
    assert at.subheader[0].value.startswith("Getting started")
    assert "crm-dash demo" not in " ".join(m.value for m in at.markdown)


def test_page_opened_directly_renders_without_the_shell(
    make_app: Callable[..., AppTest], fixture_db_path: Path
) -> None:
    at = make_app(fixture_db_path, "pages/overview.py").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["People in the roster"] == "6"


def test_demo_database_shows_the_banner(
    make_app: Callable[..., AppTest], fixture_db_path: Path
) -> None:
    conn = db.connect(fixture_db_path)
    with db.transaction(conn) as cur:
        db.set_meta(cur, "demo", "true")
    conn.close()
    at = make_app(fixture_db_path).run()
    assert "Demo data" in at.warning[0].value
