"""“How do I get this file?” on the Upload page, per dataset and source, German and English."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

MakeApp = Callable[..., AppTest]


def test_the_usage_guides_name_menu_retention_and_columns(
    make_app: MakeApp, tmp_path: Path
) -> None:
    at = make_app(tmp_path / "empty.duckdb", "pages/upload.py")
    at.query_params["dataset"] = "usage"
    at.run()
    assert not at.exception
    assert at.expander[0].label == "How do I get this file?"
    assert "six months" in at.warning[0].value  # Salesforce Login History, the first source
    columns = at.dataframe[0].value
    assert list(columns.iloc[:, 0][:2]) == ["Login Time", "Username"]
    at.pills(key="guide_source_usage").set_value(2).run()  # Dynamics 365 audit
    assert "auditing is switched on" in at.warning[0].value
    assert "Log access" in at.warning[0].value
    assert at.get("download_button")


def test_the_guide_in_german(make_app: MakeApp, tmp_path: Path) -> None:
    at = make_app(tmp_path / "empty.duckdb", "pages/upload.py")
    at.query_params["lang"] = "de"
    at.query_params["dataset"] = "training"
    at.run()
    assert at.expander[0].label == "Wie komme ich an diese Datei?"
    assert "veralten nie" in " ".join(m.value for m in at.markdown)
