"""The docs say what the code does: settings, environment variables and thresholds.

``docs/generate.py`` writes the tables of them from the code (between marker comments) and lists
the sentences that quote a value of the code. These tests run its check, so a default changed in
the code without the docs fails here, naming the item; the fix is
``.venv/bin/python docs/generate.py`` (it rewrites the tables and names the sentences to edit).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from crm_dash import config
from crm_dash.errors import ConfigError
from crm_dash.metrics import definitions
from crm_dash.retro import evidence
from crm_dash.settings import DEFAULTS

GENERATOR = Path(__file__).resolve().parent.parent.parent / "docs" / "generate.py"


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    """docs/generate.py as a module (registered: its dataclass looks its module up)."""
    spec = importlib.util.spec_from_file_location("docs_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["docs_generate"] = module
    spec.loader.exec_module(module)
    return module


def test_every_setting_is_in_one_table_of_the_docs(generate: ModuleType) -> None:
    problems = generate.settings_without_a_table()
    assert not problems, "\n".join(problems)


def test_every_environment_variable_the_config_reads_is_documented(generate: ModuleType) -> None:
    assert {"CRM_DASH_DB", "CRM_DASH_MEMORY_MB"} <= generate.environment_variables_read()
    problems = generate.environment_without_a_row()
    assert not problems, "\n".join(problems)


def test_the_generated_tables_are_what_the_code_gives(generate: ModuleType) -> None:
    problems = generate.table_differences()
    assert not problems, "\n\n".join(problems)


def test_the_sentences_quote_the_values_of_the_code(generate: ModuleType) -> None:
    problems = generate.missing_quotes()
    assert not problems, "\n".join(problems)


def test_the_documented_limits_of_the_environment_are_the_codes(
    generate: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """config.py checks these two limits with literals; try the documented edges."""
    top = generate.SESSION_HOURS_MAX
    monkeypatch.setenv("CRM_DASH_SESSION_HOURS", str(top))
    assert config.session_hours() == top
    for beyond in (f"{top}.01", "0"):
        monkeypatch.setenv("CRM_DASH_SESSION_HOURS", beyond)
        with pytest.raises(ConfigError):
            config.session_hours()
    least = generate.MEMORY_MB_MIN
    monkeypatch.setenv("CRM_DASH_MEMORY_MB", str(least))
    assert config.memory_mb() == least
    monkeypatch.setenv("CRM_DASH_MEMORY_MB", str(least - 1))
    with pytest.raises(ConfigError):
        config.memory_mb()


class _EightWritesForProductive(definitions.AdoptionDefinition):
    productive_min_writes: int = 8


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda mp: mp.setitem(DEFAULTS, "adoption.productive_min_writes", 8),
         "`adoption.productive_min_writes` | 8"),
        (lambda mp: mp.setitem(DEFAULTS, "privacy.min_group_size", 7),
         "`privacy.min_group_size` | 7"),
        (lambda mp: mp.setattr(config, "DEFAULT_MEMORY_MB", 512), "`CRM_DASH_MEMORY_MB` | 512"),
        (lambda mp: mp.setattr(evidence, "HYGIENE_DONE_SCORE", 85.0), "≥ 85 / ≥ 60"),
        (lambda mp: mp.setattr(definitions, "AdoptionDefinition", _EightWritesForProductive),
         "at least 8 writes"),
        (lambda mp: mp.setitem(DEFAULTS, "adoption.brand_new", 1), "'adoption.brand_new'"),
    ],
    ids=["setting", "privacy", "environment", "retro-threshold", "sentence", "new-setting"],
)
def test_a_value_changed_in_the_code_alone_fails_the_check(
    generate: ModuleType, monkeypatch: pytest.MonkeyPatch, change: object, named: str
) -> None:
    """The check can fail: change a value in the code, not in the docs, and it names the item."""
    assert generate.problems() == []
    change(monkeypatch)  # type: ignore[operator]
    problems = "\n".join(generate.problems())
    assert named in problems, problems
