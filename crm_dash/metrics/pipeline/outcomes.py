"""Which opportunities are open, won or lost: one rule, the same for every source.

The first rule that applies decides:

1. **setting**: the stage label (trimmed, case-insensitive) is mapped in the setting
   ``pipeline.stage_outcomes`` (``{label: "open" | "won" | "lost"}``), for custom stages;
2. **source**: the source's own flags (``is_closed`` / ``is_won``, filled by the importer from
   Salesforce IsClosed/IsWon, the Dynamics status, Pipedrive's status, HubSpot's "Is deal
   closed?" or the stage label) when ``is_closed`` is known, or ``is_won`` is true;
3. **label**: the stage label is one of the importer's known won / lost / open words
   (:mod:`crm_dash.importing.labels`: Salesforce, HubSpot, Dynamics, Pipedrive; English and
   German), or says one by its words ("Closed Lost to Competition");
4. **default**: open.

Everything happens in SQL; the labels and the setting travel as list parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import duckdb
import pandas as pd

from crm_dash.errors import ConfigError
from crm_dash.importing.labels import IS_CLOSED, IS_WON, NO, YES, resolve_label
from crm_dash.settings import get_setting, set_setting

Outcome = Literal["open", "won", "lost"]
OUTCOMES: tuple[Outcome, ...] = ("open", "won", "lost")
#: Where an opportunity's outcome comes from, in the order the rules are tried.
OUTCOME_SOURCES: tuple[str, ...] = ("setting", "source", "label", "default")
SETTING_KEY = "pipeline.stage_outcomes"

# The importer's deal-status words, without the plain yes/no words the same tables hold.
WON_LABELS: tuple[str, ...] = tuple(sorted({k for k, v in IS_WON.items() if v == "true"} - YES))
CLOSED_LABELS: tuple[str, ...] = tuple(
    sorted(k for k, v in IS_CLOSED.items() if v == "true" and k not in YES)
)
OPEN_LABELS: tuple[str, ...] = tuple(
    sorted(k for k, v in IS_CLOSED.items() if v == "false" and k not in NO)
)


def stage_key(label: str) -> str:
    """How a stage label is compared: trimmed and lower-case (as ``lower(trim(stage))``)."""
    return label.strip().lower()


def normalise_stage_outcomes(value: Any) -> dict[str, Outcome]:
    """``{stage key: outcome}`` from a setting value; entries that are not valid are dropped."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, Outcome] = {}
    for label, outcome in value.items():
        if isinstance(label, str) and stage_key(label) and outcome in OUTCOMES:
            out[stage_key(label)] = outcome
    return out


def stage_outcomes(conn: duckdb.DuckDBPyConnection) -> dict[str, Outcome]:
    """The custom stage mapping in force (setting ``pipeline.stage_outcomes``)."""
    return normalise_stage_outcomes(get_setting(conn, SETTING_KEY))


def save_stage_outcomes(
    conn: duckdb.DuckDBPyConnection, mapping: Mapping[str, str], *, actor: str
) -> bool:
    """Store a new version of the stage mapping (audited); False when nothing changed.

    Labels are stored trimmed and lower-case; an outcome other than open, won or lost is a
    :class:`ConfigError`.
    """
    cleaned: dict[str, str] = {}
    for label, outcome in mapping.items():
        if outcome not in OUTCOMES:
            raise ConfigError.says("error.pipeline.invalid_outcome",
                                   title_key="error.title.invalid_stage_mapping",
                                   label=label, outcome=outcome)
        if stage_key(label):
            cleaned[stage_key(label)] = outcome
    return set_setting(conn, SETTING_KEY, dict(sorted(cleaned.items())), actor=actor)


#: ``classified``: every opportunity of the latest snapshot with ``stage_key``, ``outcome`` and
#: ``outcome_source``. Parameters: ``$map_labels``, ``$map_outcomes`` (the setting, as two lists
#: of equal length), ``$won_labels``, ``$closed_labels``, ``$open_labels``.
CLASSIFIED_CTE = """
stage_map AS (
    SELECT unnest(CAST($map_labels AS VARCHAR[])) AS stage_key,
           unnest(CAST($map_outcomes AS VARCHAR[])) AS outcome
),
keyed AS (
    SELECT o.*, lower(trim(o.stage)) AS stage_key FROM opportunities o
),
classified AS (
    SELECT k.*,
           CASE WHEN m.outcome IS NOT NULL THEN m.outcome
                WHEN k.is_closed IS NOT NULL OR k.is_won THEN
                    CASE WHEN k.is_won THEN 'won'
                         WHEN NOT k.is_closed THEN 'open'
                         WHEN k.is_won = false THEN 'lost'
                         WHEN list_contains(CAST($won_labels AS VARCHAR[]), k.stage_key)
                             THEN 'won'
                         ELSE 'lost' END
                WHEN list_contains(CAST($won_labels AS VARCHAR[]), k.stage_key) THEN 'won'
                WHEN list_contains(CAST($closed_labels AS VARCHAR[]), k.stage_key) THEN 'lost'
                ELSE 'open' END AS outcome,
           CASE WHEN m.outcome IS NOT NULL THEN 'setting'
                WHEN k.is_closed IS NOT NULL OR k.is_won THEN 'source'
                WHEN list_contains(CAST($won_labels AS VARCHAR[]), k.stage_key)
                  OR list_contains(CAST($closed_labels AS VARCHAR[]), k.stage_key)
                  OR list_contains(CAST($open_labels AS VARCHAR[]), k.stage_key) THEN 'label'
                ELSE 'default' END AS outcome_source
    FROM keyed k LEFT JOIN stage_map m ON m.stage_key = k.stage_key
)
"""


def outcome_params(
    mapping: dict[str, Outcome], stages: Iterable[str] = ()
) -> dict[str, Any]:
    """The parameters of :data:`CLASSIFIED_CTE` for a stage mapping. ``stages`` are stage keys
    in the data: those no word list names are read by their words ("closed lost to
    competition" is lost, :func:`crm_dash.importing.labels.resolve_label`)."""
    labels = sorted(mapping)
    won, closed, opened = set(WON_LABELS), set(CLOSED_LABELS), set(OPEN_LABELS)
    for stage in stages:
        if stage in won | closed | opened:
            continue
        is_closed = resolve_label(IS_CLOSED, stage)
        if is_closed == "true":
            (won if resolve_label(IS_WON, stage) == "true" else closed).add(stage)
        elif is_closed == "false":
            opened.add(stage)
    return {
        "map_labels": labels,
        "map_outcomes": [mapping[label] for label in labels],
        "won_labels": sorted(won),
        "closed_labels": sorted(closed),
        "open_labels": sorted(opened),
    }


def stage_keys(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The stage keys (trimmed, lower-case) of the latest pipeline snapshot."""
    return [str(r[0]) for r in conn.cursor().execute(
        "SELECT DISTINCT lower(trim(stage)) FROM opportunities WHERE stage IS NOT NULL"
    ).fetchall()]


_STAGES_SQL = "WITH " + CLASSIFIED_CTE + """
SELECT stage_key, min(trim(stage)) AS stage, outcome, outcome_source, count(*) AS opportunities
FROM classified
GROUP BY stage_key, outcome, outcome_source
ORDER BY stage_key NULLS LAST, outcome, outcome_source
"""


def stage_labels(
    conn: duckdb.DuckDBPyConnection, mapping: dict[str, Outcome] | None = None
) -> pd.DataFrame:
    """The distinct stage labels of the latest snapshot, with the outcome each gets and why.

    One row per label, outcome and rule (a label can be won for some opportunities and lost for
    others when the source's flags say so). Columns: stage_key (``None`` without a stage),
    stage (as written), outcome, outcome_source, opportunities. ``mapping`` defaults to the
    setting in force.
    """
    if mapping is None:
        mapping = stage_outcomes(conn)
    return conn.cursor().execute(_STAGES_SQL, outcome_params(mapping, stage_keys(conn))).df()
