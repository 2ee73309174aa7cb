"""The Import history page's view: the uploads, what deleting the chosen one removes, and the
integration accounts, for leads (with and without pseudonyms) and for an audience that sees no
people.

Data: tests/fixtures/generic, loaded file by file (users 7 rows, usage 12, pipeline 4, training
5: batches 1 to 4); "Integration SAP" (005A00000000007) is flagged by the roster itself, so it
waits for a lead's confirmation, and no decision by hand has been made yet.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from crm_dash import db
from crm_dash.audience import Audience
from crm_dash.datasets import DatasetKind
from crm_dash.fixtures import load_generic_folder
from crm_dash.pages import Role
from crm_dash.views.imports import imports_view
from crm_dash.views.snapshot import Snapshot, snapshot
from tests.view_walk import texts

GENERIC = Path(__file__).parent.parent / "fixtures" / "generic"
LEAD = Audience(Role.LEAD)


@pytest.fixture
def snap(tmp_path: Path) -> Iterator[Snapshot]:
    conn: duckdb.DuckDBPyConnection = db.connect(tmp_path / "crm.duckdb")
    load_generic_folder(conn, GENERIC)
    yield snapshot(conn, db=str(tmp_path / "crm.duckdb"))
    conn.close()


def _people() -> list[str]:
    with (GENERIC / "users.csv").open(encoding="utf-8") as rows:
        return [v for r in csv.DictReader(rows) for v in (r["name"], r["email"])]


def test_the_uploads_newest_first_and_what_deleting_one_removes(snap: Snapshot) -> None:
    view = imports_view(snap, None, LEAD)
    assert view.batches["file_name"].tolist() == [
        "training.csv", "pipeline.csv", "usage.csv", "users.csv"]
    assert view.batches["rows_loaded"].tolist() == [5, 4, 12, 7]
    assert set(view.batches["imported_by"]) == {"fixture"}
    # nothing chosen yet: the newest upload, whose 5 training records only it supplied
    assert view.deletion is not None
    assert (view.deletion.batch.batch_id, view.deletion.batch.rows) == (4, 5)
    usage = imports_view(snap, 2, LEAD).deletion
    assert usage is not None and (usage.batch.kind, usage.batch.rows) == (DatasetKind.USAGE, 12)
    # the only pipeline upload: deleting it empties the pipeline
    pipeline = imports_view(snap, 3, LEAD).deletion
    assert pipeline is not None and pipeline.last_pipeline
    gone = imports_view(snap, 99, LEAD).deletion  # a choice since deleted: the newest again
    assert gone is not None and gone.batch.batch_id == 4


def test_the_roster_to_flag_and_the_account_to_confirm(snap: Snapshot) -> None:
    flags = imports_view(snap, None, LEAD).integration
    assert flags is not None
    assert len(flags.roster) == 7
    assert flags.roster.loc[flags.roster["is_integration"], "name"].tolist() == [
        "Integration SAP"]
    assert flags.to_confirm[["name", "reason"]].to_dict("records") == [
        {"name": "Integration SAP", "reason": "roster"}]


def test_pseudonyms_replace_names_and_emails(snap: Snapshot) -> None:
    view = imports_view(snap, None, Audience(Role.LEAD, pseudonyms=True))
    assert view.integration is not None
    assert all(n.startswith("Person ") for n in view.integration.roster["name"])
    shown = texts(view).lower()
    assert not [name for name in _people() if name.lower() in shown]


def test_an_audience_that_sees_no_people_gets_no_roster_and_no_uploaders(
        snap: Snapshot) -> None:
    view = imports_view(snap, None, Audience(Role.EXECUTIVE))
    assert view.integration is None
    assert view.batches["imported_by"].isna().all()
    shown = texts(view).lower()
    assert not [name for name in _people() if name.lower() in shown]
