"""The demo's export files are faithful: imported through the real importer into a fresh
database, they give the very rows the demo stores straight from its frames."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from crm_dash.datasets import DATASETS, DatasetKind
from crm_dash.db import connect
from crm_dash.demo import MIN_USERS, DemoSummary, build_demo
from crm_dash.demo.training import KIND_LABELS, STATUS_LABELS
from crm_dash.importing.labels import TRAINING_KIND, TRAINING_STATUS
from crm_dash.importing.run import inspect_file, run_import

END_MONTH = date(2026, 3, 1)
# Every stored column except ``batch_id``: batch numbers are bookkeeping, not data (they happen
# to agree here because both databases take the files in the same order). Derived columns
# (user_key, owner_key) and the source's own action label (source_action) are compared too.
NOT_COMPARED = "batch_id"


@pytest.fixture(scope="module")
def databases(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection, DemoSummary]:
    """The demo built straight from its frames, and its written files imported as the CLI does."""
    root = tmp_path_factory.mktemp("roundtrip")
    demo = connect(root / "demo.duckdb")
    summary = build_demo(demo, end_month=END_MONTH, out_dir=root / "out", users=MIN_USERS)
    kinds = dict(demo.execute("SELECT file_name, kind FROM import_batches").fetchall())
    imported = connect(root / "imported.duckdb")
    for path in summary.files:
        workdir = root / f"work-{path.stem}"
        workdir.mkdir()
        inspection = inspect_file(imported, path, DatasetKind(kinds[path.name]), workdir)
        report = run_import(imported, inspection, mapping=dict(inspection.mapping),
                            imported_by="test", source="cli", max_reject_rate=0.01)
        assert (report.status, report.rows_rejected, report.duplicates_skipped) == (
            "loaded", 0, 0), path.name
        assert report.rows_loaded == len(path.read_bytes().splitlines()) - 1, path.name
    return demo, imported, summary


def _rows(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[object, ...]]:
    return conn.execute(f"SELECT * EXCLUDE ({NOT_COMPARED}) FROM {table} ORDER BY ALL").fetchall()


@pytest.mark.parametrize("kind", list(DatasetKind))
def test_imported_files_hold_the_same_rows_as_the_demo(
    databases: tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection, DemoSummary],
    kind: DatasetKind,
) -> None:
    demo, imported, _ = databases
    table = DATASETS[kind].table
    expected, actual = _rows(demo, table), _rows(imported, table)
    assert expected, table
    assert len(actual) == len(expected), table
    columns = [c[0] for c in demo.execute(
        f"SELECT * EXCLUDE ({NOT_COMPARED}) FROM {table} LIMIT 0").description or []]
    for index, column in enumerate(columns):  # one column at a time: a failure names it
        assert sorted(map(repr, (r[index] for r in actual))) == sorted(
            map(repr, (r[index] for r in expected))), f"{table}.{column}"
    assert actual == expected, table


def test_what_the_audit_found_survives_the_import(
    databases: tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection, DemoSummary],
) -> None:
    _, imported, _ = databases
    kinds = dict(imported.execute(
        "SELECT kind, count(*) FROM training_records GROUP BY kind").fetchall())
    assert kinds.get("monthly", 0) > 0 and "other" not in kinds  # "Monthly Session"
    assert imported.execute(
        "SELECT DISTINCT currency FROM opportunity_snapshots").fetchall() == [("EUR",)]
    labels = {r[0]: r[1] for r in imported.execute(
        "SELECT DISTINCT source_action, action FROM usage_events").fetchall()}
    assert labels["Login"] == "login" and labels["LightningPageView"] == "view"
    assert labels["query"] == "export"  # an API query pulls rows out


def test_every_label_the_demo_writes_is_known_to_the_importer() -> None:
    # Lower-cased, as the importer compares them.
    assert {k: TRAINING_KIND.get(label.lower()) for k, label in KIND_LABELS.items()} == {
        k: k for k in KIND_LABELS}
    assert {s: TRAINING_STATUS.get(label.lower()) for s, label in STATUS_LABELS.items()} == {
        s: s for s in STATUS_LABELS}


@pytest.mark.parametrize("label", ["Monthly Session", "Monatliche Sitzung",
                                   "monatliche Session", "Monatlicher Termin"])
def test_monthly_sessions_in_english_and_german(label: str) -> None:
    assert TRAINING_KIND[label.lower()] == "monthly"


def test_demo_files_are_importable_without_help(
    databases: tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection, DemoSummary],
    tmp_path: Path,
) -> None:
    """The opportunity extract maps its currency column without a --map."""
    _, imported, summary = databases
    path = next(p for p in summary.files if p.name == "opportunities_dataloader.csv")
    inspection = inspect_file(imported, path, DatasetKind.PIPELINE, tmp_path)
    assert inspection.preset is not None
    assert inspection.preset.name == "salesforce_opportunity_dataloader"
    assert inspection.mapping["currency"] == "CURRENCYISOCODE"
