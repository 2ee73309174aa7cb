"""The upload page in AppTest: detect, map, check, reject, load or cancel."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.datasets import DatasetKind
from crm_dash.markdown import md_unescape
from crm_dash.metrics.activity import refresh_activity

FIXTURES = Path(__file__).parent.parent / "fixtures"
EXPORTS = FIXTURES / "exports"


def _upload(at: AppTest, *paths: Path) -> AppTest:
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), "text/csv") for p in paths])
    return at.run()


def _button(at: AppTest, prefix: str, index: int = 0) -> object:
    keys = [b.key for b in at.button if b.key and b.key.startswith(prefix)]
    return at.button(key=keys[index])


def _rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = db.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_german_excel_roster_is_detected_checked_and_loaded(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    database = tmp_path / "crm.duckdb"
    at = make_app(database, "pages/upload.py").run()
    assert not at.exception
    assert at.title[0].value == "Upload data"
    assert "crm-dash import FILE --kind users" in " ".join(c.value for c in at.caption)
    _upload(at, EXPORTS / "roster_de_excel.csv")
    assert not at.exception and not at.error
    captions = md_unescape(" ".join(c.value for c in at.caption))  # as the reader sees it
    assert "Windows-1252 (ANSI) · semicolon-separated · header in line 4" in captions
    assert "3 lines above the header skipped" in captions
    assert "Lizenzkosten/Monat: 1.234,56" in captions
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Rows read": "5", "Will be loaded": "5", "Rejected rows": "0",
                       "Already stored": "0"}
    # The preview, headed by the fields' labels, values in English formats.
    preview = next(d.value for d in at.dataframe if "Display name" in d.value.columns)
    assert preview["Display name"].tolist()[:3] == ["Jürgen Müller", "Özlem Çelik", "Sören Weiß"]
    assert not any(c in preview.columns for c in ("name", "user_id", "start_date"))
    assert _rows(database, "SELECT count(*) FROM users") == [(0,)]  # a check writes nothing

    _button(at, "load:").click().run()  # type: ignore[attr-defined]
    assert not at.exception
    assert at.success[0].value.startswith("Loaded 5 rows as upload #")
    assert _rows(database, "SELECT imported_by, source, rows_loaded FROM import_batches") == [
        ("lead", "upload", 5)]
    assert _rows(database, "SELECT count(*) FROM users WHERE is_integration") == [(1,)]
    assert _rows(database, "SELECT actor, action FROM audit_log WHERE action = 'import'") == [
        ("lead", "import")]


def test_a_usage_upload_prepares_the_activity_table(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    """The rebuild happens while the upload's spinner runs, not on the next page view."""
    database = tmp_path / "crm.duckdb"
    at = make_app(database, "pages/upload.py").run()
    at.radio(key="upload_kind").set_value(DatasetKind.USAGE).run()
    _upload(at, EXPORTS / "salesforce_eventlog_login.csv")
    _button(at, "load:").click().run()  # type: ignore[attr-defined]
    assert not at.exception and at.success[0].value.startswith("Loaded 3 rows")
    assert _rows(database, "SELECT count(*) FROM activity_months") == [(2,)]
    conn = db.connect(database)
    try:
        assert refresh_activity(conn, "Europe/Berlin") is False  # already up to date
    finally:
        conn.close()


def _warnings(at: AppTest) -> str:
    """Every warning on the page, as the reader sees it (the export guide warns too)."""
    return "\n".join(md_unescape(w.value) for w in at.warning)


def test_mapping_can_be_changed_and_is_remembered(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    database = tmp_path / "crm.duckdb"
    at = make_app(database, "pages/upload.py").run()
    _upload(at, EXPORTS / "bad" / "wrong_columns.csv")
    assert "Required fields without a column: user_id." in _warnings(at)
    assert not at.metric  # nothing is checked before the required fields are mapped
    user_id = next(s for s in at.selectbox if s.key and s.key.endswith(":user_id"))
    user_id.set_value("Kunde").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Will be loaded"] == "1"
    _button(at, "load:").click().run()  # type: ignore[attr-defined]
    assert _rows(database, "SELECT user_id FROM users") == [("Müller GmbH",)]
    assert _rows(database, "SELECT mapping FROM import_mappings") == [
        ('{"user_id": "Kunde", "team": "Region"}',)]  # Region: a synonym of team

    at = make_app(database, "pages/upload.py").run()
    next_month = tmp_path / "kunden_november.csv"
    next_month.write_text("Kunde;Umsatz;Region\nSchröder KG;500,00;Nord\n", encoding="cp1252")
    _upload(at, next_month)
    assert "Mapping confirmed for this file layout" in at.success[0].value
    assert {m.label: m.value for m in at.metric}["Will be loaded"] == "1"  # one click away


def test_rejects_are_shown_downloadable_and_the_user_decides(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    database = tmp_path / "crm.duckdb"
    at = make_app(database, "pages/upload.py")
    at.run()
    at.radio(key="upload_kind").set_value(DatasetKind.USAGE).run()
    _upload(at, EXPORTS / "bad" / "invalid_dates.csv")
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Rejected rows"] == "3"
    # The rejects table (the guide and the preview are tables too).
    rejects = next(d.value for d in at.dataframe if d.value.shape[1] == 4
                   and d.value.values.tolist()[0][0] == 5)
    assert rejects.values.tolist()[0] == [
        5, "Zeitstempel", "31.02.2026 07:15",
        "not valid in the column's format dd.mm.yyyy [hh:mm]"]
    assert "Download the rejected rows (CSV)" in [b.label for b in at.get("download_button")]
    load = _button(at, "load:")
    assert load.label == "Load without the rejected rows"  # type: ignore[attr-defined]
    _button(at, "cancel:").click().run()  # type: ignore[attr-defined]
    assert "Cancelled: nothing from invalid_dates.csv was loaded." in md_unescape(
        at.info[0].value)  # the file name is escaped for Markdown
    assert _rows(database, "SELECT count(*) FROM import_batches") == [(0,)]


def test_bad_files_get_clear_messages_and_change_nothing(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    database = tmp_path / "crm.duckdb"
    at = make_app(database, "pages/upload.py").run()
    _upload(at, EXPORTS / "bad" / "excel_renamed.csv", EXPORTS / "bad" / "ragged.csv",
            EXPORTS / "bad" / "empty.csv")
    assert not at.exception
    # Shown as every page shows an error (crm_dash.ui.page.error_markdown): title, message, code.
    errors = [md_unescape(e.value) for e in at.error]
    assert errors[0].startswith(
        "**Import rejected**: This workbook cannot be read: the file is damaged")
    assert errors[1].startswith("**Import rejected**: Some rows have a different number of columns")
    assert errors[2] == (
        "**Import rejected**: The file is empty. :small[:gray[Error code import.empty]]")
    assert _rows(database, "SELECT count(*) FROM import_batches") == [(0,)]


def test_same_file_again_is_not_loaded_twice(
    make_app: Callable[..., AppTest], fixture_db_path: Path
) -> None:
    at = make_app(fixture_db_path, "pages/upload.py").run()
    _upload(at, FIXTURES / "generic" / "users.csv")
    assert "This exact file was imported before (upload #1)" in at.info[0].value
    assert not at.button or not any(b.key and b.key.startswith("load:") for b in at.button)


@pytest.fixture
def small_upload_limit() -> Iterator[None]:
    before = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 1)
    yield
    st_config.set_option("server.maxUploadSize", before)


def test_a_file_over_the_upload_limit_points_to_the_cli(
    make_app: Callable[..., AppTest], tmp_path: Path, small_upload_limit: None
) -> None:
    big = tmp_path / "usage_big.csv"
    big.write_bytes(b"user_id,timestamp\n" + b"005A00000000001AAA,2026-10-01T08:00:00Z\n" * 40_000)
    at = make_app(tmp_path / "crm.duckdb", "pages/upload.py").run()
    _upload(at, big)
    assert "larger than the browser limit of 1 MB" in at.error[0].value
    assert "crm-dash import FILE --kind users" in at.error[0].value


def test_the_configured_upload_limit_is_deliberate() -> None:
    config = (Path(__file__).parent.parent.parent / ".streamlit" / "config.toml").read_text()
    assert "maxUploadSize = 200" in config


def test_tables_have_no_unescaped_csv_export() -> None:
    """Streamlit's own table download does not neutralise formula cells; ours does."""
    config = tomllib.loads(
        (Path(__file__).parent.parent.parent / ".streamlit" / "config.toml").read_text()
    )
    assert config["client"]["disableDataExport"] is True


def test_in_german(make_app: Callable[..., AppTest], tmp_path: Path) -> None:
    at = make_app(tmp_path / "crm.duckdb", "pages/upload.py")
    at.query_params["lang"] = "de"
    at.run()
    at.radio(key="upload_kind").set_value(DatasetKind.PIPELINE).run()
    _upload(at, EXPORTS / "dynamics_opportunity_excel_de.csv")
    assert at.title[0].value == "Daten hochladen"
    assert "Erkannt als **Dynamics-365-Verkaufschancen, Export nach Excel (deutsch)**" in (
        at.success[0].value)
    assert {m.label: m.value for m in at.metric}["Werden geladen"] == "3"


def test_executives_may_not_upload(make_app: Callable[..., AppTest], tmp_path: Path) -> None:
    at = make_app(tmp_path / "crm.duckdb", "pages/upload.py", role="executive").run()
    assert not at.file_uploader
    assert at.error


def test_an_unsure_match_is_flagged_with_its_evidence(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    """The HR list's e-mail column "Erreichbar unter" is known by its values only (0.6)."""
    at = make_app(tmp_path / "crm.duckdb", "pages/upload.py").run()
    _upload(at, EXPORTS / "evidence" / "roster_hr_list.csv")
    assert not at.exception and not at.success  # never "mapped for you"
    check = next(md_unescape(w.value) for w in at.warning
                 if w.value.startswith("Please check the mapping:"))
    assert ("Unsure: column 'Erreichbar unter' is used for the field \"E-mail address\""
            " (60 % sure)") in check
    captions = [md_unescape(c.value) for c in at.caption]
    assert ":orange[unsure · 60 %] — values: 100 % look like e-mails" in captions
    assert ':green[sure · 98 %] — header "Austritt" fits; values: 100 % are dates' in captions
    mapping = next(e for e in at.expander if e.label != "How do I get this file?")
    assert mapping.proto.expanded  # the mapping opens for a look


def test_unknown_labels_get_a_meaning_before_the_load(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    csv = tmp_path / "aktivitaeten.csv"
    csv.write_text("Benutzer;Zeitpunkt;Aktion\nU1;01.10.2026 08:00;Anmeldung\n"
                   "U1;01.10.2026 08:05;Freigeben\nU1;01.10.2026 08:06;Freigeben\n",
                   encoding="utf-8")
    database = tmp_path / "crm.duckdb"
    at = make_app(database, "pages/upload.py").run()
    at.radio(key="upload_kind").set_value(DatasetKind.USAGE).run()
    _upload(at, csv)
    choice = [s for s in at.selectbox if s.key and s.key.startswith("label:")]
    assert [(s.label, s.value) for s in choice] == [
        ("What was done: 'Freigeben' · rows: 2", "other")]
    choice[0].set_value("update").run()
    assert not at.exception
    _button(at, "load:").click().run()  # type: ignore[attr-defined]
    assert _rows(database, "SELECT action, count(*) FROM usage_events GROUP BY 1 ORDER BY 1"
                 ) == [("login", 1), ("update", 2)]
    assert _rows(database, "SELECT value_labels FROM import_mappings") == [
        ('{"action": {"freigeben": "update"}}',)]


def _start_over_shown(at: AppTest) -> bool:
    return any(b.key == "upload_start_over" for b in at.button)


def test_start_over_only_beside_the_files_the_uploader_holds(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    """Issue 18: after Back and Forward a lone 'Upload other files' button sat under an empty
    uploader. The button and the panels go with the uploader's files, whichever way the page
    was left and entered."""
    at = make_app(tmp_path / "crm.duckdb", "app.py").run()
    at.switch_page("pages/upload.py").run()
    assert not _start_over_shown(at)
    _upload(at, EXPORTS / "roster_de_excel.csv")
    assert _start_over_shown(at) and at.file_uploader[0].value
    at.switch_page("pages/imports.py").run()
    at.switch_page("pages/upload.py").run()  # Back: the uploader is drawn anew
    assert not at.exception
    assert not _start_over_shown(at)
    assert not any("roster_de_excel" in m.value for m in at.markdown)
    # a browser whose uploader comes back empty while the session remembers its files
    _upload(at, EXPORTS / "roster_de_excel.csv")
    at.file_uploader[0].set_value([]).run()
    assert not _start_over_shown(at) and not at.exception
