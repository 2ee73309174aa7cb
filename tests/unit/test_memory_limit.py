"""DuckDB's memory limit comes from CRM_DASH_MEMORY_MB (default 640 MB) on every connection
that writes: imports and page queries spill instead of growing past it."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_dash import config, db
from crm_dash.errors import ConfigError


def _limit_mib(path: Path) -> float:
    conn = db.connect(path)
    try:
        row = conn.execute("SELECT current_setting('memory_limit')").fetchone()
    finally:
        conn.close()
    assert row is not None
    number, unit = str(row[0]).split()
    return float(number) * {"MiB": 1, "GiB": 1024}[unit]


def test_default_limit_is_640_mb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRM_DASH_MEMORY_MB", raising=False)
    # DuckDB shows 640 MB (10^6 bytes) as MiB (2^20 bytes): 640e6 / 2^20 = 610.35
    assert _limit_mib(tmp_path / "a.duckdb") == pytest.approx(610.3, abs=0.1)


def test_limit_follows_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_DASH_MEMORY_MB", "300")  # 300e6 / 2^20 = 286.1
    assert _limit_mib(tmp_path / "a.duckdb") == pytest.approx(286.1, abs=0.1)


@pytest.mark.parametrize("raw", ["lots", "100", "1.5"])
def test_bad_setting_is_refused(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_DASH_MEMORY_MB", raw)
    with pytest.raises(ConfigError, match="CRM_DASH_MEMORY_MB"):
        config.memory_mb()
