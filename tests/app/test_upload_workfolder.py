"""An Upload-page visit leaves no work folder behind: loaded, cancelled or dropped files take
their copies with them, and a visit without a file creates none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash.workfolders import UPLOAD_PREFIX

ROSTER = Path(__file__).parent.parent / "fixtures" / "exports" / "roster_de_excel.csv"
MakeApp = Callable[..., AppTest]


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


def _folders(temp_dir: Path) -> list[Path]:
    return sorted(temp_dir.glob(f"{UPLOAD_PREFIX}*"))


def _upload(make_app: MakeApp, tmp_path: Path) -> AppTest:
    at = make_app(tmp_path / "crm.duckdb", "pages/upload.py").run()
    assert not at.exception
    at.file_uploader[0].set_value([(ROSTER.name, ROSTER.read_bytes(), "text/csv")]).run()
    assert not at.exception and not at.error
    return at


def _click(at: AppTest, prefix: str) -> None:
    key = next(b.key for b in at.button if b.key and b.key.startswith(prefix))
    at.button(key=key).click().run()
    assert not at.exception


def test_a_visit_without_a_file_creates_no_folder(
    make_app: MakeApp, tmp_path: Path, temp_dir: Path
) -> None:
    at = make_app(tmp_path / "crm.duckdb", "pages/upload.py").run()
    assert not at.exception and _folders(temp_dir) == []


@pytest.mark.parametrize("button", ["load:", "cancel:"])
def test_a_loaded_or_cancelled_upload_removes_its_folder(
    make_app: MakeApp, tmp_path: Path, temp_dir: Path, button: str
) -> None:
    at = _upload(make_app, tmp_path)
    [folder] = _folders(temp_dir)
    assert any(folder.iterdir())
    _click(at, button)
    assert _folders(temp_dir) == []


def test_a_file_dropped_from_the_uploader_takes_its_copy_along(
    make_app: MakeApp, tmp_path: Path, temp_dir: Path
) -> None:
    at = _upload(make_app, tmp_path)
    assert len(_folders(temp_dir)) == 1
    at.file_uploader[0].set_value([]).run()
    assert not at.exception and _folders(temp_dir) == []
