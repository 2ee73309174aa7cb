"""The upload page with pseudonyms on: no person shows in plain text, whatever the dataset."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.datasets import DATASETS, DatasetKind, field_label
from crm_dash.settings import set_setting

EXPORTS = Path(__file__).parent.parent / "fixtures" / "exports"


def _pseudonyms_on(database: Path) -> None:
    conn = db.connect(database)
    set_setting(conn, "privacy.pseudonymise", True, actor="admin")
    conn.close()


@pytest.mark.parametrize(("kind", "file", "column", "plain"), [
    (DatasetKind.USAGE, "salesforce_loginhistory_setup.csv", "user_id",
     "j.mueller@beispiel-gmbh.de"),  # Username: an e-mail
    (DatasetKind.USAGE, "dynamics_audit_view.csv", "user_id", "Anja Groß"),  # a full name
    (DatasetKind.USERS, "roster_de_excel.csv", "name", "Jürgen Müller"),
])
def test_preview_shows_pseudonyms(
    make_app: Callable[..., AppTest], tmp_path: Path, kind: DatasetKind, file: str,
    column: str, plain: str,
) -> None:
    database = tmp_path / "crm.duckdb"
    _pseudonyms_on(database)
    at = make_app(database, "pages/upload.py").run()
    at.radio(key="upload_kind").set_value(kind).run()
    at.file_uploader[0].set_value([(file, (EXPORTS / file).read_bytes(), "text/csv")])
    at.run()
    assert not at.exception and not at.error
    label = field_label(kind, column, "en")  # the preview is headed by the fields' labels
    preview = next(d.value for d in at.dataframe if label in d.value.columns)
    assert preview[label].map(
        lambda v: str(v).startswith("Person ")).all()
    for identifying in ("user_id", "manager_id", "name", "email"):
        if identifying in DATASETS[kind].field_names:
            label = field_label(kind, identifying, "en")
            if label in preview.columns:
                assert not preview[label].astype(str).str.contains("@").any(), identifying
    assert plain not in preview.to_csv()


def test_preview_shows_people_when_pseudonyms_are_off(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    at = make_app(tmp_path / "crm.duckdb", "pages/upload.py").run()
    at.radio(key="upload_kind").set_value(DatasetKind.USAGE).run()
    file = "salesforce_loginhistory_setup.csv"
    at.file_uploader[0].set_value([(file, (EXPORTS / file).read_bytes(), "text/csv")])
    at.run()
    who = field_label(DatasetKind.USAGE, "user_id", "en")
    preview = next(d.value for d in at.dataframe if who in d.value.columns)
    assert "j.mueller@beispiel-gmbh.de" in preview[who].tolist()
