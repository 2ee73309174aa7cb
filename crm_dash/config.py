"""Where things are: the database file and other settings that come from the environment.

Every setting is an environment variable, documented in the README (a test checks that).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Environment variables crm-dash reads, with their meaning (the README documents each).
ENV_VARS: dict[str, str] = {
    "CRM_DASH_DB": "Path of the DuckDB file (default data/crm.duckdb).",
}

DEFAULT_DB_PATH = Path("data") / "crm.duckdb"


def db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The database file: ``--db`` wins over ``CRM_DASH_DB``, which wins over the default."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("CRM_DASH_DB")
    if env:
        return Path(env)
    return DEFAULT_DB_PATH
