"""The Overview's checklist of the four datasets and the missing-usage notice (AppTest)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.datasets import DatasetKind

MakeApp = Callable[..., AppTest]


def _today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """The day the data-health report (and so the checklist) is computed for."""

    class _Fixed(date):
        @classmethod
        def today(cls) -> date:
            return day

    monkeypatch.setattr("crm_dash.views.snapshot.date", _Fixed)


def _dated(path: Path) -> Path:
    conn = db.connect(path)
    conn.execute("UPDATE import_batches SET export_date = DATE '2026-11-04'")
    conn.close()
    return path


def _buttons(at: AppTest) -> dict[str, str]:
    return {b.key: b.label for b in at.button if b.key and b.key.startswith("start_")}


def test_an_empty_database_lists_the_four_with_upload_buttons(
    make_app: MakeApp, tmp_path: Path
) -> None:
    at = make_app(tmp_path / "empty.duckdb").run()
    assert not at.exception
    assert at.subheader[0].value == "Getting started: load your four exports"
    assert list(_buttons(at)) == ["start_upload_users", "start_upload_usage",
                                  "start_upload_training", "start_upload_pipeline"]
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "Trained share, onboarding, training effect" in text
    assert text.count("Not loaded yet") == 4


def test_the_upload_button_opens_the_upload_with_its_dataset(
    make_app: MakeApp, tmp_path: Path
) -> None:
    # The button switches to pages/upload.py?dataset=<kind> (AppTest does not follow
    # st.switch_page; tests/e2e/test_first_run_e2e.py clicks it in Chromium).
    at = make_app(tmp_path / "empty.duckdb", "pages/upload.py")
    at.query_params["dataset"] = "training"
    at.run()
    assert not at.exception
    assert at.radio(key="upload_kind").value == DatasetKind.TRAINING
    assert "dataset" not in at.query_params


def test_executives_only_learn_that_data_is_coming(make_app: MakeApp, tmp_path: Path) -> None:
    at = make_app(tmp_path / "empty.duckdb", role="executive").run()
    assert not at.exception
    assert "Your project lead uploads" in at.info[0].value
    assert not _buttons(at)


def test_everything_current_folds_into_one_line(
    make_app: MakeApp, fixture_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _today(monkeypatch, date(2026, 11, 20))
    at = make_app(_dated(fixture_db_path)).run()
    assert not at.exception
    assert any("All four datasets are loaded and current." in m.value for m in at.markdown)
    assert not _buttons(at)


def test_missing_months_are_named_with_the_way_to_upload(
    make_app: MakeApp, fixture_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _today(monkeypatch, date(2027, 1, 20))
    at = make_app(_dated(fixture_db_path)).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "The usage log from November 2026 to December 2026 is missing." in text
    assert "Out of date: complete up to October 2026; December 2026 is not complete" in text
    assert "Out of date: 4 opportunities, snapshot of" not in text  # 'snapshot of <date>, ...'
    assert "more than 35 days old" in text
    assert set(_buttons(at)) == {"start_missing_usage_upload", "start_upload_usage",
                                 "start_upload_pipeline"}


def test_the_notice_in_german(
    make_app: MakeApp, fixture_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _today(monkeypatch, date(2026, 12, 9))
    at = make_app(_dated(fixture_db_path))
    at.query_params["lang"] = "de"
    at.run()
    text = " ".join(m.value for m in at.markdown)
    assert "Das Nutzungsprotokoll für November 2026 fehlt." in text
    captions = " ".join(c.value for c in at.caption)
    assert "beantworten Sie stattdessen die Frage oben" in captions
