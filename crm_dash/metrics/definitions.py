"""What "productive", "sporadic", "barely", "never" and "new" mean: one versioned definition.

The thresholds are settings (:mod:`crm_dash.settings`, keys ``adoption.*``): every change is a new
version with who and when, because changing a threshold moves people between segments without any
change in their behaviour. The pages say which version their numbers use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import available_timezones

import duckdb
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError

from crm_dash.errors import ConfigError
from crm_dash.i18n import Language, t
from crm_dash.settings import DEFAULTS, set_settings

#: The canonical actions of the usage log (the CHECK constraint of ``usage_events.action``).
ACTIONS: tuple[str, ...] = ("login", "view", "create", "update", "delete", "export", "other")

#: Segments in the order the pages show them (best first).
SEGMENTS: tuple[str, ...] = ("productive", "sporadic", "barely", "never", "new")

_PREFIX = "adoption."


@cache
def time_zones() -> tuple[str, ...]:
    """The IANA time zones the analysis can use, sorted."""
    return tuple(sorted(available_timezones()))


class AdoptionDefinition(BaseModel):
    """The thresholds behind every segment (defaults: the product's recommendation)."""

    model_config = ConfigDict(frozen=True)

    productive_min_active_days: int = Field(8, ge=1, le=31)
    productive_min_writes: int = Field(5, ge=0, le=1_000_000)
    sporadic_min_active_days: int = Field(2, ge=1, le=31)
    grace_days: int = Field(30, ge=0, le=366)
    time_zone: str = "Europe/Berlin"
    write_actions: tuple[str, ...] = ("create", "update")
    integration_patterns: tuple[str, ...] = ()

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in time_zones():
            raise PydanticCustomError("unknown_time_zone", "unknown time zone '{zone}'",
                                      {"zone": value})
        return value

    @field_validator("write_actions")
    @classmethod
    def _known_actions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - set(ACTIONS))
        if unknown:
            raise PydanticCustomError("unknown_actions", "unknown actions {actions}",
                                      {"actions": ", ".join(unknown), "known": ", ".join(ACTIONS)})
        if not value:
            raise PydanticCustomError("no_write_action",
                                      "at least one action must count as a write")
        return tuple(a for a in ACTIONS if a in value)  # canonical order, no repeats

    @field_validator("integration_patterns")
    @classmethod
    def _clean_patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = [p.strip().lower() for p in value if p.strip()]
        return tuple(dict.fromkeys(cleaned))

    @model_validator(mode="after")
    def _sporadic_below_productive(self) -> AdoptionDefinition:
        if self.sporadic_min_active_days > self.productive_min_active_days:
            raise PydanticCustomError(
                "sporadic_above_productive",
                "sporadic_min_active_days must not exceed productive_min_active_days",
                {"sporadic": self.sporadic_min_active_days,
                 "productive": self.productive_min_active_days},
            )
        return self

    def setting_values(self) -> dict[str, Any]:
        """The definition as ``{setting key: JSON value}``."""
        return {
            _PREFIX + name: list(value) if isinstance(value, tuple) else value
            for name, value in self.model_dump().items()
        }


SETTING_KEYS: tuple[str, ...] = tuple(_PREFIX + name for name in AdoptionDefinition.model_fields)


@dataclass(frozen=True)
class VersionedDefinition:
    """The definition in force, and which version of the settings it is (0: the defaults)."""

    definition: AdoptionDefinition
    version: int
    changed_at: datetime | None
    changed_by: str | None


@dataclass(frozen=True)
class DefinitionChange:
    """One change of one threshold: who, when, old and new value."""

    version: int
    key: str
    old: Any
    new: Any
    changed_by: str
    changed_at: datetime


def _rows(conn: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return conn.cursor().execute(
        "SELECT version, key, value, changed_by, changed_at FROM setting_versions"
        " WHERE starts_with(key, ?) ORDER BY version",
        [_PREFIX],
    ).fetchall()


def load_definition(conn: duckdb.DuckDBPyConnection) -> VersionedDefinition:
    """The definition in force with its version (the newest change of any ``adoption.*`` key)."""
    values = {key: DEFAULTS[key] for key in SETTING_KEYS}
    last: tuple[Any, ...] | None = None
    for row in _rows(conn):
        if row[1] in values:
            values[row[1]] = json.loads(str(row[2]))
            last = row
    definition = AdoptionDefinition(
        **{key.removeprefix(_PREFIX): value for key, value in values.items()}
    )
    if last is None:
        return VersionedDefinition(definition, 0, None, None)
    return VersionedDefinition(definition, int(last[0]), last[4], str(last[3]))


def definition_from_values(values: dict[str, Any]) -> AdoptionDefinition:
    """Validate a definition given as ``{field: value}``; a bad value is a :class:`ConfigError`
    saying what is wrong with the first of them, in the reader's language."""
    try:
        return AdoptionDefinition(**values)
    except ValidationError as exc:
        raise _definition_error(exc.errors()[0]) from None


#: The validators' own errors (their pydantic type), each worded as ``error.definition.<type>``.
_WORDED_PROBLEMS = ("unknown_time_zone", "unknown_actions", "no_write_action",
                    "sporadic_above_productive")


def _definition_error(error: ErrorDetails) -> ConfigError:
    """One problem of a definition as the error the settings page shows."""
    if error["type"] in _WORDED_PROBLEMS:
        return ConfigError.says(f"error.definition.{error['type']}", title_key="settings.invalid",
                                **error.get("ctx", {}))
    # Out of range or of the wrong type: the form's widgets prevent these, the CLI and the
    # tests meet them; pydantic's own words say what is wrong.
    return ConfigError.says("error.definition.invalid", title_key="settings.invalid",
                            field=".".join(str(p) for p in error["loc"]) or "definition",
                            problem=error["msg"])


def save_definition(
    conn: duckdb.DuckDBPyConnection, definition: AdoptionDefinition, *, actor: str
) -> list[str]:
    """Store ``definition`` as new setting versions (one transaction); returns changed keys."""
    return set_settings(conn, definition.setting_values(), actor=actor)


def definition_history(conn: duckdb.DuckDBPyConnection) -> list[DefinitionChange]:
    """Every change of the definition, newest first, with the value it replaced."""
    current = {key: DEFAULTS[key] for key in SETTING_KEYS}
    changes: list[DefinitionChange] = []
    for version, key, value, by, at in _rows(conn):
        if key not in current:
            continue
        new = json.loads(str(value))
        changes.append(DefinitionChange(int(version), str(key), current[key], new, str(by), at))
        current[key] = new
    return changes[::-1]


def describe_productive(definition: AdoptionDefinition, lang: Language) -> str:
    """The short form, e.g. ``≥8 active days and ≥5 writes``."""
    return t("adoption.def.productive_short", lang, days=definition.productive_min_active_days,
             writes=definition.productive_min_writes)


def describe(definition: AdoptionDefinition, lang: Language) -> str:
    """Every threshold in one paragraph (for hover help and the settings page)."""
    actions = ", ".join(t(f"adoption.action.{a}", lang) for a in definition.write_actions)
    return t(
        "adoption.def.long", lang,
        days=definition.productive_min_active_days, writes=definition.productive_min_writes,
        sporadic=definition.sporadic_min_active_days, grace=definition.grace_days,
        tz=definition.time_zone, actions=actions,
    )
