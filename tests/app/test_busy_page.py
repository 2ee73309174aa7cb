"""The app while another process (a CLI import) holds the database: a friendly page, a retry."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.i18n import Language, t

MakeApp = Callable[..., AppTest]


class Holder:
    """A second process that holds the database open for writing until :meth:`release`."""

    def __init__(self, database: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c",
             "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('open', flush=True);"
             " sys.stdin.read()", str(database)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "open"

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[tuple[Path, Holder]]:
    database = tmp_path / "held.duckdb"
    db.connect(database).close()
    held = Holder(database)
    try:
        yield database, held
    finally:
        held.release()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_held_database_shows_the_busy_page_and_retry_opens_it(
    make_app: MakeApp, holder: tuple[Path, Holder], lang: Language
) -> None:
    database, held = holder
    at = make_app(database, role=None)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert [e.value for e in at.title] == [t("app.busy_title", lang)]
    assert [e.value for e in at.info] == [t("app.busy_text", lang)]
    retry = at.button(key="crm_dash_busy_retry")
    assert retry.label == t("app.busy_retry", lang)

    held.release()
    retry.click().run()
    assert not at.exception
    assert t("app.busy_title", lang) not in [e.value for e in at.title]
    assert not at.info or t("app.busy_text", lang) not in [e.value for e in at.info]
