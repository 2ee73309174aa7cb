"""What the upload page shows of a check: pseudonyms for every column that identifies a person."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from crm_dash.datasets import DatasetKind
from crm_dash.importing.run import ImportReport, inspect_file, run_import
from crm_dash.privacy import pseudonym, pseudonym_key, values_for_display
from crm_dash.settings import set_setting
from crm_dash.ui.upload_widgets import check_tables

EXPORTS = Path(__file__).parent.parent / "fixtures" / "exports"


def _check(conn: duckdb.DuckDBPyConnection, tmp_path: Path, file: str,
           kind: DatasetKind) -> ImportReport:
    inspection = inspect_file(conn, EXPORTS / file, kind, tmp_path)
    return run_import(conn, inspection, imported_by="lead", source="upload", commit=False)


def _rejects(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame({
        "line": pd.Series([2 + i for i in range(len(rows))], dtype="int64"),
        "column": [r[0] for r in rows], "field": [r[1] for r in rows],
        "value": [r[2] for r in rows], "reason": ["required"] * len(rows),
        "format": [""] * len(rows),
    })


@pytest.mark.parametrize(("file", "kind", "columns"), [
    ("salesforce_loginhistory_setup.csv", DatasetKind.USAGE, ["user_id"]),
    ("dynamics_audit_view.csv", DatasetKind.USAGE, ["user_id"]),
    ("salesforce_user.csv", DatasetKind.USERS, ["user_id", "name", "email", "manager_id"]),
    ("lms_transcript.csv", DatasetKind.TRAINING, ["user"]),
    ("salesforce_opportunity_report.csv", DatasetKind.PIPELINE, ["owner"]),
])
def test_preview_pseudonymises_identifying_columns(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, file: str, kind: DatasetKind,
    columns: list[str],
) -> None:
    report = _check(conn, tmp_path, file, kind)
    plain, _ = check_tables(conn, report, "en")
    assert plain.equals(report.preview)  # the setting is off: as imported
    set_setting(conn, "privacy.pseudonymise", True, actor="admin")
    preview, _ = check_tables(conn, report, "en")
    key = pseudonym_key(conn)
    for column in columns:
        values = [v for v in report.preview[column] if isinstance(v, str) and v]
        assert values, column
        assert [v for v in preview[column] if isinstance(v, str) and v] == [
            pseudonym(v, key) for v in values], column
    others = [c for c in report.preview.columns if c not in columns
              and c not in ("name", "email", "user", "owner", "user_id", "manager_id")]
    assert preview[others].equals(report.preview[others])


def test_rejected_values_of_identifying_columns_are_pseudonymised(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    report = _check(conn, tmp_path, "salesforce_loginhistory_setup.csv", DatasetKind.USAGE)
    report.rejects = _rejects([("Username", "user_id", "j.mueller@beispiel-gmbh.de"),
                               ("Login Time", "timestamp", "gestern"),
                               ("Username", "user_id", "")])
    _, table = check_tables(conn, report, "en")
    assert table["Value"].tolist() == ["j.mueller@beispiel-gmbh.de", "gestern", ""]
    set_setting(conn, "privacy.pseudonymise", True, actor="admin")
    _, table = check_tables(conn, report, "en")
    key = pseudonym_key(conn)
    assert table["Value"].tolist() == [pseudonym("j.mueller@beispiel-gmbh.de", key), "gestern",
                                       ""]
    assert table["Column"].tolist() == ["Username", "Login Time", "Username"]
    _, german = check_tables(conn, report, "de")
    assert german.iloc[0, 2] == pseudonym("j.mueller@beispiel-gmbh.de", key)


def test_values_for_display_leaves_the_input_alone(conn: duckdb.DuckDBPyConnection) -> None:
    frame = _rejects([("Benutzer", "user", "Anja Groß"), ("Datum", "date", "morgen")])
    set_setting(conn, "privacy.pseudonymise", True, actor="admin")
    shown = values_for_display(conn, frame, "value", "field")
    assert shown["value"].tolist() == [pseudonym("Anja Groß", pseudonym_key(conn)), "morgen"]
    assert frame["value"].tolist() == ["Anja Groß", "morgen"]
    empty = values_for_display(conn, frame.head(0), "value", "field")
    assert empty.empty


def test_rejects_name_the_field_they_belong_to(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = tmp_path / "usage.csv"
    path.write_text("Benutzer,Zeitstempel\n,2026-10-01T08:00:00Z\nanna@x.de,gestern\n"
                    "bert@x.de,2026-10-01T09:00:00Z\nclara@x.de,2026-10-01T10:00:00Z\n",
                    encoding="utf-8")
    workdir = tmp_path / "work"
    workdir.mkdir()
    report = run_import(conn, inspect_file(conn, path, DatasetKind.USAGE, workdir),
                        imported_by="lead", source="upload", commit=False)
    assert report.rejects[["column", "field", "value"]].values.tolist() == [
        ["Benutzer", "user_id", ""], ["Zeitstempel", "timestamp", "gestern"]]
