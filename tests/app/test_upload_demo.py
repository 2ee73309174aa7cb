"""The Upload page of the demo database says at once that uploads go into a database of your own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.unit.test_demo_refusal import demo_db


def test_the_upload_page_says_so_before_any_file(make_app: Callable[..., AppTest],
                                                  tmp_path: Path) -> None:
    at = make_app(demo_db(tmp_path / "demo.duckdb"), "pages/upload.py", role="lead").run()
    assert not at.exception
    assert "Uploads into it are refused" in at.info[0].value
    assert not at.get("file_uploader")
