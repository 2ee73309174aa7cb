"""AppTest helpers: point the app at a database and start every test with empty caches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).parent.parent.parent


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def make_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """``make_app(db_path, script="app.py")``: an AppTest of a script against a database."""

    def _make(db_path: Path, script: str = "app.py") -> AppTest:
        monkeypatch.setenv("CRM_DASH_DB", str(db_path))
        return AppTest.from_file(str(ROOT / script), default_timeout=30)

    return _make
