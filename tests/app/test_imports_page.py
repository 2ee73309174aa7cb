"""The import history page in AppTest: every batch, deleting one after a confirmation,
integration accounts by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.datasets import DatasetKind
from crm_dash.markdown import md_unescape


def _rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = db.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_every_batch_is_listed(make_app: Callable[..., AppTest], fixture_db_path: Path) -> None:
    at = make_app(fixture_db_path, "pages/imports.py").run()
    assert not at.exception
    assert at.title[0].value == "Import history"
    table = at.dataframe[0].value
    # What became of the rows right after the file: at 1280 px the counts must be in view
    assert table.columns.tolist() == ["Upload", "File", "Dataset", "Read", "Loaded", "Rejected",
                                      "Duplicates", "When", "By", "Format"]
    assert table["File"].tolist() == ["training.csv", "pipeline.csv", "usage.csv", "users.csv"]
    assert table["Dataset"].tolist()[-1] == "User roster"
    assert table["Loaded"].tolist() == ["5", "4", "12", "7"]  # in the reader's numbers


def test_counts_are_written_in_the_readers_numbers(
        make_app: Callable[..., AppTest], tmp_path: Path) -> None:
    from crm_dash import db
    from crm_dash.datasets import DatasetKind
    from crm_dash.fixtures import load_generic_csv

    # 1,200 people in a roster: the count reads 1.200 in German and 1,200 in English
    roster = tmp_path / "users.csv"
    roster.write_text("user_id,name,email,department\n" + "".join(
        f"U{i:05d},Person {i},p{i}@example.com,Vertrieb\n" for i in range(1200)),
        encoding="utf-8")
    path = tmp_path / "crm.duckdb"
    conn = db.connect(path)
    load_generic_csv(conn, DatasetKind.USERS, roster)
    conn.close()
    for lang, shown in (("de", "1.200"), ("en", "1,200")):
        at = make_app(path, "pages/imports.py")
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception
        assert at.dataframe[0].value.iloc[0, 3:5].tolist() == [shown, shown]


def test_delete_needs_a_confirmation_and_removes_exactly_the_batch(
    make_app: Callable[..., AppTest], fixture_db_path: Path
) -> None:
    at = make_app(fixture_db_path, "pages/imports.py").run()
    at.selectbox(key="imports_delete_pick").set_value(2).run()  # usage.csv
    assert "removes the 12 rows only **usage.csv** supplied" in md_unescape(" ".join(
        m.value for m in at.markdown))
    assert at.button(key="imports_delete").disabled
    at.checkbox(key="imports_confirm_2").check().run()
    at.button(key="imports_delete").click().run()
    assert not at.exception
    assert md_unescape(at.success[0].value) == "Upload #2 (usage.csv) and its 12 rows were deleted."
    assert _rows(fixture_db_path, "SELECT count(*) FROM usage_events") == [(0,)]
    assert _rows(fixture_db_path, "SELECT count(*) FROM users") == [(7,)]
    assert _rows(fixture_db_path, "SELECT batch_id FROM import_batches ORDER BY 1") == [
        (1,), (3,), (4,)]
    assert _rows(fixture_db_path, "SELECT actor, action, target FROM audit_log"
                 " WHERE action = 'delete_batch'") == [("lead", "delete_batch", "2")]
    assert at.dataframe[0].value["File"].tolist() == ["training.csv", "pipeline.csv",
                                                      "users.csv"]


def test_flag_an_integration_account_by_hand(
    make_app: Callable[..., AppTest], fixture_db_path: Path
) -> None:
    at = make_app(fixture_db_path, "pages/imports.py").run()
    accounts = at.multiselect(key="imports_integration_pick")
    assert accounts.value == ["005A00000000007"]  # "Integration SAP" from the roster
    accounts.select("005A00000000004")
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    assert "Saved: 1 change." in at.success[0].value
    assert _rows(fixture_db_path, "SELECT user_key FROM users WHERE is_integration ORDER BY 1"
                 ) == [("005A00000000004",), ("005A00000000007",)]


def test_empty_history(make_app: Callable[..., AppTest], tmp_path: Path) -> None:
    at = make_app(tmp_path / "crm.duckdb", "pages/imports.py").run()
    assert not at.exception
    assert at.info[0].value == "Nothing has been imported yet."


def test_german(make_app: Callable[..., AppTest], fixture_db_path: Path) -> None:
    at = make_app(fixture_db_path, "pages/imports.py")
    at.query_params["lang"] = "de"
    at.run()
    assert at.title[0].value == "Importverlauf"
    assert at.dataframe[0].value["Datensatz"].tolist()[-1] == "Benutzerliste"


def test_executives_may_not_open_it(make_app: Callable[..., AppTest],
                                    fixture_db_path: Path) -> None:
    at = make_app(fixture_db_path, "pages/imports.py", role="executive").run()
    assert not at.dataframe
    assert at.error


def test_recognised_integration_accounts_are_confirmed(
    make_app: Callable[..., AppTest], tmp_path: Path
) -> None:
    from crm_dash.importing.run import inspect_file, run_import

    database = tmp_path / "crm.duckdb"
    roster = tmp_path / "benutzer.csv"
    roster.write_text("Id,Name,Profile\n1,Anna Berg,Standard User\n"
                      "2,SAP Connector,Minimum Access - API Only Integrations\n"
                      "3,Clara Weiß,Integration Manager\n", encoding="utf-8")
    conn = db.connect(database)
    run_import(conn, inspect_file(conn, roster, DatasetKind.USERS, tmp_path),
               imported_by="lead", source="upload")
    conn.close()
    at = make_app(database, "pages/imports.py").run()
    table = at.dataframe[1].value
    assert table["Name"].tolist() == ["SAP Connector"]  # not the Integration Manager
    assert table["Why"].tolist() == ["Profile or role names a system account"]
    at.button(key="imports_integration_confirm").click().run()
    assert not at.exception
    assert at.success[0].value == ("Confirmed 1 integration account; a later roster upload"
                                   " keeps them.")
    conn = db.connect(database)
    assert conn.execute("SELECT user_key, is_integration, set_by FROM integration_overrides"
                        ).fetchall() == [("2", True, "lead")]
    conn.close()
