"""Every page, for every role, in German and English: no raw value reaches the reader.

Runs over the demo company (every dataset, goals, a retrospective) and over a company whose
exports leave fields out (empty values everywhere). A page fails when what it shows holds
``None``, ``nan``, ``NaT``, ``True``/``False`` or a time of day of ``00:00:00`` (a date printed as
a timestamp), or when it raises. A German page also fails on English Streamlit writes itself,
as far as AppTest sees the widgets, unless docs/streamlit-english.md keeps it with a reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.demo import build_demo
from crm_dash.goals.demo import add_demo_goals
from crm_dash.pages import PAGES, Role
from crm_dash.retro.demo import add_demo_retro
from crm_dash.ui.streamlit_language import KEPT_ENGLISH, MARKER
from tests import unknown_company

MakeApp = Callable[..., AppTest]

#: Raw values that must never reach a reader: Python's and pandas' missing values and booleans,
#: and a date shown as a midnight timestamp.
RAW = re.compile(r"(?<![\w-])(None(?! of\b)|nan|NaN|NaT|True|False)(?![\w-])|\b00:00:00\b")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo company (120 people, 18 months to October 2026) with goals and a
    retrospective, as ``crm-dash demo`` builds it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    conn = db.connect(path)
    summary = build_demo(conn, end_month=date(2026, 10, 1), out_dir=None, users=120)
    add_demo_goals(conn, summary)
    add_demo_retro(conn, summary)
    conn.close()
    return path


@pytest.fixture(scope="module")
def sparse_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A company whose exports lack optional fields (start dates, costs, areas, statuses)."""
    return unknown_company.build(tmp_path_factory.mktemp("sparse") / "sparse.duckdb")


def _shown(at: AppTest) -> Iterator[tuple[str, str]]:
    """(where, text) of everything the page shows as text or in a table cell."""
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):
        for element in getattr(at, kind):
            yield kind, str(element.value)
    for metric in at.metric:
        yield "metric", f"{metric.label}: {metric.value} {metric.proto.delta}"
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        for header in frame.value.columns:
            yield "table header", str(header)
        for column, values in frame.value.items():
            date_format = config.get(str(column), {}).get("type_config", {}).get("format")
            for cell in values.astype(object):
                if cell is None or (isinstance(cell, float) and cell != cell):
                    if not frame.proto.placeholder:  # Streamlit's grid would draw "None"
                        yield "table cell", f"{column}: None"
                elif isinstance(cell, date | pd.Timestamp):
                    if date_format in (None, "", "localized"):  # the browser's language
                        yield "table cell", f"{column}: date {cell} in no set format (None)"
                else:
                    yield "table cell", str(cell)
    for box in at.selectbox:
        for option in box.options:
            yield "select option", str(option)


def _raw_values(at: AppTest) -> list[str]:
    """Each raw value found, once per place (a table column reports its first cell)."""
    found: dict[str, str] = {}
    for where, text in _shown(at):
        if RAW.search(text):
            place = f"{where} {text.split(':')[0]}" if where == "table cell" else text[:160]
            found.setdefault(place, f"{where}: {text[:160]!r}")
    return list(found.values())


def _streamlit_english(at: AppTest) -> list[str]:
    """Streamlit's own English this page shows, less what the style sheet replaces and what
    docs/streamlit-english.md keeps (``KEPT_ENGLISH``, each with its reason)."""
    styled = any(MARKER in str(getattr(e.proto, "body", "")) for e in at.get("html"))
    kept = {k.text for k in KEPT_ENGLISH}
    shown: set[str] = set()
    if not styled:  # the style sheet replaces these, or nothing does
        if at.get("file_uploader"):
            shown |= {"Upload", "200MB per file • CSV, TXT, TSV"}
        if at.text_input or at.text_area:
            shown.add("Press Enter to apply")
        shown.add("<html lang=\"en\">")
    # Streamlit's placeholder shows while nothing is chosen
    shown |= {"Choose options" for box in at.multiselect
              if not box.value and not box.proto.placeholder}
    shown |= {"Choose an option" for box in at.selectbox
              if not box.proto.HasField("default") and not box.proto.placeholder}
    if at.get("date_input"):
        shown.add(KEPT_ENGLISH[0].text)  # the calendar: kept, see its reason
    if at.dataframe:
        shown.add(KEPT_ENGLISH[1].text)  # the table toolbar: kept, see its reason
    return [f"Streamlit's English: {text!r}" for text in sorted(shown - kept)]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("role", [Role.ADMIN, Role.LEAD, Role.EXECUTIVE])
@pytest.mark.parametrize("database", ["demo_db", "sparse_db"])
def test_no_page_shows_a_raw_value(make_app: MakeApp, request: pytest.FixtureRequest,
                                   database: str, role: Role, lang: str) -> None:
    path: Path = request.getfixturevalue(database)
    problems: dict[str, list[str]] = {}
    for spec in PAGES:
        if not spec.allows(role):
            continue
        at = make_app(path, spec.script, role=role.value)
        at.query_params["lang"] = lang
        at.run(timeout=60)
        found = [f"exception: {e.value}" for e in at.exception] + _raw_values(at)
        if lang == "de":
            found += _streamlit_english(at)
        if found:
            problems[spec.key] = found
    assert problems == {}


def test_streamlit_english_kept_is_the_reviewed_list() -> None:
    """docs/streamlit-english.md lists exactly what the code keeps, each with its reason."""
    doc = (Path(__file__).parent.parent.parent / "docs" / "streamlit-english.md").read_text(
        encoding="utf-8")
    for kept in KEPT_ENGLISH:
        assert kept.text in doc and kept.reason in doc, kept.text
    assert doc.count("\n| ") - 2 == len(KEPT_ENGLISH)  # header, rule, one row per entry


def test_a_german_page_fails_on_streamlit_english_not_on_the_list() -> None:
    at = AppTest.from_string(
        "import streamlit as st\nst.multiselect('Abteilungen', ['Vertrieb'])\n"
        "st.file_uploader('Dateien')\n")
    found = _streamlit_english(at.run())
    assert "Streamlit's English: 'Choose options'" in found
    assert "Streamlit's English: 'Upload'" in found
