"""Acceptance corpus: real-looking export variants, the mapping a correct importer proposes for
each, and the figures the loaded file gives.

The files live in tests/fixtures/exports/variants/ (see its README.md); the expectations in its
expected.toml were written by hand from the rows, never copied from the code's output. Usage,
pipeline and training variants are loaded after the companion roster (companion_roster.csv, in
the generic template), roster variants alone. Figures are "as of" October 2026.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from crm_dash.datasets import DatasetKind
from crm_dash.fixtures import load_generic_csv
from crm_dash.importing.run import Inspection, inspect_file, run_import
from crm_dash.metrics.pipeline import pipeline_summary
from crm_dash.metrics.report import adoption_report
from crm_dash.metrics.training import training_summary

VARIANTS = Path(__file__).parent.parent / "fixtures" / "exports" / "variants"
COMPANION = VARIANTS / "companion_roster.csv"
MONTH = date(2026, 10, 1)
EXPECTED: dict[str, dict[str, Any]] = tomllib.loads(
    (VARIANTS / "expected.toml").read_text(encoding="utf-8"))
NAMES = sorted(EXPECTED)
# Variants whose expected mapping the mapper does not reach yet, each with the reason written in
# expected.toml (``known_gap``); strict, so a fix shows up as a pass to be taken off the list.
MAPPING_CASES = [
    pytest.param(n, marks=pytest.mark.xfail(reason=EXPECTED[n]["known_gap"], strict=True))
    if "known_gap" in EXPECTED[n] else n
    for n in NAMES
]
# ... and those whose figures are off because of it (``known_gap_figures``).
FIGURE_CASES = [
    pytest.param(n, marks=pytest.mark.xfail(reason=EXPECTED[n]["known_gap_figures"],
                                            strict=True))
    if "known_gap_figures" in EXPECTED[n] else n
    for n in NAMES
]
ACTIONS = ("login", "view", "create", "update", "delete", "export", "other")
STATUSES = ("attended", "completed", "no_show", "registered")


def _variant(name: str) -> dict[str, Any]:
    return EXPECTED[name]


def _inspect(conn: duckdb.DuckDBPyConnection, tmp_path: Path, name: str) -> Inspection:
    variant = _variant(name)
    return inspect_file(conn, VARIANTS / variant["file"], DatasetKind(variant["kind"]), tmp_path)


def _one(conn: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = conn.execute(sql).fetchone()
    assert row is not None
    return row[0]


def _user_figures(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    report = adoption_report(conn, MONTH)
    return {
        "users": _one(conn, "SELECT count(*) FROM users"),
        "licensed": report["licensed"],
        "excluded_integration": report["excluded_integration"],
        "license_cost_sum": float(_one(
            conn, "SELECT coalesce(sum(license_cost_monthly), 0) FROM users")),
        "with_email": _one(
            conn, "SELECT count(*) FROM users WHERE nullif(trim(email), '') IS NOT NULL"),
        "with_end_date": _one(conn, "SELECT count(end_date) FROM users"),
    }


def _usage_figures(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    per_action = dict(conn.execute(
        "SELECT action, count(*) FROM usage_events GROUP BY action").fetchall())
    return {
        "events": _one(conn, "SELECT count(*) FROM usage_events"),
        **{action: int(per_action.get(action, 0)) for action in ACTIONS},
        "failed": _one(conn, "SELECT count(*) FROM usage_events WHERE NOT success"),
        "distinct_users": _one(conn, "SELECT count(DISTINCT user_key) FROM usage_events"),
        "active_users": adoption_report(conn, MONTH)["active_users"],
    }


def _pipeline_figures(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    summary = pipeline_summary(conn)
    assert summary is not None, "no pipeline data was stored"
    return {
        "opportunities": summary.opportunities,
        "open": summary.open,
        "won": summary.won,
        "lost": summary.lost,
        "as_of": summary.as_of.isoformat(),
        "open_overdue_share": summary.open_overdue_share,
        "open_stale_30d_share": summary.open_stale_30d_share,
        "open_value": summary.open_value,
        "unmatched_owners": summary.unmatched_owners,
    }


def _training_figures(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    per_status = dict(conn.execute(
        "SELECT status, count(*) FROM training_records GROUP BY status").fetchall())
    summary = training_summary(conn, MONTH)
    return {
        "records": _one(conn, "SELECT count(*) FROM training_records"),
        **{f"status_{s}": int(per_status.get(s, 0)) for s in STATUSES},
        "trained": summary.trained,
        "trained_share": summary.trained_share,
    }


FIGURES: dict[DatasetKind, Callable[[duckdb.DuckDBPyConnection], dict[str, Any]]] = {
    DatasetKind.USERS: _user_figures,
    DatasetKind.USAGE: _usage_figures,
    DatasetKind.PIPELINE: _pipeline_figures,
    DatasetKind.TRAINING: _training_figures,
}


def _matches(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float) and actual is not None:
        return bool(actual == pytest.approx(expected, abs=1e-3))
    return bool(actual == expected)


def test_corpus_is_big_and_complete() -> None:
    kinds = [v["kind"] for v in EXPECTED.values()]
    assert len(kinds) >= 40
    for kind in DatasetKind:
        assert kinds.count(kind.value) >= 8, kind.value
    listed = {v["file"] for v in EXPECTED.values()}
    on_disk = {p.relative_to(VARIANTS).as_posix() for p in VARIANTS.glob("*/*.csv")}
    assert listed == on_disk
    for name, variant in EXPECTED.items():
        assert name == variant["file"].removesuffix(".csv"), name
        assert variant["kind"] == name.split("/")[0], name
        assert set(variant["mapping"]).isdisjoint(variant["unmapped"]), name
        assert variant["figures"], name


@pytest.mark.parametrize("name", NAMES)
def test_expected_headers_exist(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path, name: str
) -> None:
    """The corpus itself: every header the expectations name is one the file has (as read)."""
    inspection = _inspect(conn, tmp_path, name)
    missing = sorted(set(_variant(name)["mapping"].values()) - set(inspection.headers))
    assert not missing, f"not among the headers read {inspection.headers}"


@pytest.mark.parametrize("name", MAPPING_CASES)
def test_proposed_mapping(conn: duckdb.DuckDBPyConnection, tmp_path: Path, name: str) -> None:
    variant = _variant(name)
    proposed = _inspect(conn, tmp_path, name).mapping
    wrong = {field: (column, proposed.get(field)) for field, column in variant["mapping"].items()
             if proposed.get(field) != column}
    mapped_but_absent = {field: proposed[field] for field in variant["unmapped"]
                         if field in proposed}
    assert not wrong and not mapped_but_absent, (
        f"expected -> proposed: {wrong}; mapped although the file lacks them: "
        f"{mapped_but_absent}; whole proposal: {proposed}"
    )


@pytest.mark.parametrize("name", FIGURE_CASES)
def test_figures(conn: duckdb.DuckDBPyConnection, tmp_path: Path, name: str) -> None:
    variant = _variant(name)
    kind = DatasetKind(variant["kind"])
    if kind != DatasetKind.USERS:
        load_generic_csv(conn, DatasetKind.USERS, COMPANION)
    inspection = _inspect(conn, tmp_path, name)
    report = run_import(conn, inspection, imported_by="test", source="cli")
    assert report.status == "loaded", report.problem
    actual = FIGURES[kind](conn)
    expected: dict[str, Any] = variant["figures"]
    differing = {key: (value, actual.get(key)) for key, value in expected.items()
                 if not _matches(actual.get(key), value)}
    assert not differing, (
        f"expected -> actual: {differing}; rows read {report.rows_read}, rejected "
        f"{report.rows_rejected}; mapping used: {inspection.mapping}"
    )
