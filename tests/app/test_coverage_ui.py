"""Complete months in the app: the "Data complete up to" and holiday settings, and the question a
lead is asked once (crm_dash.metrics.coverage).

The adoption fixture's usage data ends on Sunday 1 November 2026 (Berlin): October is complete
(events after it); November has ended (the tests run after it) but its last working day, Monday
30 November, is not reached and no date in the export says more: the open question.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from crm_dash import db
from crm_dash.settings import get_setting, setting_history
from tests.conftest import FIXTURES, fixture_db

MakeApp = Callable[..., AppTest]
QUESTION = ("**Does this export cover all of November 2026?** The usage data ends on Sunday, "
            "1 Nov 2026.")


@pytest.fixture
def adoption_db(tmp_path: Path) -> Path:
    return fixture_db(FIXTURES / "adoption", tmp_path / "adoption.duckdb")


def _markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_a_lead_is_asked_once_and_the_answer_is_kept(
    make_app: MakeApp, adoption_db: Path
) -> None:
    at = make_app(adoption_db, "pages/overview.py").run()
    assert not at.exception
    assert QUESTION in _markdown(at)
    at.button(key="coverage_answer_yes").click().run()
    assert not at.exception
    assert QUESTION not in _markdown(at)  # answered: never asked again
    conn = db.connect(adoption_db)
    assert get_setting(conn, "coverage.answers") == {"2026-11": True}
    assert setting_history(conn, "coverage.answers")[0].changed_by == "lead"
    conn.close()


def test_executives_are_not_asked(make_app: MakeApp, adoption_db: Path) -> None:
    at = make_app(adoption_db, "pages/overview.py", role="executive").run()
    assert not at.exception
    assert QUESTION not in _markdown(at)


def test_data_complete_up_to_and_the_holidays_are_settings(
    make_app: MakeApp, adoption_db: Path
) -> None:
    at = make_app(adoption_db, "pages/settings.py").run()
    captions = [c.value for c in at.caption]
    assert ("Latest complete month: October 2026. The usage data goes on after it "
            "(up to Sunday, 1 Nov 2026).") in captions
    assert at.selectbox(key="settings_complete_until").value == ""  # automatic
    assert at.selectbox(key="settings_complete_until").options == [
        "Automatic (decided by the data)", "November 2026", "October 2026", "September 2026",
        "August 2026"]
    assert at.radio(key="settings_holidays").value == "DE"
    at.selectbox(key="settings_complete_until").set_value("2026-09")
    at.radio(key="settings_holidays").set_value("none")
    [save] = [b for b in at.button if b.label == "Save the complete months as a new version"]
    save.click().run()
    assert not at.exception
    assert "Saved: 2 settings changed." in at.success[0].value
    captions = [c.value for c in at.caption]
    assert "Latest complete month: September 2026, as set under \"Data complete up to\"." in (
        captions)
    assert any(c.startswith("Data complete up to: last changed by lead on ") for c in captions)
    conn = db.connect(adoption_db)
    assert get_setting(conn, "coverage.complete_until") == "2026-09"
    assert get_setting(conn, "coverage.holidays") == "none"
    conn.close()
