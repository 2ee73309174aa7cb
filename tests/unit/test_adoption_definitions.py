"""The adoption definition: validated, stored as versioned settings, described in de and en."""

from __future__ import annotations

import duckdb
import pytest

from crm_dash.errors import ConfigError
from crm_dash.metrics.definitions import (
    SETTING_KEYS,
    AdoptionDefinition,
    definition_from_values,
    definition_history,
    describe,
    describe_productive,
    load_definition,
    save_definition,
)
from crm_dash.settings import DEFAULTS


def test_defaults_are_the_settings_defaults(conn: duckdb.DuckDBPyConnection) -> None:
    assert AdoptionDefinition().setting_values() == {k: DEFAULTS[k] for k in SETTING_KEYS}
    versioned = load_definition(conn)
    assert versioned.definition == AdoptionDefinition() and versioned.version == 0
    assert versioned.changed_by is None


@pytest.mark.parametrize("values", [
    {"time_zone": "Mars/Olympus"},
    {"write_actions": []},
    {"write_actions": ["create", "sing"]},
    {"productive_min_active_days": 0},
    {"sporadic_min_active_days": 9},  # above the productive threshold of 8
    {"grace_days": -1},
])
def test_invalid_definitions_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        definition_from_values(values)


def test_values_are_normalised() -> None:
    definition = AdoptionDefinition(write_actions=("update", "create", "update"),
                                    integration_patterns=(" API@ ", "", "api@"))
    assert definition.write_actions == ("create", "update")
    assert definition.integration_patterns == ("api@",)


def test_saving_makes_a_new_version_with_history(conn: duckdb.DuckDBPyConnection) -> None:
    first = AdoptionDefinition(productive_min_writes=3)
    assert save_definition(conn, first, actor="lead") == ["adoption.productive_min_writes"]
    assert save_definition(conn, first, actor="lead") == []  # nothing changed
    second = AdoptionDefinition(productive_min_writes=4, time_zone="UTC",
                                write_actions=("create", "update", "delete"))
    changed = save_definition(conn, second, actor="admin")
    assert set(changed) == {"adoption.productive_min_writes", "adoption.time_zone",
                            "adoption.write_actions"}
    versioned = load_definition(conn)
    assert versioned.definition == second and versioned.changed_by == "admin"
    history = definition_history(conn)
    assert [(h.key, h.old, h.new, h.changed_by) for h in history][-1] == (
        "adoption.productive_min_writes", 5, 3, "lead")
    writes = [h for h in history if h.key == "adoption.productive_min_writes"]
    assert [(h.old, h.new) for h in writes] == [(3, 4), (5, 3)]  # newest first
    assert versioned.version == max(h.version for h in history)
    audit = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'setting_change'"
                         ).fetchone()
    assert audit == (4,)


def test_descriptions_in_both_languages() -> None:
    definition = AdoptionDefinition()
    assert describe_productive(definition, "en") == "≥8 active days and ≥5 writes"
    assert describe_productive(definition, "de") == "≥8 aktive Tage und ≥5 Schreibaktionen"
    assert "Europe/Berlin" in describe(definition, "en")
    assert "Anlegen, Ändern" in describe(definition, "de")


def test_every_adoption_setting_is_documented_in_the_metric_docs() -> None:
    from pathlib import Path

    metrics = (Path(__file__).parent.parent.parent / "docs" / "metrics.md").read_text(
        encoding="utf-8")
    section = metrics.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    for key in SETTING_KEYS:
        assert f"`{key}`" in section, f"{key} is not in the settings of docs/metrics.md"
