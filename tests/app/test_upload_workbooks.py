"""Excel workbooks on the upload page: read, sheet chosen, rejects named by cell, both downloads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.datasets import DatasetKind
from crm_dash.markdown import md_unescape
from tests import workbooks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(at: AppTest, path: Path) -> AppTest:
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), XLSX)])
    return at.run()


def _count(database: Path, sql: str) -> object:
    conn = db.connect(database)
    try:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def test_dynamics_workbook_is_read_checked_and_loaded(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    database = tmp_path / "crm.duckdb"
    path = workbooks.dynamics_users(tmp_path / "Aktive Benutzer.xlsx")
    at = make_app(database, "pages/upload.py").run()
    assert "Excel workbooks" in at.file_uploader[0].label
    _upload(at, path)
    assert not at.exception and not at.error
    captions = md_unescape(" ".join(c.value for c in at.caption))
    assert "Excel workbook, sheet **Aktive Benutzer**: 4 rows read" in captions
    assert "1 rows hidden in Excel (by a filter or by hand) were read too" in captions
    assert {m.label: m.value for m in at.metric}["Will be loaded"] == "4"
    load = next(b for b in at.button if b.key and b.key.startswith("load:"))
    load.click().run()
    assert not at.exception
    assert _count(database, "SELECT count(*) FROM users") == 4


def test_sheet_choice_and_rejects_by_cell(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    database = tmp_path / "crm.duckdb"
    at = make_app(database, "pages/upload.py")
    at.query_params["lang"] = "de"
    at.run()
    _upload(at, workbooks.two_sheets(tmp_path / "zwei.xlsx"))
    assert not at.exception
    choice = next(s for s in at.selectbox if s.key and s.key.startswith("sheet:"))
    assert choice.value == "Q3" and choice.options == ["Deckblatt", "Q3", "Q4 & Rest"]
    choice.set_value("Q4 & Rest").run()
    assert not at.exception
    assert "Blatt **Q4 & Rest**" in md_unescape(" ".join(c.value for c in at.caption))

    at2 = make_app(tmp_path / "other.duckdb", "pages/upload.py").run()
    _upload(at2, workbooks.serial_dates(tmp_path / "liste.xlsx", start_dates=[45292, 12, 45366]))
    assert not at2.exception
    rejects = next(d.value for d in at2.dataframe if "Cell" in d.value.columns)
    assert rejects["Cell"].tolist() == ["Liste!D2", "Liste!D3", "Liste!D4"]
    labels = [b.label for b in at2.get("download_button")]
    assert labels[-2:] == ["Download the rejected rows (CSV)", "Download Excel (.xlsx)"]
    assert at2.radio(key="upload_kind").value == DatasetKind.USERS
